// `cobro pay <client> <amount>`: a payment from a client that names no invoice, applied oldest due first.
// `cobro pay refund <credit note> <amount>`: money paid back to a client for a credit note.
import { DomainError } from "../domain/errors.ts";
import { toDecimalString } from "../domain/money.ts";
import { localToday } from "../domain/overdue.ts";
import { recordClientPayment, recordRefund } from "../invoicing/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE =
  "pay <client id|external id|name> <amount> [--currency CUR] [--date YYYY-MM-DD] [--method M] [--reference R] [--workspace W]\n" +
  "       cobro pay refund <credit note number> <amount> [--date YYYY-MM-DD] [--method M] [--reference R] [--workspace W]";
const METHODS = ["transfer", "card", "direct_debit", "cheque", "cash", "other"] as const;

export const payCommand: CliCommand = {
  summary:
    "record a client's payment that names no invoice (applied oldest open first), or a refund paid back for a credit note",
  usage: USAGE,
  run: async ({ openApp, out }, args) => {
    const parsed = parseArgs(args, { values: ["currency", "date", "method", "reference", "workspace"] });
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    const [client, amount, ...rest] = parsed.positional;
    if (!client || !amount) throw usage("Which client, and how much?");
    const isRefund = client === "refund" && rest.length === 1;
    if (rest.length > 0 && !isRefund)
      throw usage(`Unexpected argument "${rest[0]}" (quote a name with spaces).`);
    if (isRefund && stringFlag(parsed, "currency"))
      throw usage("A refund is in its credit note's currency: drop --currency.");
    const method = stringFlag(parsed, "method") ?? "transfer";
    if (!(METHODS as readonly string[]).includes(method))
      throw usage(`--method is one of ${METHODS.join(", ")}.`);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const reference = stringFlag(parsed, "reference");
    const paidOn = stringFlag(parsed, "date") ?? localToday(app.now(), workspace.timeZone);
    if (isRefund) {
      const refund = await recordRefund(cliCtx(app, workspace.id), {
        creditNote: amount,
        amount: rest[0] ?? "",
        paidOn,
        method: method as (typeof METHODS)[number],
        ...(reference ? { reference } : {}),
      });
      const money = (minor: number) => `${toDecimalString(minor, refund.currency)} ${refund.currency}`;
      const left =
        refund.remainingMinor > 0
          ? `still due to the client: ${money(refund.remainingMinor)}`
          : "nothing more is due to the client";
      out(
        refund.alreadyDone
          ? `Already recorded: this refund on ${refund.creditNoteNumber} was recorded before; nothing changed (${left}).`
          : `Recorded a refund of ${money(refund.amountMinor)} on ${refund.creditNoteNumber} (${refund.invoiceNumber}); ${left}.`,
      );
      return EXIT.ok;
    }
    const currency = stringFlag(parsed, "currency");
    const result = await recordClientPayment(cliCtx(app, workspace.id), {
      client,
      amount,
      ...(currency ? { currency } : {}),
      paidOn,
      method: method as (typeof METHODS)[number],
      ...(reference ? { reference } : {}),
    });
    if (result.alreadyDone) {
      out(`Already recorded: this payment of ${result.clientName} was applied before; nothing changed.`);
      return EXIT.ok;
    }
    const parts = result.allocations.map(
      (a) => `${a.number} ${toDecimalString(a.amountMinor, result.currency)}`,
    );
    out(
      `Applied to ${result.allocations.length} invoice(s) of ${result.clientName}, oldest first: ${parts.join(", ")} ${result.currency}.`,
    );
    return EXIT.ok;
  },
};
