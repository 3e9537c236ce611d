import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { recordAudit } from "../../src/db/audit.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { createWorkspace } from "../helpers/factories.ts";

describe(`audit log on ${backend()}`, () => {
  it("accepts new entries but the database refuses to update or delete them", async () => {
    const database = await testDatabase();
    const workspace = await createWorkspace(database.db);
    const entityId = randomUUID();
    await recordAudit(database.db, {
      workspaceId: workspace.id,
      actor: "system",
      action: "invoice.paid",
      entity: "invoice",
      entityId,
      before: { status: "issued" },
      after: { status: "paid" },
    });
    const select = "select action from audit_log where entity_id = $1";
    expect(await database.query(select, [entityId])).toEqual([{ action: "invoice.paid" }]);

    await expect(
      database.query("update audit_log set action = 'forged' where entity_id = $1", [entityId]),
    ).rejects.toThrow(/audit_log is append-only: UPDATE is not allowed/);
    await expect(database.query("delete from audit_log where entity_id = $1", [entityId])).rejects.toThrow(
      /audit_log is append-only: DELETE is not allowed/,
    );
    await expect(database.exec("truncate audit_log")).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await database.query(select, [entityId])).toEqual([{ action: "invoice.paid" }]);
  });
});
