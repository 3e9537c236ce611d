// Stored exchange rates (1 unit of currency = rate units of base currency, per date) and statutory
// late-interest rates per jurisdiction and half-year.
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, queryRows } from "../db/client.ts";
import { exchangeRates, lateInterestRates } from "../db/schema/index.ts";
import type { StoredRate } from "../domain/aging.ts";

export type ExchangeRateUpsert = {
  currency: string;
  baseCurrency: string;
  rate: string;
  onDate: string;
  source: string;
};

/** Same workspace, pair and date: updated in place. Counts what changed, so a re-run says "unchanged". */
export async function upsertExchangeRates(
  db: Db,
  workspaceId: string,
  rows: readonly ExchangeRateUpsert[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const counts = { inserted: 0, updated: 0, unchanged: 0 };
  if (rows.length === 0) return counts;
  const existing = await db
    .select()
    .from(exchangeRates)
    .where(
      and(
        eq(exchangeRates.workspaceId, workspaceId),
        inArray(exchangeRates.onDate, [...new Set(rows.map((r) => r.onDate))]),
      ),
    );
  const key = (r: { currency: string; baseCurrency: string; onDate: string }) =>
    `${r.currency.trim()}/${r.baseCurrency.trim()}@${r.onDate}`;
  const byKey = new Map(existing.map((r) => [key(r), r]));
  for (const row of rows) {
    const found = byKey.get(key(row));
    if (found && Number(found.rate) === Number(row.rate) && found.source === row.source) {
      counts.unchanged++;
      continue;
    }
    await db
      .insert(exchangeRates)
      .values({ workspaceId, ...row })
      .onConflictDoUpdate({
        target: [
          exchangeRates.workspaceId,
          exchangeRates.currency,
          exchangeRates.baseCurrency,
          exchangeRates.onDate,
        ],
        set: { rate: row.rate, source: row.source },
      });
    if (found) counts.updated++;
    else counts.inserted++;
  }
  return counts;
}

export function listInterestRates(db: Db, jurisdiction?: string) {
  const query = db.select().from(lateInterestRates);
  return jurisdiction ? query.where(eq(lateInterestRates.jurisdiction, jurisdiction)) : query;
}

export type InterestRateInsert = typeof lateInterestRates.$inferInsert;

/** Upserts by (jurisdiction, half-year), confirmed unless said otherwise; counts new and changed rows. */
export async function upsertInterestRates(
  db: Db,
  rows: InterestRateInsert[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const row of rows) {
    const [existing] = await db
      .select()
      .from(lateInterestRates)
      .where(
        and(
          eq(lateInterestRates.jurisdiction, row.jurisdiction),
          eq(lateInterestRates.halfYearStart, row.halfYearStart),
        ),
      )
      .for("update");
    if (!existing) {
      await db.insert(lateInterestRates).values(row).onConflictDoNothing();
      inserted++;
    } else if (
      existing.referenceRateBp !== row.referenceRateBp ||
      existing.totalRateBp !== row.totalRateBp ||
      existing.source !== row.source ||
      existing.confirmed !== (row.confirmed ?? true)
    ) {
      await db
        .update(lateInterestRates)
        .set({
          referenceRateBp: row.referenceRateBp,
          totalRateBp: row.totalRateBp,
          source: row.source,
          confirmed: row.confirmed ?? true,
        })
        .where(eq(lateInterestRates.id, existing.id));
      updated++;
    } else {
      unchanged++;
    }
  }
  return { inserted, updated, unchanged };
}

/** The latest stored rate to the base currency on or before asOf, per currency (closing rate). */
export async function listClosingRates(
  db: Db,
  workspaceId: string,
  baseCurrency: string,
  asOf: string,
): Promise<StoredRate[]> {
  const rows = await queryRows<{ currency: string; rate: string; on_date: string }>(
    db,
    sql`select distinct on (currency) currency, rate::text as rate, on_date::text as on_date
      from exchange_rates
      where workspace_id = ${workspaceId} and base_currency = ${baseCurrency} and on_date <= ${asOf}::date
      order by currency, on_date desc`,
  );
  return rows.map((r) => ({ currency: r.currency.trim(), rate: r.rate, onDate: r.on_date }));
}
