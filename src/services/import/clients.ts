import { eq } from "drizzle-orm";
import { clients } from "../../db/schema/index.ts";
import type { MemberCache } from "../member-by-email.ts";
import { type Handler, importedMember, type Outcome } from "./context.ts";
import { clientsByExternalId } from "./lookups.ts";
import { upsertImported } from "./upsert-imported.ts";

export const importClients: Handler<"clients"> = async (ctx, rows) => {
  const existing = await clientsByExternalId(
    ctx,
    rows.map((r) => r.externalId),
  );
  const memberCache: MemberCache = new Map();
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const found = existing.get(row.externalId);
    const d = row.details;
    // A blank detail cell keeps what is stored: details are often completed in Slack later.
    const values = {
      name: row.name,
      profile: row.profile,
      emails: row.emails,
      currency: row.currency,
      paymentTermsDays: row.paymentTermsDays,
      language: row.language,
      taxId: row.taxId,
      country: row.country,
      address: d.address ?? found?.address ?? null,
      siren: d.siren ?? found?.siren ?? null,
      poReference: d.poReference ?? found?.poReference ?? null,
      withholdingRateBp: d.withholdingRateBp ?? found?.withholdingRateBp ?? 0,
      collectorMemberId: d.collectorEmail
        ? await importedMember(ctx, d.collectorEmail, "collector", memberCache)
        : (found?.collectorMemberId ?? null),
      electronicAddress: d.electronicAddress ?? found?.electronicAddress ?? null,
      paymentMethod: d.paymentMethod ?? found?.paymentMethod ?? null,
    };
    outcomes.push(
      await upsertImported(ctx, {
        entity: "client",
        found,
        values,
        insert: async () => {
          const [created] = await ctx.tx
            .insert(clients)
            .values({ workspaceId: ctx.workspaceId, externalId: row.externalId, ...values })
            .returning({ id: clients.id });
          return created!.id;
        },
        update: async (found) => {
          await ctx.tx
            .update(clients)
            .set({ ...values, updatedAt: ctx.now })
            .where(eq(clients.id, found.id));
        },
      }),
    );
  }
  return outcomes;
};
