// Saves the `/cobro project` modal with the rules of the project CSV; refusals come back by field.
import { z } from "zod";
import type { Ctx } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { DomainError } from "../domain/errors.ts";
import {
  type DecimalText,
  decimalToMinor,
  type FieldErrors,
  fieldErrorsOf,
  projectEditableCells,
} from "../domain/import-rows.ts";
import { assertAllowed, auditActorOf } from "../domain/permissions.ts";
import { memberByEmail } from "../workspace/index.ts";
import { lockProject, updateProject } from "./repo.ts";

const ProjectForm = z.object(projectEditableCells());

export type UpdateProjectResult = { ok: true; code: string } | { ok: false; errors: FieldErrors };

export async function updateProjectDetails(
  ctx: Ctx,
  input: { projectId: string; fields: Record<string, string> },
): Promise<UpdateProjectResult> {
  const { workspaceId, actor } = ctx;
  assertAllowed(actor, { action: "editParties" });
  const parsed = ProjectForm.safeParse(input.fields);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const f = parsed.data;
  return ctx.db.transaction(async (tx) => {
    const before = await lockProject(tx, workspaceId, input.projectId);
    if (!before) {
      throw new DomainError("project.not_found", `project ${input.projectId} not found`, {
        userMessage: "This project no longer exists in this workspace.",
      });
    }
    const rate =
      f.hourly_rate === undefined ? null : decimalToMinor(f.hourly_rate as DecimalText, before.currency);
    if (typeof rate === "string") return { ok: false as const, errors: { hourly_rate: `Rate ${rate}.` } };
    const person = async (email: string | undefined, role: "pm" | "approver") =>
      email ? (await memberByEmail(tx, workspaceId, email, role)).id : null;
    const after = {
      name: f.name,
      pmMemberId: await person(f.pm_email, "pm"),
      approverMemberId: await person(f.approver_email, "approver"),
      hourlyRateMinor: rate,
      slackChannelId: f.slack_channel ?? null,
    };
    await updateProject(tx, before.id, { ...after, updatedAt: ctx.now() });
    await recordAudit(tx, {
      workspaceId,
      actor: auditActorOf(actor),
      action: "project.updated",
      entity: "project",
      entityId: before.id,
      before: Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])),
      after,
    });
    return { ok: true as const, code: before.code };
  });
}
