// `cobro pay <client> <amount>`: a payment from a client that names no invoice, applied oldest due first.
import { DomainError } from "../domain/errors.ts";
import { toDecimalString } from "../domain/money.ts";
import { localToday } from "../domain/overdue.ts";
import { recordClientPayment } from "../services/record-client-payment.ts";
import { resolveWorkspace } from "../services/resolve-workspace.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE =
  "pay <client id|external id|name> <amount> [--currency CUR] [--date YYYY-MM-DD] [--method M] [--reference R] [--workspace W]";
const METHODS = ["transfer", "card", "direct_debit", "cheque", "cash", "other"] as const;

export const payCommand: CliCommand = {
  summary: "record a client's payment that names no invoice: applied to its oldest open invoices first",
  usage: USAGE,
  run: async ({ openApp, out }, args) => {
    const parsed = parseArgs(args, { values: ["currency", "date", "method", "reference", "workspace"] });
    const [client, amount, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (!client || !amount) throw usage("Which client, and how much?");
    if (rest.length > 0) throw usage(`Unexpected argument "${rest[0]}" (quote a name with spaces).`);
    const method = stringFlag(parsed, "method") ?? "transfer";
    if (!(METHODS as readonly string[]).includes(method))
      throw usage(`--method is one of ${METHODS.join(", ")}.`);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const currency = stringFlag(parsed, "currency");
    const reference = stringFlag(parsed, "reference");
    const result = await recordClientPayment(app, {
      workspaceId: workspace.id,
      client,
      amount,
      ...(currency ? { currency } : {}),
      paidOn: stringFlag(parsed, "date") ?? localToday(app.now(), workspace.timeZone),
      method: method as (typeof METHODS)[number],
      ...(reference ? { reference } : {}),
      actor: "cli",
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
