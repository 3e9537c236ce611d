// 100,000 bank credits against 100,000 open invoices through the pure matcher (src/domain), with
// contexts indexed in memory as the import's four queries return them. Prints lines per second and
// the share paid automatically, suggested and left. The database side (queries, payments) is not timed.

import {
  invoiceNumberTokens,
  type MatchCandidate,
  type MatchContext,
  matchBankLine,
} from "../src/domain/bank-matching.ts";
import { findRfReferences, rfReference } from "../src/domain/rf-reference.ts";

const N = 100_000;
const CLIENTS = 5_000;
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const invoices: MatchCandidate[] = Array.from({ length: N }, (_, i) => ({
  id: `inv-${i}`,
  number: `F-2026-${String(i + 1).padStart(6, "0")}`,
  currency: "EUR",
  openMinor: 10_000 + Math.floor(random() * 500_000),
  status: "issued",
  clientId: `c-${i % CLIENTS}`,
  clientName: `Client ${i % CLIENTS}`,
  dueDate: `2026-${String(1 + (i % 12)).padStart(2, "0")}-15`,
}));
const byNumber = new Map(invoices.map((i) => [i.number, i]));
const byRf = new Map(invoices.map((i) => [(rfReference(i.number) as string).slice(4), i]));
const byClient = new Map<string, MatchCandidate[]>();
const byAmount = new Map<number, MatchCandidate[]>();
for (const i of invoices) {
  byClient.set(i.clientId as string, [...(byClient.get(i.clientId as string) ?? []), i]);
  byAmount.set(i.openMinor, [...(byAmount.get(i.openMinor) ?? []), i]);
}
const knownIbans = new Map<string, string>();
for (let c = 0; c < CLIENTS / 2; c++) knownIbans.set(`IBAN${c}`, `c-${c}`);

// The mix: 40% RF reference, 20% invoice number (a third of them short or over), 15% known IBAN,
// 15% nothing named but an amount some invoice has open, 10% unknown payer and amount.
const lines = Array.from({ length: N }, (_, k) => {
  const inv = invoices[Math.floor(random() * N)] as MatchCandidate;
  const r = random();
  const client = Number((inv.clientId as string).slice(2));
  if (r < 0.4) return { amount: inv.openMinor, text: `PAGO ${rfReference(inv.number)}`, iban: null };
  if (r < 0.6) {
    const amount = k % 3 === 0 ? inv.openMinor - 250 : k % 3 === 1 ? inv.openMinor + 1_000 : inv.openMinor;
    return { amount, text: `Factura ${inv.number}`, iban: null };
  }
  if (r < 0.75)
    return { amount: inv.openMinor, text: "TRANSFERENCIA", iban: `IBAN${client % (CLIENTS / 2)}` };
  if (r < 0.9) return { amount: inv.openMinor, text: "PAGO", iban: null };
  return { amount: 1 + Math.floor(random() * 9_999), text: "DONATIVO", iban: null };
});

const started = performance.now();
const counts = { paid: 0, suggested: 0, unmatched: 0 };
for (const line of lines) {
  const named: MatchContext["named"] = [];
  for (const rf of findRfReferences(line.text)) {
    const found = byRf.get(rf.slice(4));
    if (found) named.push({ invoice: found, via: "rf" });
  }
  for (const token of invoiceNumberTokens(line.text)) {
    const found = byNumber.get(token);
    if (found && !named.some((n) => n.invoice.id === found.id)) named.push({ invoice: found, via: "number" });
  }
  const owner = line.iban ? knownIbans.get(line.iban) : undefined;
  const context: MatchContext = {
    named,
    payerClients: owner ? [{ id: owner, name: owner }] : [],
    clientOpen: owner ? (byClient.get(owner) ?? []) : [],
    sameAmount: (byAmount.get(line.amount) ?? []).slice(0, 10),
    tolerance: { amount: "5.00" },
  };
  counts[matchBankLine({ amountMinor: line.amount, currency: "EUR", payerName: null }, context).kind]++;
}
const seconds = (performance.now() - started) / 1000;
const share = (n: number) => `${((100 * n) / N).toFixed(1)}%`;
console.log(
  `${N} lines against ${N} open invoices in ${seconds.toFixed(2)} s: ${Math.round(N / seconds)} lines/s`,
);
console.log(
  `paid automatically ${share(counts.paid)}, suggested ${share(counts.suggested)}, left ${share(counts.unmatched)}`,
);
