// Names are user-supplied (CSV, Slack forms): whatever they hold, Cobro's messages must not notify
// a channel, mention someone or link anywhere. Every recorded Web API call and response_url post is
// searched for a control sequence that was not escaped, in `text` and in every mrkdwn text object.
import { describe, expect, it } from "vitest";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

/** Every Slack-parsed string in a call: top-level text, mrkdwn objects, file titles and comments. */
function parsedTexts(value: unknown, path = ""): { path: string; text: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => parsedTexts(v, `${path}[${i}]`));
  if (!value || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  // plain_text is shown as typed: Slack parses no mention or link in it.
  if (object.type === "plain_text") return [];
  const found: { path: string; text: string }[] = [];
  for (const [key, v] of Object.entries(object)) {
    if (typeof v === "string" && ["text", "initial_comment", "title"].includes(key)) {
      found.push({ path: `${path}.${key}`, text: v });
    } else found.push(...parsedTexts(v, `${path}.${key}`));
  }
  return found;
}

function unescaped(text: string): string[] {
  const problems: string[] = [];
  if (/<!channel>|<!here>|<!everyone>/.test(text)) problems.push("a broadcast mention");
  if (/<@U123>/.test(text)) problems.push("a user mention from a name");
  if (/<https:\/\/evil/.test(text)) problems.push("a link from a name");
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push("a bare &");
  return problems;
}

function everyProblem() {
  const calls = [
    ...api.calls().map((c) => ({ where: c.method, body: c.body })),
    ...api.hooks().map((h) => ({ where: "response_url", body: h.body })),
  ];
  return calls.flatMap(({ where, body }) =>
    parsedTexts(body).flatMap(({ path, text }) =>
      unescaped(text).map(
        (problem) => `${where}${path}: ${problem} in ${JSON.stringify(text.slice(0, 120))}`,
      ),
    ),
  );
}

describe(`names with Slack control sequences on ${backend()}`, () => {
  it("never reach a message, reply, modal, App Home or file unescaped", async () => {
    const db = slack.database.db;
    const workspace = await createWorkspace(db);
    const teamId = workspace.slackTeamId as string;
    const pm = await createMember(db, workspace.id, {
      name: "<@U123> & <!channel>",
      roles: ["pm", "billing"],
    });
    await createMember(db, workspace.id, {
      slackUserId: "UCOLLECT",
      name: "<https://evil|x>",
      roles: ["collector", "billing"],
    });
    const client = await createClient(db, workspace.id, { name: "<!channel> & Sons <https://evil|x>" });
    const project = await createProject(db, workspace.id, client.id, {
      code: "ATLAS",
      name: "<@U123> <https://evil|x>",
      pmMemberId: pm.id,
      slackChannelId: "CATLAS",
    });
    await createMilestone(db, workspace.id, project.id, { name: "<!channel>", amountMinor: 500_000 });
    await createIssuedInvoice(db, workspace.id, client.id, {
      number: "A-2026-0001",
      projectId: project.id,
      totalMinor: 20_000,
      dueDate: "2026-10-01",
    });

    await slack.app.command({
      teamId,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: "done atlas <!channel>",
    });
    await api.waitFor("hook");
    await slack.app.runDeliveries();
    expect(api.calls("chat.postMessage").length).toBeGreaterThan(0);

    await slack.app.command({
      teamId,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: 'add ATLAS "<https://evil|x> & <@U123>" 100',
    });
    await api.waitFor("hook", 2);
    await slack.app.command({
      teamId,
      userId: pm.slackUserId!,
      command: "/milestone",
      text: "undo atlas <!channel>",
    });
    await api.waitFor("hook", 3);
    await slack.app.command({ teamId, userId: "UCOLLECT", command: "/aging", text: "" });
    await api.waitFor("hook", 4);
    await slack.app.event({ teamId, event: { type: "app_home_opened", user: pm.slackUserId!, tab: "home" } });
    await api.waitFor("views.publish");

    const texts = JSON.stringify([...api.calls(), ...api.hooks()]);
    // The names are there, shown as typed…
    expect(texts).toContain("&lt;!channel&gt;");
    // …and nowhere as a control sequence.
    expect(everyProblem()).toEqual([]);
  });
});
