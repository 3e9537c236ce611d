import { present } from "../domain/errors.ts";
import type { Handler, Outcome } from "./context.ts";

export const importClients: Handler<"clients"> = async (ctx, rows) => {
  const existing = await ctx.clientsByExternalId(rows.map((r) => r.externalId));
  const collectors = await ctx.importedMembers(
    rows.flatMap((r) =>
      r.details.collectorEmail ? [{ email: r.details.collectorEmail, role: "collector" as const }] : [],
    ),
  );
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
        ? present(collectors.get(d.collectorEmail), "collectors.get(d.collectorEmail)")
        : (found?.collectorMemberId ?? null),
      electronicAddress: d.electronicAddress ?? found?.electronicAddress ?? null,
      deliveryAddress: d.deliveryAddress ?? found?.deliveryAddress ?? null,
      einvoiceAttachments: d.einvoiceAttachments ?? found?.einvoiceAttachments ?? null,
      paymentMethod: d.paymentMethod ?? found?.paymentMethod ?? null,
    };
    outcomes.push(
      ctx.upsert({
        entity: "client",
        found,
        values,
        insert: () =>
          ctx.writes.insert("clients", {
            workspaceId: ctx.workspaceId,
            externalId: row.externalId,
            ...values,
          }),
        update: (found) => ctx.writes.update("clients", found.id, { ...values, updatedAt: ctx.now }),
      }),
    );
  }
  return outcomes;
};
