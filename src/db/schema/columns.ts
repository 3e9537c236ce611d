// Column helpers shared by every schema file: ids, workspace key, money, timestamps.
import { bigint, char, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces.ts";

export const id = () => uuid("id").primaryKey().defaultRandom();
export const workspaceId = () =>
  uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });
// Minor units fit a JS number up to 2^53 (90 trillion EUR): mode number keeps JSON and maths simple.
export const minor = (name: string) => bigint(name, { mode: "number" });
export const currency = (name = "currency") => char(name, { length: 3 });
/** Every instant Cobro stores is a timestamp with time zone. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });
export const createdAt = () => timestamptz("created_at").notNull().defaultNow();
export const updatedAt = () => timestamptz("updated_at").notNull().defaultNow();
