// `cobro statement <client>`: a client's statement of account as a PDF, or e-mailed to the client.

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { loadClientStatement, sendClientStatement } from "../collections/index.ts";
import { createMailer, explainUnsent, runDelivery } from "../delivery/index.ts";
import { DomainError } from "../domain/errors.ts";
import { toDecimalString } from "../domain/money.ts";
import { buildDeliveryHandlers } from "../job-catalogue.ts";
import { renderStatementPdf } from "../pdf/render-statement.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE =
  "statement <client id|external id|name> [--out FILE] | --send [--to EMAIL,…] [--now] [--workspace W]";

export const statementCommand: CliCommand = {
  summary: "a client's statement of account (open invoices aged, total due) as a PDF or e-mailed",
  usage: USAGE,
  run: async (runtime, args) => {
    const parsed = parseArgs(args, { values: ["out", "to", "workspace"], booleans: ["send", "now"] });
    const [client, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (!client) throw usage("Which client?");
    if (rest.length > 0) throw usage(`Unexpected argument "${rest[0]}" (quote a name with spaces).`);
    const app = await runtime.openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    if (!parsed.flags.has("send")) {
      const statement = await loadClientStatement(cliCtx(app, workspace.id), { client });
      const out = stringFlag(parsed, "out") ?? `statement-${statement.asOf}.pdf`;
      await writeFile(out, await renderStatementPdf(statement));
      const open = statement.currencies.reduce((n, c) => n + c.lines.length, 0);
      const refunds = statement.refundsDue
        .map((r) => `${toDecimalString(r.amountMinor, r.currency)} ${r.currency} (${r.invoices.join(", ")})`)
        .join(", ");
      runtime.out(
        `Wrote ${out}: ${statement.client.name}, ${open} open invoice(s) as of ${statement.asOf}${refunds ? `; refund due to the client: ${refunds}` : ""}.`,
      );
      return EXIT.ok;
    }
    const to = stringFlag(parsed, "to");
    const claimed = await sendClientStatement(cliCtx(app, workspace.id), {
      client,
      // Each CLI run is one send request: running it again sends again.
      sendRequestId: `cli:${randomUUID()}`,
      ...(to ? { to: to.split(",").map((t) => t.trim()) } : {}),
    });
    if (!claimed.deliveryId) throw new Error("the statement e-mail claim returned no delivery");
    if (!parsed.flags.has("now")) {
      runtime.out(
        `Statement of ${claimed.clientName} to ${claimed.to.join(", ")} is queued; a running \`cobro serve\` sends it (or use --now).`,
      );
      return EXIT.ok;
    }
    const handlers = buildDeliveryHandlers({
      deps: app,
      slack: undefined,
      mailer: createMailer(runtime.config),
      publicUrl: runtime.config.publicUrl,
      mailFrom: runtime.config.mailFrom,
    });
    const outcome = await runDelivery(app.db, handlers, claimed.deliveryId, runtime.logger);
    if (outcome.status === "sent" || outcome.status === "alreadyDone") {
      runtime.out(`E-mailed the statement of ${claimed.clientName} to ${claimed.to.join(", ")}.`);
      return EXIT.ok;
    }
    const why = explainUnsent(outcome);
    runtime.err(
      `Statement of ${claimed.clientName} not sent: ${why}. It stays queued for \`cobro serve\` unless it failed.`,
    );
    return EXIT.failed;
  },
};
