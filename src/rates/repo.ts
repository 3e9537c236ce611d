// Writes of stored exchange rates (1 unit of currency = rate units of base currency, per date).
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { exchangeRates } from "../db/schema/index.ts";

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
