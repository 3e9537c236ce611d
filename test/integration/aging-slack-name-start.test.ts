// `/aging` finds a client or a project as the other commands do, over signed HTTP: by the start of a
// name or of a word in it, any case, accents optional ("nandu" → Editorial Ñandú SA), or a project code's
// start ("p03" → p03-es-003); two matches are named for the reader to choose. Before, only an exact
// name or code was found and "/aging nandu" answered that nothing matched.
import { describe, expect, it } from "vitest";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

async function books() {
  const db = slack.database.db;
  const ws = await createWorkspace(db);
  await createMember(db, ws.id, { slackUserId: "ULEO", roles: ["collector"] });
  const nandu = await createClient(db, ws.id, { externalId: "ES-011", name: "Editorial Ñandú SA" });
  const iberia = await createClient(db, ws.id, { externalId: "ES-003", name: "Farmacéutica Íbera SA" });
  await createClient(db, ws.id, { externalId: "ES-012", name: "Editorial Norte SL" });
  const project = await createProject(db, ws.id, iberia.id, { code: "p03-es-003", name: "Refonte du site" });
  await createIssuedInvoice(db, ws.id, nandu.id, { totalMinor: 1_294_242, dueDate: "2026-09-04" });
  await createIssuedInvoice(db, ws.id, iberia.id, {
    projectId: project.id,
    totalMinor: 773_648,
    dueDate: "2026-10-30",
  });
  return { teamId: ws.slackTeamId as string };
}

async function aging(teamId: string, text: string): Promise<string> {
  api.reset();
  await slack.app.command({ teamId, userId: "ULEO", command: "/aging", text });
  await api.waitFor("hook");
  const body = api.hooks().at(-1)?.body as { text: string; blocks?: unknown[] };
  return `${body.text} ${JSON.stringify(body.blocks ?? [])}`;
}

describe(`/aging by the start of a name on ${backend()}`, () => {
  it("finds a client by a word of its name without accents, and a project by the start of its code", async () => {
    const { teamId } = await books();

    const client = await aging(teamId, "nandu");
    expect(client).toContain("client: Editorial Ñandú SA");
    expect(client).toContain("€12,942.42");
    expect(client).not.toContain("€7,736.48");

    const project = await aging(teamId, "P03");
    expect(project).toContain("project: p03-es-003 · Refonte du site");
    expect(project).toContain("€7,736.48");
    expect(project).not.toContain("€12,942.42");

    expect(await aging(teamId, "editorial")).toContain(
      '"editorial" matches several: Editorial Norte SL, Editorial Ñandú SA.',
    );
  });
});
