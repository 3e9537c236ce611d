// Cobro in Slack speaks each reader's language: their Slack locale (users.info include_locale),
// their own choice (/cobro language), else the workspace's; Spanish and French keywords work too.
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { languageCommand } from "../../src/cli/language.ts";
import { collectionsSlackHandlers } from "../../src/collections/jobs/slack-collections.ts";
import { scanOverdue } from "../../src/collections/scan-overdue.ts";
import { deliveries, members, milestones, timesheets, workspaces } from "../../src/db/schema/index.ts";
import { byPayloadType, createSlackSender, fixedBotToken, runDelivery } from "../../src/delivery/index.ts";
import { timesheetSlackHandlers } from "../../src/timesheets/index.ts";
import { submitTimesheet } from "../../src/timesheets/submit-timesheet.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend } from "../helpers/db.ts";
import { fixedClock, serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { SLACK_API_URL } from "../helpers/slack-api.ts";
import { entry, logEntries, timesheetWorld } from "../helpers/timesheets.ts";

const slack = useSlackTestApp();
const { api } = slack;

const OVERDUE_TITLES: Record<string, string> = {
  "es-ES": "1 factura ha vencido",
  "fr-FR": "1 facture est échue",
  "en-US": "1 invoice went overdue",
};

const SPEAKERS = [
  {
    locale: "es-ES",
    keyword: "hecho",
    said: /^:white_check_mark: \*ATLAS · Diseño\* está hecho \(1234,56\s€\); un borrador de factura espera/,
  },
  {
    locale: "fr-FR",
    keyword: "terminé",
    // "Le jalon": the milestone's own name ("Étude préalable") may be feminine; HT, as the draft shows TTC.
    said: /^:white_check_mark: Le jalon \*ATLAS · Diseño\* est terminé \(1\s234,56\s€ HT\) ; un brouillon de facture attend/,
  },
  {
    locale: "en-US",
    keyword: "done",
    said: /^:white_check_mark: \*ATLAS · Diseño\* is done \(€1,234\.56\); a draft invoice is waiting/,
  },
] as const;

async function projectOf(pmSlackLocale: string | undefined, workspaceLocale: "en" | "es" | "fr" = "en") {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { locale: workspaceLocale });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const stranger = await createMember(db, workspace.id, { roles: [] });
  const client = await createClient(db, workspace.id, { name: "Globex" });
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });
  const milestone = await createMilestone(db, workspace.id, project.id, {
    name: "Diseño",
    amountMinor: 123456,
  });
  for (const member of [pm, stranger]) {
    api.slackUser(member.slackUserId!, pmSlackLocale ? { locale: pmSlackLocale } : {});
  }
  return { workspace, teamId: workspace.slackTeamId!, pm, stranger, milestone, client, project };
}

const lastReply = () => String(api.hooks().at(-1)?.body.text);

async function command(teamId: string, userId: string, name: string, text: string, replies: number) {
  await slack.app.command({ teamId, userId, command: name, text });
  await api.waitFor("hook", replies);
  return lastReply();
}

describe(`Slack replies in the reader's language on ${backend()}`, () => {
  it.each(SPEAKERS)("/milestone $keyword answers a $locale user in their language", async (speaker) => {
    const s = await projectOf(speaker.locale);
    const reply = await command(
      s.teamId,
      s.pm.slackUserId!,
      "/milestone",
      `${speaker.keyword} atlas diseño`,
      1,
    );
    expect(reply).toMatch(speaker.said);
    const [row] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(row?.status).toBe("done");
    expect(api.calls("users.info").every((c) => String(c.body.include_locale) === "true")).toBe(true);
  });

  it("the done reply's warnings are in the reader's language too (no billing channel set)", async () => {
    const s = await projectOf("es-ES", "es");
    await slack.database.db
      .update(workspaces)
      .set({ billingChannelId: null })
      .where(eq(workspaces.id, s.workspace.id));
    const reply = await command(s.teamId, s.pm.slackUserId!, "/milestone", "hecho atlas diseño", 1);
    expect(reply).toContain(
      "No hay ningún canal de facturación configurado, así que no se ha avisado a facturación: un administrador puede elegirlo con `/cobro setup`.",
    );
    expect(reply).not.toContain("No billing channel");
  });

  it("refusals are in the reader's language too", async () => {
    const s = await projectOf("es-ES");
    const reply = await command(s.teamId, s.stranger.slackUserId!, "/milestone", "hecho atlas diseño", 1);
    expect(reply).toContain("Solo el jefe del proyecto, facturación o un administrador pueden hacer esto.");
    expect(reply).toContain("Un administrador puede asignar roles con `/cobro setup`.");
  });

  it("a member's own choice wins over Slack's, and auto goes back to it", async () => {
    const s = await projectOf("es-ES");
    const pm = s.pm.slackUserId!;
    expect(await command(s.teamId, pm, "/cobro", "idioma fr", 1)).toContain(
      "Cobro vous parle désormais en Français",
    );
    const [chosen] = await slack.database.db.select().from(members).where(eq(members.id, s.pm.id));
    expect(chosen?.language).toBe("fr");
    expect(await command(s.teamId, pm, "/milestone", "list", 2)).toContain("Jalons de vos projets : 1");
    expect(await command(s.teamId, pm, "/cobro", "language auto", 3)).toContain(
      "Cobro te habla ahora en tu idioma de Slack (Español)",
    );
    expect(await command(s.teamId, pm, "/milestone", "lista", 4)).toContain("Hitos de tus proyectos: 1");
    expect(await command(s.teamId, pm, "/cobro", "language klingon", 5)).toContain("Di qué idioma");
  });

  it("without a Slack language, the workspace's is spoken", async () => {
    const s = await projectOf(undefined, "fr");
    const reply = await command(s.teamId, s.pm.slackUserId!, "/milestone", "done atlas diseño", 1);
    expect(reply).toMatch(/est terminé \(1\s234,56\s€ HT\)/);
  });

  it("the CLI sets a member's language by e-mail, and says what is wrong with bad input", async () => {
    const s = await projectOf("en-US");
    const cli = cliRunner(languageCommand, {
      deps: serviceDeps(slack.database.db),
      database: slack.database,
    });
    const set = await cli.run(s.pm.email!, "es", "--workspace", s.workspace.id);
    expect(set).toEqual({ code: 0, out: `Cobro now speaks Español to ${s.pm.email} in Slack.` });
    expect(await command(s.teamId, s.pm.slackUserId!, "/milestone", "done atlas diseño", 1)).toMatch(
      /está hecho/,
    );
    await expect(cli.run(s.pm.email!, "de", "--workspace", s.workspace.id)).rejects.toMatchObject({
      code: "cli.usage",
      userMessage: expect.stringContaining("es, fr, en or auto"),
    });
    await expect(cli.run("nobody@acme.example", "fr", "--workspace", s.workspace.id)).rejects.toMatchObject({
      userMessage: expect.stringContaining("No member has the e-mail nobody@acme.example"),
    });
  });

  it.each(SPEAKERS)(
    "the overdue alert DM reaches a $locale PM in their language, the channel in the workspace's",
    async (speaker) => {
      const s = await projectOf(speaker.locale);
      const db = slack.database.db;
      // Cobro learns their Slack language when they act, and remembers it for DMs.
      await command(s.teamId, s.pm.slackUserId!, "/milestone", "list", 1);
      await createIssuedInvoice(db, s.workspace.id, s.client.id, {
        projectId: s.project.id,
        dueDate: "2026-11-10",
      });
      const clock = fixedClock("2026-11-23T08:00:00Z");
      await scanOverdue(testCtx(serviceDeps(db, clock), s.workspace.id), {});
      const sender = createSlackSender({
        db,
        now: clock,
        botToken: fixedBotToken("xoxb-test"),
        apiUrl: SLACK_API_URL,
        channelIntervalMs: 0,
      });
      const handler = byPayloadType(collectionsSlackHandlers(sender, db, clock));
      const claimed = await db
        .select({ id: deliveries.id })
        .from(deliveries)
        .where(
          and(
            eq(deliveries.workspaceId, s.workspace.id),
            inArray(deliveries.kind, ["slack_dm", "slack_message"]),
          ),
        );
      for (const { id } of claimed) {
        await runDelivery(db, { slack_dm: handler, slack_message: handler }, id, silentLogger);
      }
      const posts = api.calls("chat.postMessage");
      const dm = posts.find((c) => c.body.channel === s.pm.slackUserId);
      expect(String(dm?.body.text)).toContain(OVERDUE_TITLES[speaker.locale]);
      expect(JSON.stringify(dm?.body.blocks)).toContain(
        speaker.locale === "es-ES"
          ? "Registrar cobro"
          : speaker.locale === "fr-FR"
            ? "Saisir un paiement"
            : "Record payment",
      );
      const channel = posts.find((c) => c.body.channel === "CCOLLECT");
      expect(String(channel?.body.text)).toContain("1 invoice went overdue");
    },
  );

  it.each(SPEAKERS)(
    "the timesheet approval request reaches a $locale approver in their language",
    async (speaker) => {
      const db = slack.database.db;
      const world = await timesheetWorld(db);
      api.slackUser(world.approver.slackUserId!, { locale: speaker.locale });
      // Cobro learns their Slack language when they act, and remembers it for DMs.
      await command(world.workspace.slackTeamId!, world.approver.slackUserId!, "/milestone", "list", 1);
      await logEntries(db, world.workspace.id, [entry()]);
      const [sheet] = await db
        .select()
        .from(timesheets)
        .where(eq(timesheets.workspaceId, world.workspace.id));
      const deps = serviceDeps(db);
      await submitTimesheet(testCtx(deps, world.workspace.id, world.actorOf(world.ada)), {
        timesheetId: sheet!.id,
      });
      const sender = createSlackSender({
        db,
        now: deps.now,
        botToken: fixedBotToken("xoxb-test"),
        apiUrl: SLACK_API_URL,
        channelIntervalMs: 0,
      });
      const handler = byPayloadType(timesheetSlackHandlers(sender, deps));
      for (const id of deps.enqueued) await runDelivery(db, { slack_dm: handler }, id, silentLogger);
      const dm = api.calls("chat.postMessage").find((c) => c.body.channel === world.approver.slackUserId);
      const said = {
        "es-ES": ["ha enviado", "Aprobar", "Rechazar"],
        "fr-FR": ["a soumis", "Approuver", "Refuser"],
        "en-US": ["submitted", "Approve", "Reject"],
      }[speaker.locale];
      expect(String(dm?.body.text)).toContain(said[0]);
      expect(JSON.stringify(dm?.body.blocks)).toContain(said[1]);
      expect(JSON.stringify(dm?.body.blocks)).toContain(said[2]);
    },
  );
});
