// Slack requests are believed only when signed now: neither long ago (Bolt) nor for later (Cobro).
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { milestones } from "../../src/db/schema/index.ts";
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

const slack = useSlackTestApp();
const { api } = slack;

async function plannedMilestone() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db);
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  const client = await createClient(db, workspace.id);
  const project = await createProject(db, workspace.id, client.id, { code: "ATLAS", pmMemberId: pm.id });
  const milestone = await createMilestone(db, workspace.id, project.id, {
    name: "Design",
    amountMinor: 100_000,
  });
  const body = new URLSearchParams({
    team_id: workspace.slackTeamId as string,
    user_id: pm.slackUserId as string,
    command: "/milestone",
    text: "done atlas design",
    response_url: `${RESPONSE_URL_BASE}commands/time-check`,
  }).toString();
  const status = async () =>
    (await db.select().from(milestones).where(eq(milestones.id, milestone.id)))[0]?.status;
  return { body, status };
}

const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

describe(`Slack request timestamps on ${backend()}`, () => {
  it("refuses a correctly signed request dated an hour or a month ahead, and changes nothing", async () => {
    const { body, status } = await plannedMilestone();
    for (const ahead of [3600, 30 * 24 * 3600]) {
      const response = await slack.app.post(body, { timestamp: inSeconds(ahead) });
      expect(response.status).toBe(401);
    }
    expect(await status()).toBe("planned");
    expect(api.calls()).toHaveLength(0);
  });

  it("accepts a request whose clock is a few minutes ahead (within Slack's 5 minutes)", async () => {
    const { body, status } = await plannedMilestone();
    const response = await slack.app.post(body, { timestamp: inSeconds(4 * 60) });
    expect(response.status).toBe(200);
    await expect.poll(status).toBe("done");
  });
});
