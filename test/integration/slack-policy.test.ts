// `/cobro policy`: the reminder policy in force for a client or project, edited in a modal.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runReminders } from "../../src/collections/run-reminders.ts";
import { dunningPolicies } from "../../src/db/schema/index.ts";
import { CALLBACKS } from "../../src/slack/kit/ids.ts";
import { backend } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
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

type ModalJson = {
  callback_id: string;
  private_metadata: string;
  blocks: { block_id?: string; element?: { initial_value?: string } }[];
};

async function scenario() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db);
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id, { name: "Globex", externalId: "C-GLOBEX" });
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", name: "Atlas portal" });
  return { db, workspace, teamId: workspace.slackTeamId!, collector, pm, client, project };
}

async function open(teamId: string, userId: string, text: string) {
  api.reset();
  await slack.app.command({ teamId, userId, command: "/cobro", text });
  await api.waitFor("views.update");
  return api.calls("views.update")[0]!.body.view as ModalJson;
}

const levelsOf = (view: ModalJson) =>
  view.blocks.find((b) => b.block_id === "policy_levels")?.element?.initial_value;

describe(`/cobro policy on ${backend()}`, () => {
  it("shows the policy in force and where it comes from; a client's own policy is checked, saved, inherited by its projects and removable", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.collector.slackUserId!, "policy client globex");
    expect(view.callback_id).toBe(CALLBACKS.editPolicy);
    expect(JSON.stringify(view)).toContain(
      "follow *Default (business)* (Cobro's built-in cadence for business clients)",
    );
    expect(levelsOf(view)).toBe(
      [
        "due-3 email courteous due_soon",
        "due+3 email courteous overdue_courteous",
        "+7 email firm overdue_firm",
        "+7 slack firm call_client",
        "+10 email formal formal_notice",
      ].join("\n"),
    );

    const submit = (levels: string, name = "") =>
      slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.collector.slackUserId!,
        callbackId: CALLBACKS.editPolicy,
        privateMetadata: view.private_metadata,
        values: {
          policy_name: { value: { type: "plain_text_input", value: name } },
          policy_levels: { value: { type: "plain_text_input", value: levels } },
        },
      });

    const tooSoon = await submit("due+3 email courteous\n+7 email firm\n+10 email formal");
    expect(tooSoon.json()).toEqual({
      response_action: "errors",
      errors: {
        policy_levels:
          "This reminder policy cannot be used: the formal notice needs at least 3 reminders before it.",
      },
    });
    const unreadable = await submit("tomorrow email courteous\ndue+3 fax firm");
    expect(unreadable.json()).toMatchObject({
      response_action: "errors",
      errors: {
        policy_levels: expect.stringMatching(
          /^Line 1 \("tomorrow.*\n.*Line 2 \("due\+3 fax firm"\): the channel is email or slack\.$/s,
        ),
      },
    });
    expect(
      await s.db.select().from(dunningPolicies).where(eq(dunningPolicies.workspaceId, s.workspace.id)),
    ).toEqual([]);

    const saved = await submit(
      "due+5 email courteous\n+7 email firm\n+7 slack firm\n+14 email formal",
      "Globex patience",
    );
    expect(saved.json()).toMatchObject({ response_action: "update" });
    const [row] = await s.db
      .select()
      .from(dunningPolicies)
      .where(eq(dunningPolicies.workspaceId, s.workspace.id));
    expect(row).toMatchObject({
      name: "Globex patience",
      clientId: s.client.id,
      projectId: null,
      profile: null,
    });
    expect(row?.levels.map((l) => [l.offsetDays, l.relativeTo, l.channel, l.tone, l.template])).toEqual([
      [5, "due", "email", "courteous", "overdue_courteous"],
      [7, "previous", "email", "firm", "overdue_firm"],
      [7, "previous", "slack_task", "firm", "call_client"],
      [14, "previous", "email", "formal", "formal_notice"],
    ]);

    const projectView = await open(s.teamId, s.collector.slackUserId!, "policy project atlas");
    expect(JSON.stringify(projectView)).toContain(
      "follow *Globex patience* (the policy of its client Globex)",
    );

    const again = await open(s.teamId, s.collector.slackUserId!, "policy client C-GLOBEX");
    const removed = await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      callbackId: CALLBACKS.editPolicy,
      privateMetadata: again.private_metadata,
      values: {
        policy_name: { value: { type: "plain_text_input", value: "" } },
        policy_levels: { value: { type: "plain_text_input", value: "  " } },
      },
    });
    expect(JSON.stringify(removed.json())).toContain("follows the policy above it again");

    // An altered form (another kind of target, or two at once) saves nothing and says so.
    for (const forged of ['{"clientId":"x"}', `{"profile":"business","clientId":"${s.client.id}"}`, "{"]) {
      const res = await slack.app.viewSubmission({
        teamId: s.teamId,
        userId: s.collector.slackUserId!,
        callbackId: CALLBACKS.editPolicy,
        privateMetadata: forged,
        values: {
          policy_name: { value: { type: "plain_text_input", value: "Forged" } },
          policy_levels: { value: { type: "plain_text_input", value: "due+3 email courteous" } },
        },
      });
      expect(JSON.stringify(res.json())).toContain("This form is out of date");
    }
    expect(
      await s.db.select().from(dunningPolicies).where(eq(dunningPolicies.workspaceId, s.workspace.id)),
    ).toEqual([]);
  });

  it("the next reminder run follows the policy saved for the client", async () => {
    const s = await scenario();
    await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
      projectId: s.project.id,
      dueDate: "2026-11-20",
      totalMinor: 121_000,
      openMinor: 121_000,
    });
    const view = await open(s.teamId, s.collector.slackUserId!, "policy client globex");
    await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      callbackId: CALLBACKS.editPolicy,
      privateMetadata: view.private_metadata,
      values: {
        policy_name: { value: { type: "plain_text_input", value: "Late starter" } },
        policy_levels: {
          value: {
            type: "plain_text_input",
            value: "due+10 email courteous\n+7 email firm\n+7 email firm\n+7 email formal",
          },
        },
      },
    });
    const clock = fixedClock("2026-11-17T09:00:00Z");
    const run = (asOf: string) => {
      clock.set(`${asOf}T09:00:00Z`);
      return runReminders(testCtx(serviceDeps(s.db, clock), s.workspace.id), { asOf });
    };
    // The built-in business cadence would have sent its pre-due reminder on the 17th.
    expect(await run("2026-11-17")).toMatchObject({ sent: 0 });
    expect(await run("2026-11-29")).toMatchObject({ sent: 0 });
    expect(await run("2026-11-30")).toMatchObject({ sent: 1 });
  });

  it("a profile policy applies to that profile's clients", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.collector.slackUserId!, "policy business");
    await slack.app.viewSubmission({
      teamId: s.teamId,
      userId: s.collector.slackUserId!,
      callbackId: CALLBACKS.editPolicy,
      privateMetadata: view.private_metadata,
      values: {
        policy_name: { value: { type: "plain_text_input", value: "B2B firm" } },
        policy_levels: {
          value: {
            type: "plain_text_input",
            value: "due+1 email courteous\n+5 email firm\n+5 email firm\n+10 email formal",
          },
        },
      },
    });
    const clientView = await open(s.teamId, s.collector.slackUserId!, "policy client globex");
    expect(JSON.stringify(clientView)).toContain("follow *B2B firm* (your policy for business clients)");
  });

  it("a project manager without a collections role is told who can", async () => {
    const s = await scenario();
    const view = await open(s.teamId, s.pm.slackUserId!, "policy project atlas");
    expect(JSON.stringify(view)).toContain(
      "Only a collector, someone in billing or an admin can act on collections.",
    );
  });
});
