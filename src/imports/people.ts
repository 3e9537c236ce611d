// People: members keyed by e-mail (any case), with roles, Slack id, default rate and approver.

import { present } from "../domain/errors.ts";
import { findWorkspaceById } from "../workspace/index.ts";
import type { Handler, Outcome } from "./context.ts";
import { listMembers, type MemberRow } from "./repo.ts";

export const importPeople: Handler<"people"> = async (ctx, rows) => {
  const workspace = await findWorkspaceById(ctx.tx, ctx.workspaceId);
  const known = await listMembers(ctx.tx, ctx.workspaceId);
  const byEmail = new Map(
    known.filter((m) => m.email).map((m) => [present(m.email, "m.email").toLowerCase(), m]),
  );
  const bySlackId = new Map(
    known.filter((m) => m.slackUserId).map((m) => [present(m.slackUserId, "m.slackUserId"), m]),
  );
  const lineOfSlackId = new Map<string, number>();
  const ids = new Map<string, string>();
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    // A member first seen in Slack (setup's role pickers) has no e-mail yet: this line completes it.
    const bySlack = row.slackUserId ? bySlackId.get(row.slackUserId) : undefined;
    const found = byEmail.get(row.email) ?? (bySlack && !bySlack.email ? bySlack : undefined);
    if (row.slackUserId) {
      const earlier = lineOfSlackId.get(row.slackUserId);
      if (earlier !== undefined) {
        outcomes.push(ctx.reject(row.line, "slack_user_id", `repeats line ${earlier}`));
        continue;
      }
      lineOfSlackId.set(row.slackUserId, row.line);
      if (bySlack && bySlack.id !== found?.id) {
        outcomes.push(
          ctx.reject(
            row.line,
            "slack_user_id",
            `is already ${bySlack.email ?? bySlack.name}'s Slack id in Cobro: one Slack user is one member`,
          ),
        );
        continue;
      }
    }
    const currency = row.currency ?? found?.hourlyRateCurrency ?? workspace?.baseCurrency ?? "EUR";
    const hourlyRateMinor =
      row.hourlyRate === null
        ? (found?.hourlyRateMinor ?? null)
        : ctx.minorOrError(row.line, "hourly_rate", row.hourlyRate, currency);
    if (hourlyRateMinor === undefined) {
      outcomes.push("rejected");
      continue;
    }
    // Blank cells keep what is there: roles given in /cobro setup, a Slack id learnt from Slack.
    const values: Partial<MemberRow> = {
      email: row.email,
      name: row.name,
      roles: row.roles ?? found?.roles ?? [],
      slackUserId: row.slackUserId ?? found?.slackUserId ?? null,
      hourlyRateMinor,
      hourlyRateCurrency: hourlyRateMinor === null ? null : currency,
    };
    let id = found?.id;
    outcomes.push(
      ctx.upsert({
        entity: "member",
        found,
        values,
        insert: () => {
          id = ctx.writes.insert("members", {
            workspaceId: ctx.workspaceId,
            ...values,
            email: row.email,
            name: row.name,
          });
          return id;
        },
        update: (member) => ctx.writes.update("members", member.id, values),
      }),
    );
    if (id) ids.set(row.email, id);
  }
  // Approvers may be named before their own line: resolved once every line is in.
  for (const [i, row] of rows.entries()) {
    if (!row.approverEmail || outcomes[i] === "rejected") continue;
    const approverId = ids.get(row.approverEmail) ?? byEmail.get(row.approverEmail)?.id;
    if (!approverId) {
      outcomes[i] = ctx.reject(
        row.line,
        "approver_email",
        `no member has the e-mail ${row.approverEmail}: add a line for them`,
      );
      continue;
    }
    const memberId = present(ids.get(row.email), "ids.get(row.email)");
    const before = byEmail.get(row.email)?.approverMemberId ?? null;
    if (before === approverId) continue;
    ctx.writes.update("members", memberId, { approverMemberId: approverId });
    if (outcomes[i] === "created") continue;
    ctx.audit.push(
      ctx.auditRow(
        "member.import_updated",
        "member",
        memberId,
        { approverMemberId: before },
        { approverMemberId: approverId },
      ),
    );
    outcomes[i] = "updated";
  }
  return outcomes;
};
