import { eq } from "drizzle-orm";
import { clients } from "../../db/schema/index.ts";
import type { Handler, Outcome } from "./context.ts";
import { clientsByExternalId } from "./lookups.ts";
import { upsertImported } from "./upsert-imported.ts";

export const importClients: Handler<"clients"> = async (ctx, rows) => {
  const existing = await clientsByExternalId(
    ctx,
    rows.map((r) => r.externalId),
  );
  const outcomes: Outcome[] = [];
  for (const row of rows) {
    const values = {
      name: row.name,
      profile: row.profile,
      emails: row.emails,
      currency: row.currency,
      paymentTermsDays: row.paymentTermsDays,
      language: row.language,
      taxId: row.taxId,
      country: row.country,
    };
    outcomes.push(
      await upsertImported(ctx, {
        entity: "client",
        found: existing.get(row.externalId),
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
