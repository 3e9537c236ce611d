import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { timestamptz, workspaceId } from "./columns.ts";

/** Append-only: every change to money or status, who made it and the state before and after. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    workspaceId: workspaceId(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: uuid("entity_id").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    at: timestamptz("at").notNull().defaultNow(),
  },
  (t) => [index().on(t.workspaceId, t.entity, t.entityId)],
);
