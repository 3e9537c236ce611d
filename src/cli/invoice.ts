// `cobro invoice …`: list, show, issue, send, pdf, credit, cancel, pay and claim late interest from a shell.

import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { issueInterestNote } from "../collections/index.ts";
import type { AppContext } from "../context.ts";
import { createMailer, explainUnsent, runDelivery } from "../delivery/index.ts";
import { DomainError } from "../domain/errors.ts";
import { formatRateBp } from "../domain/late-interest.ts";
import { parseAmount, toDecimalString } from "../domain/money.ts";
import { localToday } from "../domain/overdue.ts";
import { RECTIFICATION_CODES, type RectificationCode } from "../domain/rectification.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import {
  cancelInvoice,
  createCreditNote,
  exportEInvoice,
  findInvoiceByReference,
  issueInvoice,
  listInvoices,
  loadInvoiceDetail,
  recordPayment,
  renderInvoiceDocument,
  sendInvoice,
  stripePayments,
} from "../invoicing/index.ts";
import { buildDeliveryHandlers } from "../job-catalogue.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { type ParsedArgs, parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { textColumns } from "./text-columns.ts";
import { type CliCommand, type CliRuntime, EXIT } from "./types.ts";

const SUBCOMMANDS = {
  list: "invoice list [--status S] [--client X]",
  show: "invoice show <number|id>",
  issue: "invoice issue <draft id> [--date YYYY-MM-DD]",
  send: "invoice send <number> [--to EMAIL] [--now]",
  pdf: "invoice pdf <number> [--out FILE]",
  ubl: "invoice ubl <number> [--out FILE]   (EN 16931 UBL e-invoice; same as xml --format ubl)",
  xml: "invoice xml <number> [--format ubl|cii|facturx] [--out FILE]   (EN 16931 e-invoice)",
  credit:
    'invoice credit <number> [--amount NET | --amount 21=NET,10=NET] [--type R1…R5] [--method differences|substitution] --reason "…"',
  cancel: 'invoice cancel <number> --reason "…"   (Spain: anulación, only before it reaches the client)',
  pay: "invoice pay <number> <amount> [--date D] [--method M] [--reference R]",
  interest: "invoice interest <number> [--as-of YYYY-MM-DD]",
} as const;
type Subcommand = keyof typeof SUBCOMMANDS;

const USAGE = `invoice list|show|issue|send|pdf|ubl|xml|credit|cancel|pay|interest … [--workspace W]`;
const FULL_USAGE = Object.values(SUBCOMMANDS)
  .map((u) => `  cobro ${u}`)
  .join("\n");

function usageError(message: string): DomainError {
  return new DomainError("cli.usage", message, {
    userMessage: `${message}\nUsage:\n${FULL_USAGE}\n(every subcommand takes --workspace W when there are several)`,
  });
}

const FLAGS: Record<Subcommand, { values?: string[]; booleans?: string[] }> = {
  list: { values: ["status", "client"] },
  show: {},
  issue: { values: ["date"] },
  send: { values: ["to"], booleans: ["now"] },
  pdf: { values: ["out"] },
  ubl: { values: ["out"] },
  xml: { values: ["out", "format"] },
  credit: { values: ["amount", "reason", "type", "method"] },
  cancel: { values: ["reason"] },
  pay: { values: ["date", "method", "reference"] },
  interest: { values: ["as-of"] },
};

const POSITIONALS: Record<Subcommand, number> = {
  list: 0,
  show: 1,
  issue: 1,
  send: 1,
  pdf: 1,
  ubl: 1,
  xml: 1,
  credit: 1,
  cancel: 1,
  pay: 2,
  interest: 1,
};

type Context = { runtime: CliRuntime; app: AppContext; workspaceId: string; today: string; args: ParsedArgs };

const money = (amountMinor: number, currency: string) =>
  `${toDecimalString(amountMinor, currency)} ${currency}`;

export const invoiceCommand: CliCommand = {
  summary: "list, show, issue, send, print, credit, pay invoices; claim late interest",
  usage: USAGE,
  help: `${FULL_USAGE}\n(every subcommand takes --workspace W when there are several)`,
  run: async (runtime, argv) => {
    const [name, ...rest] = argv;
    if (!name || !(name in SUBCOMMANDS)) {
      throw usageError(name ? `Unknown invoice subcommand "${name}".` : "Which invoice subcommand?");
    }
    const sub = name as Subcommand;
    const args = parseArgs(rest, {
      ...FLAGS[sub],
      values: [...(FLAGS[sub].values ?? []), "workspace"],
    });
    if (args.positional.length !== POSITIONALS[sub]) {
      throw usageError(`Usage: cobro ${SUBCOMMANDS[sub]}`);
    }
    const app = await runtime.openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(args, "workspace"));
    const today = localToday(app.now(), workspace.timeZone);
    return HANDLERS[sub]({ runtime, app, workspaceId: workspace.id, today, args });
  },
};

/**
 * The lines of a partial credit: one net amount at the invoice's only VAT treatment, or one per
 * rate ("21=100.00,10=50.00") at the treatments the invoice has at those rates.
 */
function creditLines(
  detail: Awaited<ReturnType<typeof loadInvoiceDetail>>,
  amount: string,
  reason: string,
): NonNullable<Parameters<typeof createCreditNote>[1]["lines"]> {
  const { invoice } = detail;
  const treatments = new Map(detail.lines.map((l) => [l.vatRateBp, l]));
  const byRate = amount.includes("=")
    ? amount.split(",").map((part) => {
        const [rate = "", net = ""] = part.split("=").map((p) => p.trim());
        const rateBp = Math.round(Number(rate.replace("%", "").replace(",", ".")) * 100);
        const line = treatments.get(rateBp);
        if (!rate || Number.isNaN(rateBp) || !line) {
          const known = [...treatments.keys()].map((bp) => `${bp / 100}`).join(", ");
          throw usageError(`${invoice.number} has no line at ${rate || "?"}%: its rates are ${known}.`);
        }
        return { line, net };
      })
    : [...treatments.values()].length === 1 && detail.lines[0]
      ? [{ line: detail.lines[0], net: amount }]
      : undefined;
  if (!byRate) {
    const example = [...treatments.keys()].map((bp) => `${bp / 100}=NET`).join(",");
    throw new DomainError("cli.credit_vat", "several VAT treatments", {
      userMessage: `${invoice.number} has lines at several VAT rates: say how much to credit at each, e.g. --amount ${example}, or credit it in full (no --amount).`,
    });
  }
  return byRate.map(({ line, net }) => ({
    description: `${reason} (${invoice.number}${byRate.length > 1 ? `, ${line.vatRateBp / 100}%` : ""})`,
    quantityMilli: 1000,
    unitCode: "C62",
    unitPriceMinor: parseAmount(net, invoice.currency),
    vatCategory: line.vatCategory,
    vatRateBp: line.vatRateBp,
    ...(line.exemptionReason ? { exemptionReason: line.exemptionReason } : {}),
  }));
}

async function writeEInvoice({ runtime, app, workspaceId, args }: Context, format: string): Promise<number> {
  const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), {
    reference: args.positional[0] ?? "",
  });
  const { content, filename, description } = await exportEInvoice(cliCtx(app, workspaceId), {
    invoiceId: invoice.id,
    format,
  });
  const out = stringFlag(args, "out") ?? filename;
  await writeFile(out, content);
  runtime.out(`Wrote ${out} (${description}, ${Buffer.byteLength(content)} bytes).`);
  return EXIT.ok;
}

const HANDLERS: Record<Subcommand, (c: Context) => Promise<number>> = {
  list: async ({ runtime, app, workspaceId, args }) => {
    const status = stringFlag(args, "status");
    const { invoices, truncated } = await listInvoices(cliCtx(app, workspaceId), {
      ...(status ? { status: status as "draft" } : {}),
      ...(stringFlag(args, "client") ? { client: stringFlag(args, "client") } : {}),
    });
    if (invoices.length === 0) {
      runtime.out("No invoices.");
      return EXIT.ok;
    }
    const rows = invoices.map((i) => [
      i.number ?? `(draft ${i.id})`,
      i.kind === "invoice" ? "" : i.kind.replace("_", " "),
      i.status,
      i.clientName,
      i.issueDate ?? "",
      i.dueDate ?? "",
      money(i.totalMinor, i.currency),
      money(i.openMinor, i.currency),
    ]);
    const header = ["number", "kind", "status", "client", "issued", "due", "total", "open"];
    for (const line of textColumns([header, ...rows], (i) => i >= 6)) runtime.out(line);
    if (truncated)
      runtime.out(`… only the ${invoices.length} most recent; filter with --status or --client.`);
    return EXIT.ok;
  },

  show: async ({ runtime, app, workspaceId, args }) => {
    const detail = await loadInvoiceDetail(cliCtx(app, workspaceId), { reference: args.positional[0] ?? "" });
    const { invoice: i, lines, payments, related } = detail;
    const m = (minor: number) => money(minor, i.currency);
    const out = runtime.out;
    out(`${i.number ?? "Draft"} · ${i.kind.replace("_", " ")} · ${i.status}   (id ${i.id})`);
    out(`Client:  ${detail.clientName}`);
    if (detail.refersTo) out(`Refers to: ${detail.refersTo}`);
    if (i.issueDate) out(`Issued:  ${i.issueDate}   due ${i.dueDate ?? "—"}`);
    if (i.servicePeriodStart) out(`Period:  ${i.servicePeriodStart} – ${i.servicePeriodEnd ?? ""}`);
    out("");
    for (const line of textColumns(
      lines.map((l) => [
        l.description,
        `${quantity(l.quantityMilli)} ${l.unitCode}`,
        l.priceBaseQuantityMilli === 1000
          ? m(l.unitPriceMinor)
          : `${m(l.unitPriceMinor)} / ${quantity(l.priceBaseQuantityMilli)} ${l.unitCode}`,
        `${l.vatCategory} ${formatRateBp(l.vatRateBp)}`,
        m(l.netMinor),
      ]),
      (i) => i === 1 || i === 2 || i === 4,
    ))
      out(`  ${line}`);
    out("");
    out(`Net ${m(i.subtotalMinor)} · VAT ${m(i.vatMinor)} · Total ${m(i.totalMinor)}`);
    if (i.withholdingMinor) out(`Withholding ${m(i.withholdingMinor)}`);
    out(`Open ${m(i.openMinor)}`);
    for (const p of payments) {
      out(`Paid ${m(p.amountMinor)} on ${p.paidOn} by ${p.method}${p.reference ? ` (${p.reference})` : ""}`);
    }
    for (const r of related) {
      out(`${r.kind.replace("_", " ")} ${r.number ?? "(draft)"} ${r.status} ${m(r.totalMinor)}`);
    }
    if (i.sentAt) out(`E-mailed ${i.sentAt.toISOString()}`);
    return EXIT.ok;
  },

  issue: async ({ runtime, app, workspaceId, args }) => {
    const draft = await findInvoiceByReference(cliCtx(app, workspaceId), {
      reference: args.positional[0] ?? "",
    });
    const date = stringFlag(args, "date");
    const { invoice, alreadyDone } = await issueInvoice(cliCtx(app, workspaceId), {
      invoiceId: draft.id,
      ...(date ? { issueDate: date } : {}),
    });
    const scope = verifactuScope(invoice.seller);
    runtime.out(
      `${alreadyDone ? "Already issued" : "Issued"} ${invoice.number} on ${invoice.issueDate}, due ${invoice.dueDate}: ${money(invoice.totalMinor, invoice.currency)}.${
        !scope.applies && scope.spanish ? ` No VERI*FACTU record: ${scope.reason}.` : ""
      }`,
    );
    return EXIT.ok;
  },

  send: async ({ runtime, app, workspaceId, args }) => {
    const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), {
      reference: args.positional[0] ?? "",
    });
    const to = stringFlag(args, "to");
    const { deliveryId, to: recipients } = await sendInvoice(cliCtx(app, workspaceId), {
      invoiceId: invoice.id,
      // Each CLI run is one send request: running it again sends again, as a button click would.
      sendRequestId: `cli:${randomUUID()}`,
      ...(to ? { to: to.split(",").map((t) => t.trim()) } : {}),
    });
    if (!deliveryId) throw new Error("the e-mail claim returned no delivery");
    if (!args.flags.has("now")) {
      runtime.out(
        `E-mail of ${invoice.number} to ${recipients.join(", ")} is queued; a running \`cobro serve\` delivers it (or use --now).`,
      );
      return EXIT.ok;
    }
    const { config } = runtime;
    const handlers = buildDeliveryHandlers({
      deps: app,
      slack: undefined,
      mailer: createMailer(config),
      payments: stripePayments(config.stripe, config.publicUrl),
      publicUrl: config.publicUrl,
      mailFrom: config.mailFrom,
    });
    const outcome = await runDelivery(app.db, handlers, deliveryId, runtime.logger);
    if (outcome.status === "sent" || outcome.status === "alreadyDone") {
      const where = config.sendgrid.apiKey ? "SendGrid" : `the local outbox under ${config.dataDir}`;
      runtime.out(`E-mailed ${invoice.number} to ${recipients.join(", ")} through ${where}.`);
      return EXIT.ok;
    }
    const why = explainUnsent(outcome);
    runtime.err(
      `E-mail of ${invoice.number} not sent: ${why}. It stays queued for \`cobro serve\` unless it failed.`,
    );
    return EXIT.failed;
  },

  pdf: async ({ runtime, app, workspaceId, args }) => {
    const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), {
      reference: args.positional[0] ?? "",
    });
    const payments = stripePayments(runtime.config.stripe, runtime.config.publicUrl);
    const { pdf, filename } = await renderInvoiceDocument(
      { ...cliCtx(app, workspaceId), payments },
      { invoiceId: invoice.id },
    );
    const out = stringFlag(args, "out") ?? filename;
    await writeFile(out, pdf);
    runtime.out(`Wrote ${out} (${pdf.length} bytes).`);
    return EXIT.ok;
  },

  ubl: (context) => writeEInvoice(context, "ubl"),
  xml: (context) => writeEInvoice(context, stringFlag(context.args, "format") ?? "ubl"),

  credit: async ({ runtime, app, workspaceId, args }) => {
    const reason = stringFlag(args, "reason");
    if (!reason?.trim()) throw usageError('A credit note needs --reason "…".');
    const detail = await loadInvoiceDetail(cliCtx(app, workspaceId), { reference: args.positional[0] ?? "" });
    const { invoice } = detail;
    const amount = stringFlag(args, "amount");
    const lines = amount ? creditLines(detail, amount, reason.trim()) : undefined;
    const type = stringFlag(args, "type")?.toUpperCase();
    if (type && !RECTIFICATION_CODES.includes(type as RectificationCode)) {
      throw usageError(`--type is one of ${RECTIFICATION_CODES.join(", ")}, not "${type}".`);
    }
    const method = stringFlag(args, "method");
    if (method && method !== "differences" && method !== "substitution") {
      throw usageError(`--method is differences or substitution, not "${method}".`);
    }
    const result = await createCreditNote(cliCtx(app, workspaceId), {
      invoiceId: invoice.id,
      reason: reason.trim(),
      ...(lines ? { lines } : { full: true }),
      ...(type ? { rectificationCode: type as RectificationCode } : {}),
      ...(method ? { rectificationMethod: method === "substitution" ? ("S" as const) : ("I" as const) } : {}),
    });
    const note = result.creditNote;
    const refund =
      result.refundDueMinor > 0
        ? `; refund due to the client: ${money(result.refundDueMinor, note.currency)}`
        : "";
    runtime.out(
      `${result.alreadyDone ? "Already credited by" : "Issued credit note"} ${note.number}: ${money(note.totalMinor, note.currency)}; ${invoice.number} is now ${result.original.status.replace("_", " ")}, open ${money(result.original.openMinor, note.currency)}${refund}.`,
    );
    return EXIT.ok;
  },

  cancel: async ({ runtime, app, workspaceId, args }) => {
    const reason = stringFlag(args, "reason");
    if (!reason?.trim()) throw usageError('Cancelling an invoice needs --reason "…".');
    const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), {
      reference: args.positional[0] ?? "",
    });
    const result = await cancelInvoice(cliCtx(app, workspaceId), { invoiceId: invoice.id, reason });
    runtime.out(
      `${result.alreadyDone ? "Already cancelled" : "Cancelled"} ${invoice.number}: VERI*FACTU anulación record ${result.record.sequence} of ${result.record.issuerNif} chained; the number stays used.`,
    );
    return EXIT.ok;
  },

  pay: async ({ runtime, app, workspaceId, today, args }) => {
    const [reference = "", amount = ""] = args.positional;
    const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), { reference });
    const method = stringFlag(args, "method");
    const paymentReference = stringFlag(args, "reference");
    const { invoice: after, alreadyDone } = await recordPayment(cliCtx(app, workspaceId), {
      invoiceId: invoice.id,
      amountMinor: parseAmount(amount, invoice.currency),
      paidOn: stringFlag(args, "date") ?? today,
      ...(method ? { method: method as "transfer" } : {}),
      ...(paymentReference ? { reference: paymentReference } : {}),
    });
    runtime.out(
      `${alreadyDone ? "Already recorded" : "Recorded"} ${money(parseAmount(amount, invoice.currency), invoice.currency)} on ${invoice.number}: ${after.status.replace("_", " ")}, open ${money(after.openMinor, after.currency)}.`,
    );
    return EXIT.ok;
  },

  interest: async ({ runtime, app, workspaceId, args }) => {
    const invoice = await findInvoiceByReference(cliCtx(app, workspaceId), {
      reference: args.positional[0] ?? "",
    });
    const asOf = stringFlag(args, "as-of");
    const result = await issueInterestNote(cliCtx(app, workspaceId), {
      invoiceId: invoice.id,
      ...(asOf ? { asOf } : {}),
    });
    const { note } = result;
    if (result.alreadyDone) {
      runtime.out(
        `Interest on ${invoice.number} is already claimed by ${note.number} (${money(note.totalMinor, note.currency)}).`,
      );
      return EXIT.ok;
    }
    for (const rate of result.unconfirmedRates) {
      runtime.out(
        `Warning: the rate of ${rate} is not confirmed by its official publication; check it (\`cobro rates list\`) and import the published figure with \`cobro rates import\` if it differs.`,
      );
    }
    runtime.out(
      `Issued interest note ${note.number} on ${invoice.number}: interest ${money(result.interest.amountMinor, note.currency)} + compensation ${money(result.compensation.amountMinor, result.compensation.currency)} = ${money(note.totalMinor, note.currency)}, due ${note.dueDate}. Send it with \`cobro invoice send ${note.number}\`.`,
    );
    return EXIT.ok;
  },
};

/** Thousandths as a plain decimal: 1000 → "1", 1500 → "1.5" (KWD has the same three decimals). */
function quantity(milli: number): string {
  return toDecimalString(milli, "KWD").replace(/\.?0+$/, "");
}
