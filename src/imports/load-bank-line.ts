// One stored bank-statement line of a workspace, as its Slack card shows it.
import type { Ctx } from "../context.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../i18n/index.ts";
import { type BankLineRow, findBankLineWithLocale } from "./bank-lines-repo.ts";

/** The line, with the workspace's language (its card is in the collections channel). A read for its card. */
export async function loadBankLine(
  ctx: Ctx,
  input: { bankLineId: string },
): Promise<(BankLineRow & { locale: Locale }) | null> {
  const row = await findBankLineWithLocale(ctx.db, ctx.workspaceId, input.bankLineId);
  if (!row) return null;
  return { ...row.line, locale: isLocale(row.locale) ? row.locale : DEFAULT_LOCALE };
}
