// Someone Cobro cannot match to a member (their Slack e-mail is in no imported line) is told whom to
// ask in their own Slack language, with the admins' mentions intact, over signed HTTP. Before, this
// one refusal was always in English, and /milestone done naming no project opened a picker of nothing
// ("you have no open milestone") instead.
import { describe, expect, it } from "vitest";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

describe(`a stranger's refusal in their Slack language on ${backend()}`, () => {
  it.each([
    [
      "es-ES",
      "/aging",
      "",
      ":no_entry: Cobro aún no te conoce. Ningún miembro de este espacio de trabajo tiene tu correo de Slack (nadie@otra.example). Pide a un administrador (<@UMARTA>) que te añada: ejecuta `cobro import people people.csv` con una línea para nadie@otra.example y tus roles, o te da un rol en `/cobro setup`.",
    ],
    [
      "fr-FR",
      "/milestone",
      "done atlas design",
      ":warning: Cobro ne vous connaît pas encore. Aucun membre de cet espace de travail n’a votre e-mail Slack (nadie@otra.example). Demandez à un administrateur (<@UMARTA>) de vous ajouter : il lance `cobro import people people.csv` avec une ligne pour nadie@otra.example et vos rôles, ou vous donne un rôle dans `/cobro setup`.",
    ],
    [
      "es-ES",
      "/milestone",
      "done proyecto-inexistente fase",
      ":warning: Cobro aún no te conoce. Ningún miembro de este espacio de trabajo tiene tu correo de Slack (nadie@otra.example). Pide a un administrador (<@UMARTA>) que te añada: ejecuta `cobro import people people.csv` con una línea para nadie@otra.example y tus roles, o te da un rol en `/cobro setup`.",
    ],
  ])("%s: %s %s", async (locale, command, text, said) => {
    const db = slack.database.db;
    const ws = await createWorkspace(db, { locale: "en" });
    await createMember(db, ws.id, { slackUserId: "UMARTA", roles: ["admin", "billing"] });
    const client = await createClient(db, ws.id);
    const project = await createProject(db, ws.id, client.id, { code: "atlas" });
    await createMilestone(db, ws.id, project.id, { name: "Design" });
    api.slackUser("UNADIE", { email: "nadie@otra.example", locale });

    await slack.app.command({ teamId: ws.slackTeamId as string, userId: "UNADIE", command, text });
    await api.waitFor("hook");

    expect(String(api.hooks()[0]?.body.text).replace(/\u202f/g, " ")).toBe(said);
    expect(api.calls("views.open")).toHaveLength(0);
  });
});
