// `cobro import people`: members keyed by e-mail, all or nothing, every bad line named.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import type { Database } from "../../src/db/client.ts";
import { auditLog, members } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { createMember, createWorkspace } from "../helpers/factories.ts";

let database: Database;
const dir = mkdtempSync(join(tmpdir(), "cobro-people-"));
let n = 0;
function csv(text: string): string {
  const file = join(dir, `people-${++n}.csv`);
  writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  database = await testDatabase();
});

async function setUp() {
  const workspace = await createWorkspace(database.db);
  const cli = cliRunner(importCommand, { deps: serviceDeps(database.db), database });
  const run = (...args: string[]) => cli.run("people", ...args, "--workspace", workspace.id);
  const people = () =>
    database.db.select().from(members).where(eq(members.workspaceId, workspace.id)).orderBy(members.email);
  return { workspace, run, people };
}

const GOOD = `email,name,roles,slack_user_id,hourly_rate,approver_email
Ana.Garcia@Consult.example,Ana García,pm approver,,95,marc@consult.example
marc@consult.example,Marc Dubois,admin;billing,U0MARC,,
lea@consult.example,Léa Martin,collector,,70.50,ana.garcia@consult.example
`;

describe(`cobro import people on ${backend()}`, () => {
  it("creates members by e-mail with roles, Slack id, rate and approver; a re-import changes nothing", async () => {
    const { run, people } = await setUp();
    const dry = await run(csv(GOOD), "--dry-run");
    expect(dry.out).toMatch(/Dry run, nothing written: 3 people row\(s\).*3 created/);
    expect(await people()).toEqual([]);

    const first = await run(csv(GOOD));
    expect([first.code, first.out]).toEqual([
      0,
      expect.stringContaining("3 created, 0 updated, 0 unchanged"),
    ]);
    const [ana, lea, marc] = await people();
    expect(ana).toMatchObject({
      email: "ana.garcia@consult.example",
      name: "Ana García",
      roles: ["pm", "approver"],
      slackUserId: null,
      hourlyRateMinor: 9500,
      hourlyRateCurrency: "EUR",
      approverMemberId: marc?.id,
    });
    expect(marc).toMatchObject({ roles: ["admin", "billing"], slackUserId: "U0MARC", hourlyRateMinor: null });
    expect(lea).toMatchObject({ hourlyRateMinor: 7050, approverMemberId: ana?.id });

    // Any case is the same person; blank cells keep what Slack or setup gave.
    const again = await run(csv(GOOD.replace("marc@consult.example,Marc", "MARC@consult.example,Marc")));
    expect(again.out).toContain("0 created, 0 updated, 3 unchanged");
    const renamed = await run(csv(GOOD.replace("Léa Martin,collector", "Léa Martin-Roux,collector")));
    expect(renamed.out).toContain("0 created, 1 updated, 2 unchanged");
    const [audit] = await database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, lea!.id), eq(auditLog.action, "member.import_updated")));
    expect(audit?.after).toEqual({ name: "Léa Martin-Roux" });
  });

  it("completes a member first seen in Slack (setup's role pickers) instead of adding a second one", async () => {
    const { workspace, run, people } = await setUp();
    await createMember(database.db, workspace.id, { slackUserId: "U0ANA", email: null, roles: ["pm"] });
    const result = await run(csv("email,name,slack_user_id\nana@consult.example,Ana García,U0ANA\n"));
    expect(result.out).toContain("0 created, 1 updated");
    expect(await people()).toMatchObject([
      { email: "ana@consult.example", slackUserId: "U0ANA", roles: ["pm"], name: "Ana García" },
    ]);
  });

  it("refuses a file with bad e-mails, unknown roles or repeated keys whole, naming every line", async () => {
    const { workspace, run, people } = await setUp();
    await createMember(database.db, workspace.id, { slackUserId: "U0TAKEN", email: "taken@consult.example" });
    const before = await people();
    const bad = await run(
      csv(`email,name,roles,slack_user_id,approver_email
ana@consult.example,Ana,pm,,
not-an-email,Bob,pm,,
cleo@consult.example,Cleo,pm;boss;Sales,,
ANA@consult.example,Ana again,billing,,
dan@consult.example,Dan,,U0TAKEN,
eve@consult.example,Eve,,,nobody@consult.example
`),
    );
    expect(bad.code).toBe(2);
    expect(bad.out).toContain("5 problem(s), nothing was imported");
    expect(bad.out).toContain("line 3, column email: is not an e-mail address");
    expect(bad.out).toContain(
      'line 4, column roles: has unknown roles "boss", "sales": use admin, billing, collector, approver, pm',
    );
    expect(bad.out).toContain("line 5, column email: repeats line 2");
    expect(bad.out).toContain("line 6, column slack_user_id: is already taken@consult.example's Slack id");
    expect(bad.out).toContain(
      "line 7, column approver_email: no member has the e-mail nobody@consult.example: add a line for them",
    );
    expect(await people()).toEqual(before);
  });
});
