// Every setting set by name, with its current value as one would type it (`cobro settings show`,
// the Invoicing details modal).
import type { Ctx } from "../context.ts";
import { present } from "../domain/errors.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { SETTING_KEYS, SETTINGS, type SettingKey } from "../domain/workspace-settings.ts";
import { workspaceHasAdmin } from "./members-repo.ts";
import { findWorkspaceById } from "./repo.ts";
import type { SettingLine as ViewLine } from "./slack/settings-details-modal.ts";

export type SettingLine = ViewLine & { key: SettingKey };

export async function listWorkspaceSettings(
  ctx: Ctx,
  _input: Record<string, never> = {},
): Promise<SettingLine[]> {
  // Until someone is admin, whoever sets the workspace up may (the first `/cobro setup`).
  if (await workspaceHasAdmin(ctx.db, ctx.workspaceId)) assertAllowed(ctx.actor, { action: "configure" });
  const workspace = present(await findWorkspaceById(ctx.db, ctx.workspaceId), "workspace");
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
