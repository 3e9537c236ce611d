import { toDecimalString } from "../domain/money.ts";
import { projectCodeKey } from "../domain/names.ts";
import type { Handler, Outcome } from "./context.ts";
import { findMilestonesByKey } from "./repo.ts";

export const importMilestones: Handler<"milestones"> = async (ctx, rows) => {
  const projectMap = await ctx.projectsByCode(rows.map((r) => r.projectCode));
  const keyOf = (projectId: string, name: string) => `${projectId}\u0000${name.toLowerCase()}`;
  const wanted = rows.flatMap((r) => {
    const project = projectMap.get(projectCodeKey(r.projectCode));
    return project ? [keyOf(project.id, r.name)] : [];
  });
  const existing = new Map(
    (await findMilestonesByKey(ctx.tx, ctx.workspaceId, wanted)).map((m) => [keyOf(m.projectId, m.name), m]),
  );
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const project = projectMap.get(projectCodeKey(row.projectCode));
    if (!project) {
      outcomes.push(ctx.rejectUnknownProject(row.line, row.projectCode));
      continue;
    }
    const amountMinor = ctx.minorOrError(row.line, "amount", row.amount, project.currency);
    if (amountMinor === undefined) continue;
    const found = existing.get(keyOf(project.id, row.name));
    // A file only moves a milestone forward: one marked done in Slack stays done on re-import.
    const status = found && found.status !== "planned" ? found.status : row.status;
    const values = { amountMinor, currency: project.currency, plannedDate: row.plannedDate, status };
    const created = { name: row.name, ...values, doneAt: row.status === "done" ? ctx.now : null };
    outcomes.push(
      ctx.upsert({
        entity: "milestone",
        found,
        values,
        createdAudit: created,
        insert: () =>
          ctx.writes.insert("milestones", {
            workspaceId: ctx.workspaceId,
            projectId: project.id,
            ...created,
          }),
        refuse: (found, changed) => {
          if (found.status !== "invoiced") return false;
          if (!changed.includes("amountMinor") && !changed.includes("currency")) return false;
          ctx.reject(
            row.line,
            "amount",
            `milestone "${found.name}" is already invoiced at ${toDecimalString(found.amountMinor, found.currency)} ${found.currency}; its amount cannot change`,
          );
          return true;
        },
        update: (found) =>
          ctx.writes.update("milestones", found.id, {
            ...values,
            doneAt: status === "done" && found.status === "planned" ? ctx.now : found.doneAt,
            updatedAt: ctx.now,
          }),
      }),
    );
  }
  return outcomes;
};
