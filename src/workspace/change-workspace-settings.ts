// Sets workspace settings by name (CLI `cobro settings set`, the Invoicing details modal), each
// checked by its one schema in domain/workspace-settings.ts; refusals come back by key.
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import {
  isSettingKey,
  parseSetting,
  SETTING_KEYS,
  SETTINGS,
  type SettingKey,
} from "../domain/workspace-settings.ts";
import { workspaceHasAdmin } from "./members-repo.ts";
import { lockWorkspace, type SellerIdentity, updateWorkspace, type WorkspaceSettings } from "./repo.ts";

export type ChangeSettingsResult =
  | { ok: true; changed: SettingKey[] }
  /** `errors` in English (CLI); `refusals` the same, translatable in Slack. */
  | { ok: false; errors: Record<string, string>; refusals: Record<string, DomainError> };

function put<T extends object>(target: T, field: string, value: unknown): T {
  const copy = { ...target } as Record<string, unknown>;
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy as T;
}

export async function changeWorkspaceSettings(
  ctx: Ctx,
  input: { values: Record<string, string> },
): Promise<ChangeSettingsResult> {
  // Until someone is admin, whoever sets the workspace up may (the first `/cobro setup`).
  if (await workspaceHasAdmin(ctx.db, ctx.workspaceId)) assertAllowed(ctx.actor, { action: "configure" });
  const refusals: Record<string, DomainError> = {};
  const parsed = new Map<SettingKey, unknown>();
  for (const [key, text] of Object.entries(input.values)) {
    if (!isSettingKey(key)) {
      const settings = SETTING_KEYS.join(", ");
      refusals[key] = new DomainError(
        "settings.unknown",
        `There is no setting "${key}". Settings: ${settings}.`,
        {
          messageKey: "workspace.settings.refused.unknown",
          messageValues: { key, settings },
        },
      );
      continue;
    }
    const result = parseSetting(key, text);
    if (result.ok) parsed.set(key, result.value);
    else refusals[key] = result.error;
  }
  if (Object.keys(refusals).length > 0) {
    const errors = Object.fromEntries(Object.entries(refusals).map(([k, e]) => [k, e.userMessage]));
    return { ok: false, errors, refusals };
  }

  return ctx.db.transaction(async (tx) => {
    const before = await lockWorkspace(tx, ctx.workspaceId);
    let settings: WorkspaceSettings = before.settings;
    let seller: SellerIdentity | null = before.seller;
    const changed: SettingKey[] = [];
    for (const [key, value] of parsed) {
      const target = SETTINGS[key].target;
      if (target.in === "seller") {
        if (!seller) {
          throw new DomainError("settings.no_seller", "seller identity missing", {
            userMessage: `Fill in your company first (legal name and address, in \`/cobro setup\`), then set ${key}.`,
            messageKey: "workspace.settings.refused.no_seller",
            messageValues: { key },
          });
        }
        if (seller[target.field] === value) continue;
        seller = put(seller, target.field, value);
      } else if (target.in === "seriesFormats") {
        if (settings.seriesFormats?.[target.field] === value) continue;
        settings = { ...settings, seriesFormats: put(settings.seriesFormats ?? {}, target.field, value) };
      } else {
        if (JSON.stringify(settings[target.field]) === JSON.stringify(value)) continue;
        settings = put(settings, target.field, value);
      }
      changed.push(key);
    }
    if (changed.length === 0) return { ok: true as const, changed };
    await updateWorkspace(tx, ctx.workspaceId, { settings, seller });
    await recordAudit(tx, {
      workspaceId: ctx.workspaceId,
      actor: auditActorOf(ctx.actor),
      action: "workspace.settings_updated",
      entity: "workspace",
      entityId: ctx.workspaceId,
      before: { settings: before.settings, seller: before.seller },
      after: { settings, seller },
    });
    return { ok: true as const, changed };
  });
}
