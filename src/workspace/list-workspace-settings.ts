// Every setting set by name, with its current value as one would type it (`cobro settings show`,
// the Invoicing details modal).
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { workspaces } from "../db/schema/index.ts";
import { type Actor, assertAllowed } from "../domain/permissions.ts";
import { SETTING_KEYS, SETTINGS, type SettingKey } from "../domain/workspace-settings.ts";
import { workspaceHasAdmin } from "./load-workspace-settings.ts";
import type { SettingLine as ViewLine } from "./slack/settings-details-modal.ts";

export type SettingLine = ViewLine & { key: SettingKey };

export async function listWorkspaceSettings(
  db: Db,
  input: { workspaceId: string; actor: Actor | "cli" },
): Promise<SettingLine[]> {
  if (input.actor !== "cli" && (await workspaceHasAdmin(db, input.workspaceId))) {
    assertAllowed(input.actor, { action: "configure" });
  }
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, input.workspaceId));
  if (!workspace) throw new Error(`workspace ${input.workspaceId} not found`);
  return SETTING_KEYS.map((key) => {
    const spec = SETTINGS[key];
    const target = spec.target;
    const stored =
      target.in === "seller"
        ? workspace.seller?.[target.field]
        : target.in === "seriesFormats"
          ? workspace.settings.seriesFormats?.[target.field]
          : workspace.settings[target.field];
    return { key, label: spec.label, help: spec.help, value: spec.format(stored) };
  });
}
