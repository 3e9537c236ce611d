// The issue step, run inside the caller's transaction by the verbs that issue (Issue & send, issue,
// bulk issue, credit and interest notes, the demo): one draft or hundreds take the same path and the
// same number of statements per batch. Every refusal is
// found before numbers are taken, so a refused draft takes no number and the others still get
// consecutive ones; each series' counter row is locked once per batch, not once per invoice.
import { randomBytes } from "node:crypto";
import type { ServiceDeps } from "../context.ts";
import { type AuditEntry, recordAudit } from "../db/audit.ts";
import type { Db } from "../db/client.ts";
import { claimDeliveries } from "../delivery/index.ts";
import { assertPaymentTermsAllowed, computeDueDate } from "../domain/due-date.ts";
import { DomainError, isDomainError } from "../domain/errors.ts";
import {
  assertBuyerIdentity,
  assertSellerIdentity,
  buyerSnapshot,
  jurisdictionOf,
  sellerCountry,
} from "../domain/invoice-parties.ts";
import { invoiceNotFound, transitionInvoice } from "../domain/invoice-state.ts";
import { computeInvoiceTotals, type InvoiceTotals, storedTotals } from "../domain/invoice-totals.ts";
import {
  DEFAULT_SERIES,
  formatDocumentNumber,
  seriesNumberPattern,
  seriesPeriodKey,
} from "../domain/numbering.ts";
import { localToday } from "../domain/overdue.ts";
import { noEuroRate, verifactuApplies, verifactuScope } from "../domain/verifactu.ts";
import {
  allocateSeriesNumbers,
  type BuyerSnapshot,
  type ClientRow,
  claimInvoiceEmails,
  type EmailClaimOutcome,
  findExchangeRate,
  findHigherInSeries,
  findTakenNumbers,
  findWorkspace,
  type InvoiceLineInsert,
  type InvoiceLineRow,
  type InvoiceRow,
  insertInvoice,
  invoiceEventClaim,
  linesByInvoice,
  listClientsByIds,
  listMilestonesByIds,
  lockInvoices,
  markInvoicesIssued,
  replaceInvoiceLines,
  setLineNets,
  type WorkspaceRow,
} from "./repo.ts";
import { appendVerifactuRecords } from "./verifactu/chain-repo.ts";

export type IssueDraftsInput = {
  workspaceId: string;
  invoiceIds: string[];
  actor: string;
  issuedByMemberId?: string | undefined;
  /** Defaults to today in the workspace's time zone; never in the future, never before the series' last. */
  issueDate?: string | undefined;
  /** Credit notes: how the VERI*FACTU record qualifies the correction (R1–R5, I or S). */
  correction?: CorrectionRecord | undefined;
};

export type CorrectionRecord = {
  invoiceType: "R1" | "R2" | "R3" | "R4" | "R5";
  rectificationType: "I" | "S";
  /** Por sustitución: the amounts of the invoice as corrected (what the record states). */
  correctedVatMinor?: number;
  correctedTotalMinor?: number;
};

export type DraftIssueOutcome =
  | { invoiceId: string; ok: true; invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean }
  | { invoiceId: string; ok: false; error: DomainError };

function newReceiptToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Returns one outcome per distinct id, in the order given, and the Slack notices to enqueue after commit. */
export async function issueDraftsInTransaction(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: IssueDraftsInput,
): Promise<{ outcomes: DraftIssueOutcome[]; deliveryIds: string[] }> {
  const { workspaceId } = input;
  const ids = [...new Set(input.invoiceIds)];
  const outcomes = new Map<string, DraftIssueOutcome>();
  const refuse = (invoiceId: string, error: unknown) => {
    if (!isDomainError(error)) throw error;
    outcomes.set(invoiceId, { invoiceId, ok: false, error });
  };

  const found = new Map((await lockInvoices(tx, workspaceId, ids)).map((row) => [row.id, row]));
  const linesOf = await linesByInvoice(tx, workspaceId, [...found.keys()]);
  const drafts: InvoiceRow[] = [];
  for (const id of ids) {
    const row = found.get(id);
    if (!row) {
      refuse(id, invoiceNotFound());
    } else if (row.status === "draft" || row.status === "held") {
      drafts.push(row);
    } else if (row.status === "void") {
      refuse(
        id,
        attempt(() => transitionInvoice(row.status, "issue")),
      );
    } else {
      // Issuing the same invoice again is a repeat, not a second number.
      outcomes.set(id, {
        invoiceId: id,
        ok: true,
        invoice: row,
        lines: linesOf.get(id) ?? [],
        alreadyDone: true,
      });
    }
  }

  if (drafts.length > 0) {
    const prepared: PreparedIssue[] = [];
    const context = await loadBatchContext(tx, deps, input, drafts);
    const [clientRows, milestoneRows] = await Promise.all([
      listClientsByIds(tx, workspaceId, [...new Set(drafts.map((d) => d.clientId))]),
      listMilestonesByIds(tx, workspaceId, milestoneIdsOf(drafts, linesOf)),
    ]);
    const clientsById = new Map(clientRows.map((c) => [c.id, c]));
    const milestonesById = new Map(milestoneRows.map((m) => [m.id, m]));
    for (const draft of drafts) {
      const client = clientsById.get(draft.clientId);
      if (!client) throw new Error(`invoice ${draft.id} lost its client`);
      try {
        prepared.push(prepareIssue(context, draft, linesOf.get(draft.id) ?? [], client, milestonesById));
      } catch (error) {
        refuse(draft.id, error);
      }
    }
    const numbered = await allocateNumbers(tx, workspaceId, prepared, context, refuse);
    const issued = await persistIssued(tx, deps, input, numbered);
    for (const one of issued) outcomes.set(one.invoiceId, one);
  }
  const claims = [...outcomes.values()].flatMap((o) =>
    o.ok && !o.alreadyDone
      ? [
          invoiceEventClaim({
            workspaceId,
            invoiceId: o.invoice.id,
            event: "issued",
            actor: input.actor,
            detail: {
              number: o.invoice.number,
              totalMinor: o.invoice.totalMinor,
              currency: o.invoice.currency,
              dueDate: o.invoice.dueDate,
            },
          }),
        ]
      : [],
  );
  const deliveryIds = await claimDeliveries(tx, claims);
  return { outcomes: ids.map((id) => outcomes.get(id) as DraftIssueOutcome), deliveryIds };
}

type Numbered = PreparedIssue & { seriesId: string; number: string; context: IssueBatchContext };

async function loadBatchContext(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: IssueDraftsInput,
  drafts: InvoiceRow[],
): Promise<IssueBatchContext> {
  const workspace = await findWorkspace(tx, input.workspaceId);
  if (!workspace) throw new Error(`workspace ${input.workspaceId} vanished`);
  const today = localToday(deps.now(), workspace.timeZone);
  const issueDate = input.issueDate ?? today;
  const refusal = attempt(() => {
    assertSellerIdentity(workspace.seller);
    if (issueDate > today) {
      throw new DomainError("invoice.future_date", `issue date ${issueDate} after ${today}`, {
        userMessage: `An invoice cannot be dated in the future (${issueDate}; today is ${today}).`,
        messageKey: "invoicing.error.future_date",
        messageValues: { date: issueDate, today },
      });
    }
  });
  const foreign = [...new Set(drafts.map((d) => d.currency))].filter((c) => c !== workspace.baseCurrency);
  const rates = new Map(
    await Promise.all(
      foreign.map(
        async (currency) =>
          [
            currency,
            await findExchangeRate(tx, input.workspaceId, currency, workspace.baseCurrency, issueDate),
          ] as const,
      ),
    ),
  );
  return { workspace, country: sellerCountry(workspace.seller), issueDate, rates, refusal };
}

/** Takes a block of consecutive numbers per series; a series dated later refuses its drafts whole. */
async function allocateNumbers(
  tx: Db,
  workspaceId: string,
  prepared: PreparedIssue[],
  context: IssueBatchContext,
  refuse: (invoiceId: string, error: unknown) => void,
): Promise<Numbered[]> {
  if (prepared.length === 0) return [];
  const bySeries = new Map<string, PreparedIssue[]>();
  for (const one of prepared) {
    const key = `${one.series.code}/${one.series.periodKey}`;
    const group = bySeries.get(key);
    if (group) group.push(one);
    else bySeries.set(key, [one]);
  }
  const numbered: Numbered[] = [];
  for (const group of bySeries.values()) {
    const { series } = group[0] as PreparedIssue;
    const block = await allocateSeriesNumbers(tx, {
      workspaceId,
      ...series,
      issueDate: context.issueDate,
      count: group.length,
    });
    if ("laterDate" in block) {
      const error = new DomainError(
        "invoice.date_backwards",
        `series ${series.code} has ${block.laterDate}`,
        {
          userMessage: `An invoice of this series is already dated ${block.laterDate}; numbers and dates must go forward, so this one cannot be dated ${context.issueDate}.`,
          messageKey: "invoicing.error.date_backwards",
          messageValues: { later: block.laterDate, date: context.issueDate },
        },
      );
      for (const one of group) refuse(one.draft.id, error);
      continue;
    }
    const numbers = group.map((_, index) =>
      formatDocumentNumber(block.format, context.issueDate, block.firstCounter + index),
    );
    const [taken] = await findTakenNumbers(tx, workspaceId, numbers);
    // Thrown, not refused: the whole transaction rolls back, so the series keeps its counter.
    if (taken) throw numberTaken(taken, series.docKind);
    // Imported invoices numbered further on in this series: issuing below them breaks the order.
    const pattern = seriesNumberPattern(block.format, context.issueDate);
    const higher = await findHigherInSeries(tx, workspaceId, pattern, block.firstCounter);
    if (higher) throw numberBehind(higher, numbers[0] as string, series.docKind);
    group.forEach((one, index) => {
      numbered.push({ ...one, seriesId: block.seriesId, number: numbers[index] as string, context });
    });
  }
  return numbered;
}

const FORMAT_SETTING: Record<string, string> = {
  invoice: "invoice_number_format",
  credit_note: "credit_note_number_format",
  interest_note: "interest_note_number_format",
};

/** An invoice imported (or issued elsewhere) already carries the number this series gives next. */
function numberTaken(number: string, docKind: string): DomainError {
  const setting = FORMAT_SETTING[docKind] ?? "invoice_number_format";
  return new DomainError("invoice.number_taken", `number ${number} already exists`, {
    userMessage: `${number} is already the number of an invoice in this workspace (imported, or from your previous system), so Cobro cannot give it to this one. Give Cobro's series a format of its own, for example \`cobro settings set ${setting} C-{YYYY}-{NNNNN}\`, then issue again.`,
    messageKey: "invoicing.error.number_taken",
    messageValues: { number, setting },
  });
}

/** The series already has a later number (imported): giving a lower one would break its order. */
function numberBehind(existing: string, number: string, docKind: string): DomainError {
  const setting = FORMAT_SETTING[docKind] ?? "invoice_number_format";
  return new DomainError("invoice.number_behind", `series already has ${existing} after ${number}`, {
    userMessage: `${existing} is already in this series (imported, or from your previous system), so the next number ${number} would go backwards: numbers of a series must follow each other. Give Cobro's series a format of its own, for example \`cobro settings set ${setting} C-{YYYY}-{NNNNN}\`, then issue again.`,
    messageKey: "invoicing.error.number_behind",
    messageValues: { existing, number, setting },
  });
}

async function persistIssued(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: IssueDraftsInput,
  numbered: Numbered[],
): Promise<DraftIssueOutcome[]> {
  const first = numbered[0];
  if (!first) return [];
  const { workspace, issueDate } = first.context;
  const seller = workspace.seller;
  assertSellerIdentity(seller); // checked by loadBatchContext; narrows the type here
  const now = deps.now();
  // Statements of one batch are sent together (postgres.js pipelines a transaction's queries).
  const fixedLines = numbered.flatMap((one) =>
    one.lines.flatMap((line, index) => {
      const netMinor = one.totals.lineNetsMinor[index] ?? 0;
      return line.netMinor === netMinor ? [] : [{ id: line.id, netMinor }];
    }),
  );
  await setLineNets(tx, fixedLines);
  const issuedRows = await markInvoicesIssued(
    tx,
    input.workspaceId,
    {
      issueDate,
      baseCurrency: workspace.baseCurrency,
      seller,
      issuedAt: now,
      issuedByMemberId: input.issuedByMemberId ?? null,
    },
    numbered.map((one) => ({
      id: one.draft.id,
      status: transitionInvoice(one.draft.status, "issue"),
      seriesId: one.seriesId,
      number: one.number,
      dueDate: one.dueDate,
      ...storedTotals(one.totals),
      openMinor: one.totals.collectibleMinor,
      exchangeRate: one.rate.rate,
      exchangeRateDate: one.rate.onDate,
      exchangeRateSource: one.rate.source,
      buyer: one.buyer,
      paymentTermsDays: one.terms.days,
      paymentTermsRule: one.terms.rule,
      receiptToken: newReceiptToken(),
    })),
  );

  const scope = verifactuScope(seller);
  if (scope.applies) {
    await appendVerifactuRecords(
      tx,
      issuedRows.map((row, index) => ({
        workspaceId: input.workspaceId,
        invoiceId: row.id,
        issuerNif: scope.nif,
        issuerName: seller.legalName,
        seriesNumber: row.number ?? "",
        issueDate,
        kind: row.kind,
        vatMinor: row.vatMinor,
        totalMinor: row.totalMinor,
        currency: row.currency,
        timeZone: scope.timeZone,
        // A recipient without a tax id is an invoice "sin identificación del destinatario" (F2).
        ...(row.kind !== "credit_note" && !row.buyer?.taxId ? { invoiceType: "F2" as const } : {}),
        ...(input.correction && row.kind === "credit_note" ? correctionFields(input.correction) : {}),
        ...(workspace.baseCurrency === "EUR" ? { eurRate: numbered[index]?.rate.rate ?? "1" } : {}),
      })),
      now,
    );
  }
  await recordAudit(
    tx,
    issuedRows.map(
      (row, index): AuditEntry => ({
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: "invoice.issued",
        entity: "invoice",
        entityId: row.id,
        before: { status: numbered[index]?.draft.status },
        after: {
          status: row.status,
          number: row.number,
          issueDate,
          dueDate: row.dueDate,
          totalMinor: row.totalMinor,
          currency: row.currency,
        },
      }),
    ),
  );
  return issuedRows.map((row, index) => {
    const one = numbered[index] as Numbered;
    const lines = one.lines.map((line, i) => ({ ...line, netMinor: one.totals.lineNetsMinor[i] ?? 0 }));
    return { invoiceId: row.id, ok: true, invoice: row, lines, alreadyDone: false };
  });
}

/** A correction's record type; por sustitución, the record states the corrected amounts. */
function correctionFields(correction: CorrectionRecord) {
  const { correctedVatMinor, correctedTotalMinor, ...types } = correction;
  return correction.rectificationType === "S" &&
    correctedVatMinor !== undefined &&
    correctedTotalMinor !== undefined
    ? { ...types, vatMinor: correctedVatMinor, totalMinor: correctedTotalMinor }
    : types;
}

function milestoneIdsOf(drafts: InvoiceRow[], linesOf: Map<string, InvoiceLineRow[]>): string[] {
  const ids = drafts.flatMap((d) => [d.milestoneId, ...(linesOf.get(d.id) ?? []).map((l) => l.milestoneId)]);
  return [...new Set(ids.filter((id): id is string => !!id))];
}

/** Runs a check and returns the DomainError it throws, if any. */
function attempt(check: () => unknown): DomainError | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
}

// --- What issuing a draft would freeze (parties, totals, due date, rate, series), or the DomainError
// that refuses it. No I/O: every refusal is found before a number is taken.

type ExchangeRateFound = { rate: string; onDate: string; source: string };

type IssueBatchContext = {
  workspace: WorkspaceRow;
  /** The seller's country (identity already checked). */
  country: string;
  issueDate: string;
  /** Latest rate to the base currency on or before the issue date, per invoice currency. */
  rates: Map<string, ExchangeRateFound | undefined>;
  /** Why no draft of the batch can be issued (seller identity, date), reported after each draft's own faults. */
  refusal?: DomainError | undefined;
};

type PreparedIssue = {
  draft: InvoiceRow;
  lines: InvoiceLineRow[];
  buyer: BuyerSnapshot;
  totals: InvoiceTotals;
  dueDate: string;
  terms: { rule: ClientRow["paymentTermsRule"]; days: number };
  rate: ExchangeRateFound;
  series: {
    code: string;
    format: string;
    docKind: "invoice" | "credit_note" | "interest_note";
    periodKey: string;
  };
};

function prepareIssue(
  context: IssueBatchContext,
  draft: InvoiceRow,
  lines: InvoiceLineRow[],
  client: ClientRow,
  milestonesById: Map<string, { name: string; currency: string }>,
): PreparedIssue {
  const { workspace, country, issueDate } = context;
  if (draft.status === "held") {
    throw new DomainError("invoice.held", "invoice is on hold", {
      userMessage: "This invoice is on hold: release it before issuing it.",
    });
  }
  if (lines.length === 0) {
    throw new DomainError("invoice.empty", "invoice has no lines", {
      userMessage: "This invoice has no lines: add at least one line before issuing it.",
    });
  }
  for (const id of new Set([draft.milestoneId, ...lines.map((l) => l.milestoneId)])) {
    const milestone = id ? milestonesById.get(id) : undefined;
    if (milestone && milestone.currency !== draft.currency) {
      throw new DomainError("invoice.mixed_currencies", `milestone ${id} in ${milestone.currency}`, {
        userMessage: `This invoice is in ${draft.currency} but milestone "${milestone.name}" is in ${milestone.currency}: one invoice has one currency. Make a separate invoice.`,
        messageKey: "invoicing.error.mixed_currencies",
        messageValues: { currency: draft.currency, milestone: milestone.name, other: milestone.currency },
      });
    }
  }

  if (context.refusal) throw context.refusal;

  const buyer: BuyerSnapshot = buyerSnapshot(client);
  assertBuyerIdentity(buyer, country);

  // IRPF is withheld by the client only when a Spanish professional bills a business, on fees,
  // not on late-payment interest (an interest note is damages).
  const withholdingRateBp =
    country === "ES" && client.profile !== "individual" && draft.kind !== "interest_note"
      ? client.withholdingRateBp
      : 0;
  const totals = computeInvoiceTotals(lines, withholdingRateBp);
  if (totals.totalMinor <= 0) {
    throw new DomainError("invoice.not_positive", `total ${totals.totalMinor}`, {
      userMessage: "The invoice total must be above zero; to reduce an issued invoice, make a credit note.",
    });
  }

  const kind = draft.kind;
  const terms = { rule: client.paymentTermsRule, days: client.paymentTermsDays };
  const jurisdiction = jurisdictionOf(country);
  // A credit note is not payable by the client: it settles at once against the original.
  const dueDate =
    kind === "credit_note"
      ? issueDate
      : jurisdiction
        ? assertPaymentTermsAllowed(issueDate, terms, jurisdiction, client.profile)
        : computeDueDate(issueDate, terms);

  let rate: ExchangeRateFound = { rate: "1", onDate: issueDate, source: "identity" };
  if (draft.currency !== workspace.baseCurrency) {
    const found = context.rates.get(draft.currency);
    if (!found) {
      throw new DomainError(
        "invoice.no_exchange_rate",
        `no ${draft.currency}/${workspace.baseCurrency} rate`,
        {
          userMessage: `No ${draft.currency} → ${workspace.baseCurrency} exchange rate on or before ${issueDate}, so this invoice cannot be issued: import one with \`cobro rates fx import FILE.csv\` (header date,pair,rate; a line such as ${issueDate},${draft.currency}/${workspace.baseCurrency},RATE for 1 ${draft.currency} in ${workspace.baseCurrency}), or let Cobro fetch the ECB reference rates daily (COBRO_ECB_FETCH=on, or \`cobro rates fetch\` now).`,
          messageKey: "invoicing.error.no_exchange_rate",
          messageValues: { currency: draft.currency, base: workspace.baseCurrency, date: issueDate },
        },
      );
    }
    rate = found;
  }
  // VERI*FACTU records amounts in euros, converted at the rate frozen here.
  if (verifactuApplies(workspace.seller) && draft.currency !== "EUR" && workspace.baseCurrency !== "EUR") {
    throw noEuroRate(draft.currency);
  }

  const { code, format } =
    kind === "invoice" || kind === "deposit"
      ? {
          code: DEFAULT_SERIES.invoice.code,
          format: workspace.settings.invoiceSeriesFormat ?? DEFAULT_SERIES.invoice.format,
        }
      : {
          code: DEFAULT_SERIES[kind].code,
          format: workspace.settings.seriesFormats?.[kind] ?? DEFAULT_SERIES[kind].format,
        };
  const docKind = kind === "deposit" ? "invoice" : kind;
  return {
    draft,
    lines,
    buyer,
    totals,
    dueDate,
    terms,
    rate,
    series: { code, format, docKind, periodKey: seriesPeriodKey(format, issueDate) },
  };
}

/**
 * Issues inside the caller's transaction (used by credit and interest notes). Returns the notice
 * delivery ids to enqueue once the transaction has committed.
 */
export async function issueInvoiceInTransaction(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: {
    invoiceId: string;
    issueDate?: string | undefined;
    workspaceId: string;
    /** The audit name of who issues (auditActorOf), and the member when one does. */
    actor: string;
    issuedByMemberId?: string | undefined;
  },
  correction?: CorrectionRecord,
): Promise<{ invoice: InvoiceRow; lines: InvoiceLineRow[]; alreadyDone: boolean; deliveryIds: string[] }> {
  const { outcomes, deliveryIds } = await issueDraftsInTransaction(tx, deps, {
    ...input,
    invoiceIds: [input.invoiceId],
    correction,
  });
  const [outcome] = outcomes;
  if (!outcome) throw new Error(`no outcome for invoice ${input.invoiceId}`);
  if (!outcome.ok) throw outcome.error;
  return { invoice: outcome.invoice, lines: outcome.lines, alreadyDone: outcome.alreadyDone, deliveryIds };
}

// Issues a credit or interest note on an earlier invoice, inside the caller's transaction: a draft
// with the original's client, project and currency, its lines with their nets, then the normal
// issue, which numbers it in the note's own series.
export type LinkedNote = {
  original: InvoiceRow;
  kind: "credit_note" | "interest_note";
  /** EN 16931 BT-3. */
  typeCode: string;
  servicePeriodStart: string | null;
  servicePeriodEnd: string | null;
  correctionReason?: string;
  lines: Omit<InvoiceLineInsert, "workspaceId" | "invoiceId" | "position" | "netMinor">[];
  lineNetsMinor: readonly number[];
  actor: string;
  issuedByMemberId?: string;
  /** Credit notes of Spanish invoices: how the VERI*FACTU record qualifies the correction. */
  correction?: CorrectionRecord | undefined;
};

export async function issueLinkedNote(tx: Db, deps: Pick<ServiceDeps, "now">, note: LinkedNote) {
  const { original } = note;
  const workspaceId = original.workspaceId;
  const draft = await insertInvoice(tx, {
    workspaceId,
    kind: note.kind,
    typeCode: note.typeCode,
    status: "draft",
    clientId: original.clientId,
    projectId: original.projectId,
    currency: original.currency,
    servicePeriodStart: note.servicePeriodStart,
    servicePeriodEnd: note.servicePeriodEnd,
    correctsInvoiceId: original.id,
    correctionReason: note.correctionReason,
  });
  await replaceInvoiceLines(
    tx,
    workspaceId,
    draft.id,
    note.lines.map((line, index) => ({ ...line, netMinor: note.lineNetsMinor[index] ?? 0 })),
  );
  return issueInvoiceInTransaction(
    tx,
    deps,
    {
      workspaceId,
      invoiceId: draft.id,
      actor: note.actor,
      ...(note.issuedByMemberId ? { issuedByMemberId: note.issuedByMemberId } : {}),
    },
    note.correction,
  );
}

// --- Issue & send: each invoice issued and its e-mail claimed in the same transaction, so a second
// click is a repeat that issues and e-mails nothing more.

export type IssueAndSendResult = {
  alreadyDone: boolean;
  invoiceId: string;
  number: string | null;
  emailedTo: string[];
  /** A Spanish seller outside VERI*FACTU: why the invoice has no record (and no QR). */
  noVerifactuRecord?: string | undefined;
};

export type IssueAndSendOutcome =
  | ({ ok: true } & IssueAndSendResult)
  | { ok: false; invoiceId: string; error: Extract<DraftIssueOutcome, { ok: false }>["error"] };

/** One outcome per distinct id, and the delivery ids (notices, e-mails) to enqueue after commit. */
export async function issueAndClaimEmailsInTransaction(
  tx: Db,
  deps: Pick<ServiceDeps, "now">,
  input: { workspaceId: string; invoiceIds: string[]; actor: string; issuedByMemberId?: string | undefined },
): Promise<{ outcomes: IssueAndSendOutcome[]; deliveryIds: string[] }> {
  const issued = await issueDraftsInTransaction(tx, deps, input);
  const ok = issued.outcomes.flatMap((o) => (o.ok ? [o] : []));
  // One "Issue & send" intent per invoice: double clicks and retries reuse the same e-mail claim.
  const emails = await claimInvoiceEmails(tx, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    requests: ok.map((o) => ({ invoiceId: o.invoiceId, sendRequestId: `issue-and-send:${o.invoiceId}` })),
    rows: ok.map((o) => o.invoice),
  });
  const emailOf = new Map(emails.map((e) => [e.invoiceId, e]));
  return {
    outcomes: issued.outcomes.map((o) => combine(o, emailOf.get(o.invoiceId))),
    deliveryIds: [
      ...issued.deliveryIds,
      ...emails.flatMap((e) => (e.ok && e.deliveryId ? [e.deliveryId] : [])),
    ],
  };
}

function combine(issued: DraftIssueOutcome, email: EmailClaimOutcome | undefined): IssueAndSendOutcome {
  if (!issued.ok) return issued;
  if (email && !email.ok) return { ok: false, invoiceId: issued.invoiceId, error: email.error };
  return {
    ok: true,
    invoiceId: issued.invoiceId,
    number: issued.invoice.number,
    alreadyDone: issued.alreadyDone && email?.deliveryId === null,
    emailedTo: email?.to ?? [],
    noVerifactuRecord: noRecordReason(issued.invoice.seller),
  };
}

function noRecordReason(seller: Parameters<typeof verifactuScope>[0]): string | undefined {
  const scope = verifactuScope(seller);
  return !scope.applies && scope.spanish ? scope.reason : undefined;
}
