import { and, eq, inArray } from "drizzle-orm";
import { milestones } from "../../db/schema/index.ts";
import { toDecimalString } from "../../domain/money.ts";
import { type Handler, minorOrError, type Outcome, reject } from "./context.ts";
import { projectsByCode, rejectUnknownProject } from "./lookups.ts";
import { upsertImported } from "./upsert-imported.ts";

export const importMilestones: Handler<"milestones"> = async (ctx, rows) => {
  const projectMap = await projectsByCode(
    ctx,
    rows.map((r) => r.projectCode),
  );
  const projectIds = [...new Set([...projectMap.values()].map((p) => p.id))];
  const existing = new Map(
    (projectIds.length === 0
      ? []
      : await ctx.tx
          .select()
          .from(milestones)
          .where(and(eq(milestones.workspaceId, ctx.workspaceId), inArray(milestones.projectId, projectIds)))
    ).map((m) => [`${m.projectId}\u0000${m.name.toLowerCase()}`, m]),
  );
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const project = projectMap.get(row.projectCode.toLowerCase());
    if (!project) {
      outcomes.push(rejectUnknownProject(ctx, row.line, row.projectCode));
      continue;
    }
    const amountMinor = minorOrError(ctx, row.line, "amount", row.amount, project.currency);
    if (amountMinor === undefined) continue;
    const found = existing.get(`${project.id}\u0000${row.name.toLowerCase()}`);
    // A file only moves a milestone forward: one marked done in Slack stays done on re-import.
    const status = found && found.status !== "planned" ? found.status : row.status;
    const values = { amountMinor, currency: project.currency, plannedDate: row.plannedDate, status };
    const created = { name: row.name, ...values, doneAt: row.status === "done" ? ctx.now : null };
    outcomes.push(
      await upsertImported(ctx, {
        entity: "milestone",
        found,
        values,
        createdAudit: created,
        insert: async () => {
          const [inserted] = await ctx.tx
            .insert(milestones)
            .values({ workspaceId: ctx.workspaceId, projectId: project.id, ...created })
            .returning({ id: milestones.id });
          return inserted!.id;
        },
        refuse: (found, changed) => {
          if (found.status !== "invoiced") return false;
          if (!changed.includes("amountMinor") && !changed.includes("currency")) return false;
          reject(
            ctx,
            row.line,
            "amount",
            `milestone "${found.name}" is already invoiced at ${toDecimalString(found.amountMinor, found.currency)} ${found.currency}; its amount cannot change`,
          );
          return true;
        },
        update: async (found) => {
          await ctx.tx
            .update(milestones)
            .set({
              ...values,
              doneAt: status === "done" && found.status === "planned" ? ctx.now : found.doneAt,
              updatedAt: ctx.now,
            })
            .where(eq(milestones.id, found.id));
        },
      }),
    );
  }
  return outcomes;
};
