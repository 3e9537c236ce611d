// Saves the `/cobro project` modal with the rules of the project CSV; refusals come back by field.
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { ServiceDeps } from "../context.ts";
import { recordAudit } from "../db/audit.ts";
import { projects } from "../db/schema/index.ts";
import { DomainError } from "../domain/errors.ts";
import { type DecimalText, decimalToMinor, projectEditableCells } from "../domain/import-rows.ts";
import { assertAllowed, type SlackActor } from "../domain/permissions.ts";
import { memberByEmail } from "../workspace/index.ts";
import { type FieldErrors, fieldErrorsOf } from "./update-client-details.ts";

const ProjectForm = z.object(projectEditableCells());

export type UpdateProjectResult = { ok: true; code: string } | { ok: false; errors: FieldErrors };

export async function updateProjectDetails(
  deps: ServiceDeps,
  input: { workspaceId: string; actor: SlackActor; projectId: string; fields: Record<string, string> },
): Promise<UpdateProjectResult> {
  assertAllowed(input.actor, { action: "editParties" });
  const parsed = ProjectForm.safeParse(input.fields);
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error) };
  const f = parsed.data;
  return deps.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(projects)
      .where(and(eq(projects.workspaceId, input.workspaceId), eq(projects.id, input.projectId)))
      .for("update");
    if (!before) {
      throw new DomainError("project.not_found", `project ${input.projectId} not found`, {
        userMessage: "This project no longer exists in this workspace.",
      });
    }
    const rate =
      f.hourly_rate === undefined ? null : decimalToMinor(f.hourly_rate as DecimalText, before.currency);
    if (typeof rate === "string") return { ok: false as const, errors: { hourly_rate: `Rate ${rate}.` } };
    const person = async (email: string | undefined, role: "pm" | "approver") =>
      email ? (await memberByEmail(tx, input.workspaceId, email, role)).id : null;
    const after = {
      name: f.name,
      pmMemberId: await person(f.pm_email, "pm"),
      approverMemberId: await person(f.approver_email, "approver"),
      hourlyRateMinor: rate,
      slackChannelId: f.slack_channel ?? null,
    };
    await tx
      .update(projects)
      .set({ ...after, updatedAt: deps.now() })
      .where(eq(projects.id, before.id));
    await recordAudit(tx, {
      workspaceId: input.workspaceId,
      actor: input.actor.memberId ?? `slack:${input.actor.slackUserId}`,
      action: "project.updated",
      entity: "project",
      entityId: before.id,
      before: Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])),
      after,
    });
    return { ok: true as const, code: before.code };
  });
}
