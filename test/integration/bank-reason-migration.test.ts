// Bank lines imported before reasons were codes keep their English words: migration 0049 turns the
// text into a "text" reason (and a stored suggestion's fee write-off too), shown as it was written.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { openMemoryPglite } from "../../src/db/client.ts";
import { runMigrations } from "../../src/db/migrate.ts";
import type { BankReason, MatchPlan } from "../../src/domain/bank-matching.ts";
import { present } from "../../src/domain/errors.ts";
import { bankReasonText } from "../../src/imports/index.ts";
import { createWorkspace } from "../helpers/factories.ts";

const MIGRATIONS = fileURLToPath(new URL("../../migrations", import.meta.url));
const THIS_ONE = "0049_tense_raza";
const before = mkdtempSync(join(tmpdir(), "cobro-migrations-"));
afterAll(() => rmSync(before, { recursive: true, force: true }));

/** The migrations folder as it was before this one. */
function migrationsBefore(tag: string): string {
  cpSync(MIGRATIONS, before, { recursive: true });
  const journalPath = join(before, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalPath, JSON.stringify(journal));
  return before;
}

describe("bank line reasons written before they were codes", () => {
  it("are kept as their English words, the suggestion's fee write-off too", async () => {
    const database = await openMemoryPglite();
    await migrate(database.db as never, { migrationsFolder: migrationsBefore(THIS_ONE) });
    const workspace = await createWorkspace(database.db);
    const writeOff = { invoiceId: "00000000-0000-4000-8000-000000000001", number: "F-1", amountMinor: 350 };
    const suggestion = {
      plan: {
        allocations: [],
        writeOff: { ...writeOff, reason: "bank fees: 3.50 EUR short, within the tolerance of 5.00" },
        overpaidMinor: 0,
      },
      candidates: [],
    };
    const insert = (key: string, reason: string | null, plan: unknown) =>
      database.query(
        `insert into bank_lines (workspace_id, dedupe_key, format, account, booked_on, amount_minor, currency, text, outcome, reason, suggestion)
         values ($1, $2, 'camt', 'ES76', '2026-11-20', 100, 'EUR', '', 'unmatched', $3, $4)`,
        [workspace.id, key, reason, plan === null ? null : JSON.stringify(plan)],
      );
    await insert("old", "unknown payer: no invoice named in the text (from ACME)", suggestion);
    await insert("none", null, null);

    await runMigrations(database);

    const rows = await database.query<{ dedupe_key: string; reason: BankReason | null; suggestion: unknown }>(
      "select dedupe_key, reason, suggestion from bank_lines order by dedupe_key",
    );
    const [none, old] = rows;
    expect(none?.reason).toBeNull();
    expect(old?.reason).toEqual({
      code: "text",
      values: { text: "unknown payer: no invoice named in the text (from ACME)" },
    });
    for (const locale of ["en", "es", "fr"] as const)
      expect(bankReasonText(old?.reason as BankReason, locale)).toBe(
        "unknown payer: no invoice named in the text (from ACME)",
      );
    const { plan } = present(old?.suggestion, "the stored suggestion") as { plan: MatchPlan };
    expect(bankReasonText(plan.writeOff?.reason as BankReason, "es")).toBe(
      "bank fees: 3.50 EUR short, within the tolerance of 5.00",
    );
    await database.close();
  });
});
