// The bound on post-ack work: with one request running and one waiting, the next is refused at its
// ack with a "busy, try again" message and changes nothing; the accepted ones all finish.
import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { milestones, slackEventsSeen } from "../../src/db/schema/index.ts";
import { BUSY_TEXT } from "../../src/slack/bounded-app.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { RESPONSE_URL_BASE } from "../helpers/slack-api.ts";

const slack = useSlackTestApp({ postAckWork: { concurrency: 1, backlog: 1 } });
const { api } = slack;

/** Replies to response_url are held until `release()`: the work of their request stays running. */
function holdReplies() {
  const replies: { url: string; text: string }[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  api.server.use(
    http.post(`${RESPONSE_URL_BASE}*`, async ({ request }) => {
      const body = (await request.json()) as { text?: string };
      await released;
      replies.push({ url: request.url, text: String(body.text) });
      return HttpResponse.text("ok");
    }),
  );
  return { replies, release };
}

async function scenario(language?: "es" | "fr") {
  const db = slack.database.db;
  const workspace = await createWorkspace(db);
  const pm = await createMember(db, workspace.id, { roles: ["pm"], ...(language ? { language } : {}) });
  const client = await createClient(db, workspace.id, { name: "Globex" });
  const project = await createProject(db, workspace.id, client.id, {
    code: "ATLAS",
    name: "Atlas",
    pmMemberId: pm.id,
  });
  const milestone = await createMilestone(db, workspace.id, project.id, { name: "Design" });
  return { teamId: workspace.slackTeamId as string, userId: pm.slackUserId as string, milestone };
}

async function waitUntil(condition: () => boolean) {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe(`post-ack work is bounded per process on ${backend()}`, () => {
  it("sheds a command beyond the backlog with an ephemeral busy message, and finishes every accepted one", async () => {
    const s = await scenario();
    const { replies, release } = holdReplies();
    const help = { teamId: s.teamId, userId: s.userId, command: "/milestone", text: "help" };

    const running = await slack.app.command(help);
    await waitUntil(() => slack.app.slack.postAckWork.running() === 1);
    const waiting = await slack.app.command(help);
    expect([running.status, running.text, waiting.status, waiting.text]).toEqual([200, "", 200, ""]);
    expect(slack.app.slack.postAckWork.waiting()).toBe(1);

    const shed = await slack.app.command({ ...help, text: "done atlas design" });
    expect(shed.status).toBe(200);
    expect(JSON.parse(shed.text)).toEqual({ response_type: "ephemeral", text: BUSY_TEXT });
    expect(BUSY_TEXT).toMatch(/busy.*try again/i);

    release();
    await waitUntil(() => replies.length === 2);
    await slack.app.slack.stop(); // waits for accepted work: nothing runs or waits any more
    expect(replies.map((r) => r.text)).toEqual([
      expect.stringContaining("/milestone done"),
      expect.stringContaining("/milestone done"),
    ]);
    const [row] = await slack.database.db.select().from(milestones).where(eq(milestones.id, s.milestone.id));
    expect(row?.status).toBe("planned");

    // Room again: the same command now does its work.
    const retried = await slack.app.command({ ...help, text: "done atlas design" });
    expect(retried.text).toBe("");
    await waitUntil(() => replies.length === 3);
    expect(replies[2]?.text).toMatch(/ATLAS · Design\* is done/);
  });

  it("tells a shed click on its response_url and a shed modal under its first field; a shed event gets 503 so Slack delivers it again", async () => {
    const s = await scenario();
    const { replies, release } = holdReplies();
    const help = { teamId: s.teamId, userId: s.userId, command: "/milestone", text: "help" };
    await slack.app.command(help);
    await waitUntil(() => slack.app.slack.postAckWork.running() === 1);
    await slack.app.command(help);
    await waitUntil(() => slack.app.slack.postAckWork.waiting() === 1);

    const click = await slack.app.action({
      teamId: s.teamId,
      userId: s.userId,
      actionId: "aging_share",
      value: "{}",
    });
    expect(click.status).toBe(200);
    const submitted = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.userId,
      callbackId: "cobro_setup",
      values: { time_zone: { value: { type: "plain_text_input", value: "Europe/Madrid" } } },
      blocks: [{ type: "input", block_id: "time_zone", label: { type: "plain_text", text: "Time zone" } }],
    });
    expect(submitted.json()).toEqual({
      response_action: "errors",
      errors: { time_zone: expect.stringMatching(/busy.*submit again/i) },
    });
    const eventId = "EvSHEDTEST1";
    const opened = { type: "app_home_opened", user: s.userId, tab: "home" };
    const event = await slack.app.event({ teamId: s.teamId, eventId, event: opened });
    expect(event.status).toBe(503);

    release();
    await waitUntil(() => replies.length === 3);
    expect(replies.filter((r) => r.url.includes("/actions/")).map((r) => r.text)).toEqual([BUSY_TEXT]);
    await slack.app.slack.stop();
    const seen = await slack.database.db
      .select()
      .from(slackEventsSeen)
      .where(eq(slackEventsSeen.eventId, eventId));
    expect(seen).toHaveLength(0);

    const redelivered = await slack.app.event({ teamId: s.teamId, eventId, event: opened, retryNum: 1 });
    expect(redelivered.status).toBe(200);
    await api.waitFor("views.publish");
  });

  it.each([
    {
      language: "es" as const,
      busy: "Cobro está ocupado en este momento y no lo ha hecho. No se ha cambiado nada",
      field:
        "Cobro está ocupado en este momento y no ha guardado nada: vuelve a enviarlo dentro de un minuto.",
    },
    {
      language: "fr" as const,
      busy: "Cobro est occupé pour le moment et ne l’a pas fait. Rien n’a été modifié",
      field: "Cobro est occupé pour le moment et n’a rien enregistré : validez à nouveau dans une minute.",
    },
  ])("says busy in the language Cobro last read for the person ($language)", async (reader) => {
    const s = await scenario(reader.language);
    const { release } = holdReplies();
    const help = { teamId: s.teamId, userId: s.userId, command: "/milestone", text: "help" };
    await slack.app.command(help);
    await waitUntil(() => slack.app.slack.postAckWork.running() === 1);
    await slack.app.command(help);
    await waitUntil(() => slack.app.slack.postAckWork.waiting() === 1);

    const shed = await slack.app.command({ ...help, text: "done atlas design" });
    expect(JSON.parse(shed.text).text).toContain(reader.busy);
    const submitted = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.userId,
      callbackId: "cobro_setup",
      values: { time_zone: { value: { type: "plain_text_input", value: "Europe/Madrid" } } },
      blocks: [{ type: "input", block_id: "time_zone", label: { type: "plain_text", text: "Time zone" } }],
    });
    expect(submitted.json()).toEqual({ response_action: "errors", errors: { time_zone: reader.field } });
    release();
    await slack.app.slack.stop();
  });
});
