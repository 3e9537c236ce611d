// Saves the setup modal: channels, locale, seller identity, auto-issue and roles, in one transaction.
// Invalid fields come back by name so the modal can show each error next to its field: a catalogue key
// (`workspace.setup.error.*`) the modal shows in the reader's language, or a check digit's English words.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { type AuditEntry, recordAudit } from "../db/audit.ts";
import { isCurrencyCode } from "../domain/money.ts";
import { sirenProblem, spanishNifProblem, vatIdProblem } from "../domain/party-ids.ts";
import { assertAllowed, auditActorOf, type Role } from "../domain/permissions.ts";
import { ensureMember } from "./ensure-member.ts";
import { findKnownSlackUsers, listSlackMembers, setMemberRoles, workspaceHasAdmin } from "./members-repo.ts";
import { findMemberRoles, lockWorkspace, updateWorkspace } from "./repo.ts";

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.includes("/") || value === "UTC";
  } catch {
    return false;
  }
}

function isValidIban(value: string): boolean {
  const iban = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const digits = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const optional = (schema: z.ZodString) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** The same check digits as client ids (domain/party-ids.ts), worded for a field. */
const checkId = (problem: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
  const why = problem(value)?.replace(/^is /, "");
  if (why) ctx.addIssue({ code: "custom", message: `${why.charAt(0).toUpperCase()}${why.slice(1)}.` });
};

const channel = z.string().regex(/^[CG][A-Z0-9]{2,}$/, "workspace.setup.error.channel");

export const WorkspaceSettingsInput = z.object({
  billingChannelId: channel,
  collectionsChannelId: channel,
  timeZone: z.string().trim().refine(isTimeZone, "workspace.setup.error.time_zone"),
  baseCurrency: z.string().trim().toUpperCase().refine(isCurrencyCode, "workspace.setup.error.currency"),
  locale: z.enum(["en", "fr", "es"], { error: "workspace.setup.error.locale" }),
  legalName: z.string().trim().min(2, "workspace.setup.error.legal_name").max(200),
  addressLine1: z.string().trim().min(3, "workspace.setup.error.address").max(200),
  postcode: z.string().trim().min(2, "workspace.setup.error.postcode").max(20),
  city: z.string().trim().min(1, "workspace.setup.error.city").max(100),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "workspace.setup.error.country"),
  vatId: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}[A-Z0-9]{2,13}$/, "workspace.setup.error.vat_id")
      .superRefine(checkId((v) => vatIdProblem(v, ""))),
  ),
  siren: optional(
    z
      .string()
      .trim()
      .regex(/^\d{9}$/, "workspace.setup.error.siren")
      .superRefine(checkId(sirenProblem)),
  ),
  nif: optional(
    z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9]\d{7}[A-Z0-9]$/, "workspace.setup.error.nif")
      .superRefine(checkId(spanishNifProblem)),
  ),
  iban: optional(z.string().trim().refine(isValidIban, "workspace.setup.error.iban")),
  autoIssueOnMilestone: z.boolean({ error: "workspace.setup.error.option" }),
  monthlyStatements: z.boolean({ error: "workspace.setup.error.option" }).default(false),
  roles: z.object({
    admin: z.array(z.string()).min(1, "workspace.setup.error.admin"),
    billing: z.array(z.string()),
    collector: z.array(z.string()),
    approver: z.array(z.string()),
    pm: z.array(z.string()),
  }),
});
export type WorkspaceSettingsInput = z.infer<typeof WorkspaceSettingsInput>;

export type SettingsField = keyof WorkspaceSettingsInput | `roles.${Role}`;

export type UpdateWorkspaceSettingsResult =
  | { ok: true; changedRoles: number }
  | { ok: false; errors: Partial<Record<SettingsField, string>> };

export async function updateWorkspaceSettings(
  ctx: Ctx,
  input: {
    settings: unknown;
    /** Slack's e-mail of a picked user, so that they are linked to the member imported with it. */
    profileOf?: (slackUserId: string) => Promise<{ email: string | null; name: string | null }>;
  },
): Promise<UpdateWorkspaceSettingsResult> {
  // Until someone is admin, whoever sets the workspace up may (the first `/cobro setup`).
  if (await workspaceHasAdmin(ctx.db, ctx.workspaceId)) assertAllowed(ctx.actor, { action: "configure" });
  const parsed = WorkspaceSettingsInput.safeParse(input.settings);
  if (!parsed.success) {
    const errors: Partial<Record<SettingsField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".") as SettingsField;
      errors[field] ??= issue.message;
    }
    return { ok: false, errors };
  }
  const s = parsed.data;
  const profiles = await profilesOfNewMembers(ctx, input.profileOf, Object.values(s.roles).flat());
  return ctx.db.transaction(async (tx) => {
    const actor = auditActorOf(ctx.actor);
    const audit = (entry: Omit<AuditEntry, "workspaceId" | "actor">) =>
      recordAudit(tx, { workspaceId: ctx.workspaceId, actor, ...entry });
    const before = await lockWorkspace(tx, ctx.workspaceId);
    const after = {
      billingChannelId: s.billingChannelId,
      collectionsChannelId: s.collectionsChannelId,
      timeZone: s.timeZone,
      baseCurrency: s.baseCurrency,
      locale: s.locale,
      seller: {
        ...before.seller,
        legalName: s.legalName,
        address: { line1: s.addressLine1, postcode: s.postcode, city: s.city, country: s.country },
        vatId: s.vatId,
        siren: s.siren,
        nif: s.nif,
        iban: s.iban?.replace(/\s+/g, "").toUpperCase(),
      },
      settings: {
        ...before.settings,
        autoIssueOnMilestone: s.autoIssueOnMilestone,
        monthlyStatements: s.monthlyStatements,
      },
    };
    await updateWorkspace(tx, ctx.workspaceId, after);
    await audit({
      action: "workspace.settings_updated",
      entity: "workspace",
      entityId: ctx.workspaceId,
      before: {
        billingChannelId: before.billingChannelId,
        collectionsChannelId: before.collectionsChannelId,
        timeZone: before.timeZone,
        baseCurrency: before.baseCurrency,
        locale: before.locale,
        seller: before.seller,
        settings: before.settings,
      },
      after,
    });

    const wanted = new Map<string, Role[]>();
    for (const role of ["admin", "billing", "collector", "approver", "pm"] as const) {
      for (const user of s.roles[role]) wanted.set(user, [...(wanted.get(user) ?? []), role]);
    }
    const existing = await listSlackMembers(tx, ctx.workspaceId);
    let changedRoles = 0;
    const changeRoles = async (memberId: string, from: readonly Role[], roles: Role[]) => {
      await setMemberRoles(tx, memberId, roles);
      await audit({
        action: "member.roles_changed",
        entity: "member",
        entityId: memberId,
        before: { roles: from },
        after: { roles },
      });
      changedRoles++;
    };
    const sameRoles = (a: readonly Role[], b: readonly Role[]) =>
      a.length === b.length && a.every((r) => b.includes(r));
    for (const member of existing) {
      const roles = wanted.get(member.slackUserId ?? "") ?? [];
      wanted.delete(member.slackUserId ?? "");
      if (!sameRoles(member.roles, roles)) await changeRoles(member.id, member.roles, roles);
    }
    for (const [slackUserId, picked] of wanted) {
      const memberId = await ensureMember(tx, ctx.workspaceId, slackUserId, {
        ...profiles.get(slackUserId),
        reason: "given a role in /cobro setup",
      });
      // Someone imported with roles and linked just now keeps them: the modal could not show them.
      const before = (await findMemberRoles(tx, ctx.workspaceId, memberId)) ?? [];
      await changeRoles(memberId, before, [...new Set([...before, ...picked])]);
    }
    return { ok: true as const, changedRoles };
  });
}

/** Waits this long at most for Slack (the modal's answer is due within 3 s); later ones link when they act. */
const PROFILE_WAIT_MS = 1500;

async function profilesOfNewMembers(
  ctx: Ctx,
  profileOf: ((slackUserId: string) => Promise<{ email: string | null; name: string | null }>) | undefined,
  picked: string[],
): Promise<Map<string, { email: string | null; name: string | null }>> {
  const profiles = new Map<string, { email: string | null; name: string | null }>();
  if (!profileOf || picked.length === 0) return profiles;
  const known = await findKnownSlackUsers(ctx.db, ctx.workspaceId, picked);
  const unknown = [...new Set(picked)].filter((u) => !known.includes(u));
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, PROFILE_WAIT_MS).unref());
  await Promise.race([
    Promise.all(
      unknown.map((userId) =>
        profileOf(userId).then(
          (profile) => void profiles.set(userId, profile),
          (error: unknown) =>
            ctx.logger.warn({ err: error, userId }, "users.info failed: linked when they act"),
        ),
      ),
    ),
    timeout,
  ]);
  return profiles;
}
