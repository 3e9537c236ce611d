// `cobro client show|set <client> …`: a client's invoicing details by their CSV column names, checked
// by the same rules as the client CSV and the `/cobro client` modal.

import { CLIENT_DETAIL_COLUMNS } from "../domain/client-details.ts";
import { DomainError, present } from "../domain/errors.ts";
import { loadClientDetails, updateClientDetails } from "../invoicing/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE =
  "client show <client> | client set <client> <column> <value> [<column> <value>…]  [--workspace X]";
const COLUMNS = [
  "name",
  "emails",
  "country",
  "language",
  "payment_terms_days",
  "tax_id",
  ...CLIENT_DETAIL_COLUMNS,
];

export const clientCommand: CliCommand = {
  summary: "show or change a client's invoicing details (address, ids, e-invoicing, delivery address…)",
  usage: USAGE,
  help: `Columns: ${COLUMNS.join(", ")}.\nThe client is found by its external id or the start of its name. An empty value ("") clears a column.\nExample: cobro client set "Industries Martin" einvoice_attachments both`,
  run: async ({ openApp, out, err }, args) => {
    const parsed = parseArgs(args, { values: ["workspace"] });
    const [sub, reference, ...pairs] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (sub !== "show" && sub !== "set") {
      throw usage(sub ? `Unknown client command "${sub}".` : "Say show or set.");
    }
    if (!reference) throw usage("Which client? Give its external id or the start of its name.");
    if (sub === "show" && pairs.length > 0) throw usage(`Unexpected argument "${pairs[0]}".`);
    if (sub === "set" && (pairs.length === 0 || pairs.length % 2 !== 0)) {
      throw usage("Give each column followed by its value (quote a value with spaces).");
    }
    const changes: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) {
      const column = present(pairs[i], "column");
      if (!COLUMNS.includes(column))
        throw usage(`Unknown column "${column}". Columns: ${COLUMNS.join(", ")}.`);
      changes[column] = present(pairs[i + 1], "value");
    }
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const ctx = cliCtx(app, workspace.id);
    const client = await loadClientDetails(ctx, { reference });
    if (sub === "show") {
      out(`${client.values.name} (${client.externalId}, ${client.profile}, ${client.currency})`);
      for (const column of COLUMNS) out(`${column.padEnd(22)} ${client.values[column] ?? ""}`);
      return EXIT.ok;
    }
    const result = await updateClientDetails(ctx, {
      clientId: client.id,
      fields: { ...client.values, ...changes },
    });
    if (!result.ok) {
      for (const [column, message] of Object.entries(result.errors)) err(`${column}: ${message}`);
      return EXIT.usage;
    }
    out(`${result.name} saved: ${Object.keys(changes).join(", ")}. New invoices use these details.`);
    return EXIT.ok;
  },
};
