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

async function openHome(teamId: string, userId: string) {
  api.reset();
  const res = await slack.app.event({
    teamId,
    event: { type: "app_home_opened", user: userId, tab: "home" },
  });
  expect(res.status).toBe(200);
  await api.waitFor("views.publish");
  const view = api.calls("views.publish")[0]!.body.view as { blocks: { type: string }[] };
  return { view, json: JSON.stringify(view) };
}

describe(`App Home over signed HTTP on ${backend()}`, () => {
  it("shows a collector their overdue invoices and the aged balance, a PM their projects' ones, within 100 blocks", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db);
    const teamId = ws.slackTeamId as string;
    const collector = await createMember(db, ws.id, { roles: ["collector"] });
    const pm = await createMember(db, ws.id, { roles: ["pm"] });
    const bystander = await createMember(db, ws.id, { roles: [] });
    const mine = await createClient(db, ws.id, { name: "Initech", collectorMemberId: collector.id });
    const other = await createClient(db, ws.id, { name: "Umbrella" });
    const project = await createProject(db, ws.id, other.id, { name: "Hive", pmMemberId: pm.id });
    for (let i = 0; i < 60; i++) {
      await createIssuedInvoice(db, ws.id, mine.id, { totalMinor: 10_000 + i, dueDate: "2026-10-01" });
    }
    await createIssuedInvoice(db, ws.id, other.id, {
      projectId: project.id,
      number: "F-HIVE-1",
      dueDate: "2026-11-01",
    });
    await createIssuedInvoice(db, ws.id, other.id, { number: "F-NOT-DUE", dueDate: "2026-12-31" });

    const asCollector = await openHome(teamId, collector.slackUserId!);
    expect(asCollector.view.blocks.length).toBeLessThanOrEqual(100);
    expect(asCollector.json).toContain("Overdue invoices for you (60)");
    expect(asCollector.json).toContain("you collect");
    expect(asCollector.json).toContain("more overdue");
    expect(asCollector.json).toContain("Aged receivables");
    expect(asCollector.json).toContain("collection_send_reminder_now");
    expect(asCollector.json).not.toContain("F-HIVE-1");

    const asPm = await openHome(teamId, pm.slackUserId!);
    expect(asPm.json).toContain("Overdue invoices for you (1)");
    expect(asPm.json).toContain("F-HIVE-1");
    expect(asPm.json).toContain("your project");
    expect(asPm.json).not.toContain("F-NOT-DUE");
    expect(asPm.json).not.toContain("Aged receivables");
    expect(asPm.json).toContain("Timesheets to approve");

    const asNobody = await openHome(teamId, bystander.slackUserId!);
    expect(asNobody.json).not.toContain("Overdue invoices for you");
    expect(asNobody.json).not.toContain("Aged receivables");
  });
});
