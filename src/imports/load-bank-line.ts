// One stored bank-statement line of a workspace, as its Slack card shows it.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { type BankLineSuggestion, bankLines, workspaces } from "../db/schema/index.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/index.ts";

export type { BankLineSuggestion };
export type BankLineRow = typeof bankLines.$inferSelect;

/** The line, with the workspace's language (its card is in the collections channel). */
export async function loadBankLine(
  db: Db,
  workspaceId: string,
  bankLineId: string,
): Promise<(BankLineRow & { locale: Locale }) | null> {
  const [row] = await db
    .select({ line: bankLines, locale: workspaces.locale })
    .from(bankLines)
    .innerJoin(workspaces, eq(workspaces.id, bankLines.workspaceId))
    .where(and(eq(bankLines.workspaceId, workspaceId), eq(bankLines.id, bankLineId)));
  if (!row) return null;
  return { ...row.line, locale: isLocale(row.locale) ? row.locale : DEFAULT_LOCALE };
}
