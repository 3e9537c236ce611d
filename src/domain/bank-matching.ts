// Deciding what a bank credit pays, and saying why. A credit that names its invoices (an RF
// reference or an invoice number in the text) is sure: it pays them oldest due first, in full, in
// part, with a small shortfall written off as bank fees, or with the excess left as an overpayment.
// A credit from a payer whose IBAN Cobro learned pays that client's one invoice of exactly its
// amount; anything else it could pay is only suggested, for a person to confirm.
import { DomainError } from "./errors.ts";
import { type Money, parseAmount } from "./money.ts";

export type MatchCandidate = {
  id: string;
  number: string;
  currency: string;
  openMinor: number;
  status: string;
  clientId?: string;
  clientName?: string;
  dueDate?: string;
};

export type Allocation = { invoiceId: string; number: string; amountMinor: number };
/** A shortfall written off as bank fees, and the tolerance it was within (as the setting reads). */
export type BankFee = { short: Money; tolerance: string };
/** `reason`: bank_fees (a suggestion stored before reasons were codes holds its English text). */
export type WriteOff = Allocation & { reason: BankReason };

/** How a credit met what was open on the invoices it pays. */
export type BankFit =
  | { kind: "exact" }
  | { kind: "overpaid"; received: Money; open: Money; invoices: number; overpaid: Money }
  | { kind: "fee"; received: Money; open: Money; invoices: number; fee: BankFee }
  | {
      kind: "partial";
      received: Money;
      open: Money;
      invoices: number;
      /** Paid in full, oldest first, before the one paid in part. */
      fullyPaid: number;
      number: string;
      amount: Money;
    };

/** The values of each reason a bank line was paid, suggested, left or settled (no words: each reader's language says them). */
export type BankReasonValues = {
  /** An RF reference or an invoice number in the text. */
  named_in_text: { named: { number: string; via: "rf" | "number" }[]; fit: BankFit };
  other_currency: { invoices: { number: string; currency: string }[]; currency: string };
  nothing_open: { invoices: { number: string; status: string }[] };
  iban_nothing_open: { client: string; currency: string };
  iban_only_invoice: { client: string; number: string; amount: Money };
  iban_fit: { client: string; fit: BankFit };
  /** `ibanClients`: the clients the payer's IBAN is known for (several); none: not known. */
  same_amount: { ibanClients: string[]; count: number; number: string; amount: Money };
  payer_name: { ibanClients: string[]; client: string; fit: BankFit };
  unknown_payer: { ibanClients: string[]; amount: Money; payer: string | null };
  bank_fees: BankFee;
  /** Someone confirmed a suggestion or picked another invoice: `by` a collector in Slack, else the audit actor. */
  confirmed: {
    paid: string[];
    fee: BankReason | null;
    overpaid: boolean;
    by: "slack" | "actor";
    actor: string;
  };
  /** Paying stopped at an invoice: the refusal as its DomainError said it. */
  refused: {
    paid: string[];
    number: string;
    error: {
      code: string;
      message: string;
      messageKey: string | null;
      messageValues: Record<string, string | number>;
    };
  };
  dismissed: { by: string };
  settled_elsewhere: Record<string, never>;
  /** A line's outcome when no reason was recorded. */
  status: { outcome: string };
  /** A reason written before reasons were codes: its English words, shown as they are. */
  text: { text: string };
};
export type BankReasonCode = keyof BankReasonValues;
export type BankReason = { [C in BankReasonCode]: { code: C; values: BankReasonValues[C] } }[BankReasonCode];

export function bankReason<C extends BankReasonCode>(code: C, values: BankReasonValues[C]): BankReason {
  return { code, values } as BankReason;
}

/** What a credit pays: allocations oldest due first, a fee write-off, what is left over. */
export type MatchPlan = { allocations: Allocation[]; writeOff: WriteOff | null; overpaidMinor: number };

export type SuggestedInvoice = {
  invoiceId: string;
  number: string;
  clientName: string;
  openMinor: number;
  currency: string;
  dueDate: string;
};

export type BankMatch =
  | { kind: "paid"; plan: MatchPlan; why: BankReason }
  | { kind: "suggested"; plan: MatchPlan; candidates: SuggestedInvoice[]; why: BankReason }
  | { kind: "unmatched"; reason: BankReason };

/** `bank_fee_tolerance`: a fixed amount in the invoice's currency ("2.50") or a share of what is open ("1%"). */
export type FeeTolerance = { amount: string } | { percentBp: number };

export type MatchContext = {
  /** Invoices the text names, in any state, and how: by RF reference or by invoice number. */
  named: { invoice: MatchCandidate; via: "rf" | "number" }[];
  /** Clients the payer's IBAN was learned for (more than one: the IBAN tells nothing). */
  payerClients: { id: string; name: string }[];
  /** Open invoices of the payer's client when exactly one is known. */
  clientOpen: MatchCandidate[];
  /** Open invoices of any client whose open amount equals the credit, in its currency. */
  sameAmount: MatchCandidate[];
  /** The one client the payer's name (or the remittance text) names, and its open invoices: suggestions only. */
  namedClient?: { id: string; name: string } | null;
  namedClientOpen?: MatchCandidate[];
  tolerance: FeeTolerance | null;
};

export type BankCredit = { amountMinor: number; currency: string; payerName?: string | null };

const MAX_CANDIDATES = 10;
const OPEN_STATUSES = new Set(["issued", "partially_paid"]);

/** Words of a remittance text that could be invoice numbers, upper-cased. */
export function invoiceNumberTokens(text: string): string[] {
  const tokens = text
    .toUpperCase()
    .split(/[\s,;:()[\]{}"'«»]+/)
    .map((t) => t.replace(/^[#.]+|[.]+$/g, ""))
    .filter((t) => t.length >= 2 && /\d/.test(t));
  return [...new Set(tokens)];
}

/**
 * An invoice number as banks often pass it on, its separators dropped or turned into spaces
 * ("FA 2026 0004", "FA20260004" for FA-2026-0004): runs of up to four adjacent words, letters and
 * digits only, upper-cased. Compared with the number's letters and digits.
 */
export function compactNumberTokens(text: string): string[] {
  const words = text
    .toUpperCase()
    .split(/[\s,;:()[\]{}"'«»]+/)
    .map((w) => w.replace(/[^A-Z0-9]/g, ""))
    .filter((w) => w.length > 0);
  const runs = new Set<string>();
  for (let start = 0; start < words.length; start++) {
    let run = "";
    for (let end = start; end < Math.min(words.length, start + 4); end++) {
      run += words[end];
      if (run.length >= 4 && /\d/.test(run)) runs.add(run);
    }
  }
  return [...runs];
}

/** Reads `bank_fee_tolerance` as typed; throws a message naming the expected shapes. */
export function parseFeeTolerance(text: string): FeeTolerance {
  const value = text.trim();
  const percent = /^(\d{1,2}(?:[.,]\d{1,2})?)\s*%$/.exec(value);
  if (percent?.[1]) return { percentBp: Math.round(Number(percent[1].replace(",", ".")) * 100) };
  if (/^\d{1,6}(?:[.,]\d{1,3})?$/.test(value)) return { amount: value.replace(",", ".") };
  throw new DomainError(
    "settings.fee_tolerance",
    `Write an amount such as 2.50 or a share such as 0.5% (you wrote "${text}").`,
    { messageKey: "workspace.settings.refused.fee_tolerance", messageValues: { text } },
  );
}

export function formatFeeTolerance(tolerance: FeeTolerance): string {
  return "amount" in tolerance ? tolerance.amount : `${tolerance.percentBp / 100}%`;
}

/** The largest shortfall written off on `openMinor`; 0 without a tolerance. */
export function toleranceMinor(tolerance: FeeTolerance | null, openMinor: number, currency: string): number {
  if (!tolerance) return 0;
  if ("percentBp" in tolerance) return Math.floor((openMinor * tolerance.percentBp) / 10_000);
  return parseAmount(tolerance.amount, currency);
}

/**
 * Pays `amountMinor` into `items` oldest due first: each in full while the money lasts, the next
 * in part; a shortfall on the last one within the tolerance is written off as bank fees.
 */
export function fitAmount(
  amountMinor: number,
  items: readonly MatchCandidate[],
  currency: string,
  tolerance: FeeTolerance | null,
): MatchPlan {
  const plan: MatchPlan = { allocations: [], writeOff: null, overpaidMinor: 0 };
  let left = amountMinor;
  const ordered = oldestFirst(items);
  for (const item of ordered) {
    if (left <= 0) break;
    const paid = Math.min(left, item.openMinor);
    plan.allocations.push({ invoiceId: item.id, number: item.number, amountMinor: paid });
    left -= paid;
  }
  const last = ordered[ordered.length - 1];
  const lastPaid = plan.allocations[ordered.length - 1];
  const short = last && lastPaid ? last.openMinor - lastPaid.amountMinor : 0;
  const total = sumOf(ordered.map((i) => ({ amountMinor: i.openMinor })));
  if (last && short > 0 && short <= toleranceMinor(tolerance, total, currency)) {
    plan.writeOff = {
      invoiceId: last.id,
      number: last.number,
      amountMinor: short,
      reason: bankReason("bank_fees", {
        short: money(short, currency),
        tolerance: formatFeeTolerance(tolerance as FeeTolerance),
      }),
    };
  }
  plan.overpaidMinor = left;
  return plan;
}

/** The context as it stands after earlier lines of the same batch paid `spent` on some invoices. */
export function afterSpent(context: MatchContext, spent: ReadonlyMap<string, number>): MatchContext {
  if (spent.size === 0) return context;
  const fresh = (i: MatchCandidate): MatchCandidate => {
    const used = spent.get(i.id);
    if (!used) return i;
    const openMinor = Math.max(0, i.openMinor - used);
    return { ...i, openMinor, status: openMinor === 0 ? "paid" : "partially_paid" };
  };
  return {
    ...context,
    named: context.named.map((n) => ({ ...n, invoice: fresh(n.invoice) })),
    clientOpen: context.clientOpen.map(fresh),
    sameAmount: context.sameAmount.map(fresh),
    namedClientOpen: (context.namedClientOpen ?? []).map(fresh),
  };
}

export function matchBankLine(line: BankCredit, context: MatchContext): BankMatch {
  if (context.named.length > 0) return matchNamed(line, context);
  if (context.payerClients.length === 1) return matchKnownPayer(line, context);
  return matchByAmount(line, context);
}

function matchNamed(line: BankCredit, context: MatchContext): BankMatch {
  const found = [...context.named].sort((a, b) => a.invoice.number.localeCompare(b.invoice.number));
  const otherCurrency = found.filter((n) => n.invoice.currency.trim() !== line.currency);
  if (otherCurrency.length > 0) {
    return {
      kind: "unmatched",
      reason: bankReason("other_currency", {
        invoices: otherCurrency.map((n) => ({
          number: n.invoice.number,
          currency: n.invoice.currency.trim(),
        })),
        currency: line.currency,
      }),
    };
  }
  const open = found.filter((n) => isOpen(n.invoice));
  if (open.length === 0) {
    return {
      kind: "unmatched",
      reason: bankReason("nothing_open", {
        invoices: found.map((n) => ({ number: n.invoice.number, status: n.invoice.status })),
      }),
    };
  }
  const items = open.map((n) => n.invoice);
  const plan = fitAmount(line.amountMinor, items, line.currency, context.tolerance);
  const named = open.map((n) => ({ number: n.invoice.number, via: n.via }));
  return { kind: "paid", plan, why: bankReason("named_in_text", { named, fit: fitOf(line, items, plan) }) };
}

function matchKnownPayer(line: BankCredit, context: MatchContext): BankMatch {
  const client = context.payerClients[0] as { id: string; name: string };
  const items = context.clientOpen.filter((i) => isOpen(i) && i.currency.trim() === line.currency);
  if (items.length === 0) {
    return {
      kind: "unmatched",
      reason: bankReason("iban_nothing_open", { client: client.name, currency: line.currency }),
    };
  }
  const exact = items.filter((i) => i.openMinor === line.amountMinor);
  if (exact.length === 1) {
    const invoice = exact[0] as MatchCandidate;
    return {
      kind: "paid",
      plan: fitAmount(line.amountMinor, exact, line.currency, null),
      why: bankReason("iban_only_invoice", {
        client: client.name,
        number: invoice.number,
        amount: money(line.amountMinor, line.currency),
      }),
    };
  }
  const plan = fitAmount(
    line.amountMinor,
    exact.length > 1 ? exact : items,
    line.currency,
    context.tolerance,
  );
  return {
    kind: "suggested",
    plan,
    candidates: suggestions(items),
    why: bankReason("iban_fit", { client: client.name, fit: fitOf(line, items, plan) }),
  };
}

function matchByAmount(line: BankCredit, context: MatchContext): BankMatch {
  // Several clients paid from the IBAN (one would have been matchKnownPayer's): it tells nothing.
  const ibanClients = context.payerClients.map((c) => c.name);
  const items = context.sameAmount.filter(
    (i) => isOpen(i) && i.currency.trim() === line.currency && i.openMinor === line.amountMinor,
  );
  if (items.length === 0) {
    // No invoice has the amount: the client the payer's name names may still be paying in part.
    const byName = matchPayerName(line, context, ibanClients);
    if (byName) return byName;
    return {
      kind: "unmatched",
      reason: bankReason("unknown_payer", {
        ibanClients,
        amount: money(line.amountMinor, line.currency),
        payer: line.payerName || null,
      }),
    };
  }
  const ranked = byNameLikeness(items, line.payerName ?? "");
  const best = ranked[0] as MatchCandidate;
  return {
    kind: "suggested",
    plan: fitAmount(line.amountMinor, [best], line.currency, null),
    candidates: suggestions(ranked),
    why: bankReason("same_amount", {
      ibanClients,
      count: items.length,
      number: best.number,
      amount: money(line.amountMinor, line.currency),
    }),
  };
}

/**
 * The payer's name is a client's: its open invoices are suggested oldest first, never paid at once,
 * as names are shared, misspelt and reused.
 */
function matchPayerName(line: BankCredit, context: MatchContext, ibanClients: string[]): BankMatch | null {
  const client = context.namedClient;
  if (!client) return null;
  const open = oldestFirst(
    (context.namedClientOpen ?? []).filter((i) => isOpen(i) && i.currency.trim() === line.currency),
  );
  if (open.length === 0) return null;
  const plan = fitAmount(line.amountMinor, open, line.currency, context.tolerance);
  return {
    kind: "suggested",
    plan,
    candidates: suggestions(open),
    why: bankReason("payer_name", { ibanClients, client: client.name, fit: fitOf(line, open, plan) }),
  };
}

/**
 * The one client a payer's name and remittance text name: every significant word of the client's
 * name is there (legal forms aside). The most specific name wins; two as specific tell nothing.
 */
export function clientNamedBy<C extends { id: string; name: string }>(
  said: string,
  clients: readonly C[],
): C | null {
  const present = new Set(words(said));
  let best: C | null = null;
  let bestSize = 0;
  let tie = false;
  for (const client of clients) {
    const own = [...new Set(words(client.name))];
    if (own.length === 0 || !own.some((w) => w.length >= 3) || !own.every((w) => present.has(w))) continue;
    if (own.length > bestSize) [best, bestSize, tie] = [client, own.length, false];
    else if (own.length === bestSize && best?.id !== client.id) tie = true;
  }
  return tie ? null : best;
}

/** Words of a client's name as `clientNamedBy` compares them: an index key for many clients. */
export function nameWords(name: string): string[] {
  return words(name);
}

function fitOf(line: BankCredit, items: readonly MatchCandidate[], plan: MatchPlan): BankFit {
  const open = sumOf(items.map((i) => ({ amountMinor: i.openMinor })));
  const amounts = {
    received: money(line.amountMinor, line.currency),
    open: money(open, line.currency),
    invoices: items.length,
  };
  if (plan.overpaidMinor > 0)
    return { kind: "overpaid", ...amounts, overpaid: money(plan.overpaidMinor, line.currency) };
  if (plan.writeOff?.reason.code === "bank_fees")
    return { kind: "fee", ...amounts, fee: plan.writeOff.reason.values };
  if (line.amountMinor === open) return { kind: "exact" };
  const paid = plan.allocations.filter((a) => a.amountMinor > 0);
  const partial = paid[paid.length - 1] as Allocation;
  return {
    kind: "partial",
    ...amounts,
    fullyPaid: paid.length - 1,
    number: partial.number,
    amount: money(partial.amountMinor, line.currency),
  };
}

function suggestions(items: readonly MatchCandidate[]): SuggestedInvoice[] {
  return items.slice(0, MAX_CANDIDATES).map((i) => ({
    invoiceId: i.id,
    number: i.number,
    clientName: i.clientName ?? "",
    openMinor: i.openMinor,
    currency: i.currency.trim(),
    dueDate: i.dueDate ?? "",
  }));
}

function byNameLikeness(items: readonly MatchCandidate[], payerName: string): MatchCandidate[] {
  const payer = new Set(words(payerName));
  const score = (i: MatchCandidate) => words(i.clientName ?? "").filter((w) => payer.has(w)).length;
  return oldestFirst(items).sort((a, b) => score(b) - score(a));
}

// Legal forms and short words say nothing about who pays.
const NOISE = new Set([
  "sl",
  "sa",
  "sas",
  "sarl",
  "sasu",
  "slu",
  "bv",
  "gmbh",
  "ltd",
  "inc",
  "et",
  "de",
  "y",
]);
function words(name: string): string[] {
  return name
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && !NOISE.has(w));
}

function oldestFirst(items: readonly MatchCandidate[]): MatchCandidate[] {
  return [...items].sort(
    (a, b) => (a.dueDate ?? "").localeCompare(b.dueDate ?? "") || a.number.localeCompare(b.number),
  );
}

const isOpen = (i: MatchCandidate) => i.openMinor > 0 && OPEN_STATUSES.has(i.status);
const sumOf = (items: readonly { amountMinor: number }[]) => items.reduce((s, i) => s + i.amountMinor, 0);
const money = (amountMinor: number, currency: string): Money => ({ amountMinor, currency });
