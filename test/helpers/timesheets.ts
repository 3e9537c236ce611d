// A workspace with a time-billed project, an approver, people and entries, for timesheet tests.
import type { Db } from "../../src/db/client.ts";
import type { Actor } from "../../src/domain/permissions.ts";
import type { Role } from "../../src/domain/roles.ts";
import type { TimeEntryDraft } from "../../src/domain/time-entry-formats.ts";
import { recordTimeEntries } from "../../src/timesheets/record-time-entries.ts";
import { serviceDeps, testCtx } from "./deps.ts";
import { createClient, createMember, createProject, createWorkspace } from "./factories.ts";

export async function timesheetWorld(db: Db) {
  const workspace = await createWorkspace(db);
  const approver = await createMember(db, workspace.id, {
    name: "Paula PM",
    email: `pm-${workspace.id.slice(0, 8)}@acme.example`,
    roles: ["pm"],
  });
  const ada = await createMember(db, workspace.id, { name: "Ada Lovelace", email: "ada@acme.example" });
  const grace = await createMember(db, workspace.id, { name: "Grace Hopper", email: "grace@acme.example" });
  const outsider = await createMember(db, workspace.id, { name: "Otto Other", email: "otto@acme.example" });
  const client = await createClient(db, workspace.id, { name: "Globex" });
  const atlas = await createProject(db, workspace.id, client.id, {
    code: "ATLAS",
    name: "Atlas redesign",
    billingMode: "time",
    hourlyRateMinor: 9333,
    pmMemberId: approver.id,
  });
  const orion = await createProject(db, workspace.id, client.id, {
    code: "ORION",
    name: "Orion platform",
    billingMode: "time",
    hourlyRateMinor: 10000,
    pmMemberId: approver.id,
  });
  const actorOf = (m: {
    id: string;
    email: string | null;
    roles: string[];
    slackUserId: string | null;
  }): Actor => ({
    kind: "member",
    memberId: m.id,
    slackUserId: m.slackUserId ?? "",
    roles: m.roles as Role[],
  });
  return { workspace, approver, ada, grace, outsider, client, atlas, orion, actorOf };
}

let counter = 0;
export function entry(values: Partial<TimeEntryDraft> = {}): TimeEntryDraft {
  counter++;
  return {
    line: counter,
    source: "api",
    externalId: `e-${Date.now()}-${counter}`,
    identity: "",
    projectCode: "ATLAS",
    projectName: null,
    personEmail: "ada@acme.example",
    personName: "Ada Lovelace",
    workDate: "2026-11-16",
    minutes: 60,
    description: "work",
    task: null,
    billable: true,
    ...values,
  };
}

export async function logEntries(db: Db, workspaceId: string, entries: TimeEntryDraft[]) {
  const result = await recordTimeEntries(testCtx(serviceDeps(db), workspaceId), { entries });
  if (result.errors.length > 0) throw new Error(JSON.stringify(result.errors));
  return result;
}
