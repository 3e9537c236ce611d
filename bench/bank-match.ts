// 100,000 bank credits against 100,000 open invoices. Prints lines per second and the share paid
// automatically, suggested and left.
//   npm run bench:bank-match                     # the pure matcher (src/domain), contexts indexed in memory
//   npm run bench:bank-match -- --db             # the real import service on an in-memory PGlite
//   BENCH_DATABASE_URL=postgres://… npm run bench:bank-match -- --db   # … on a throwaway PostgreSQL
// --db times `importBankStatement` on a camt.053 of N credits: parsing, storing each line once, the
// batched context queries, the matcher and every payment recorded through the payment service.
// BENCH_INVOICES=n and BENCH_LINES=n change the counts (100,000 each by default).

import { type Database, openMemoryPglite, openPostgres } from "../src/db/client.ts";
import { runMigrations } from "../src/db/migrate.ts";
import { clientBankAccounts, clients, invoices as invoiceTable, workspaces } from "../src/db/schema/index.ts";
import {
  invoiceNumberTokens,
  type MatchCandidate,
  type MatchContext,
  matchBankLine,
} from "../src/domain/bank-matching.ts";
import { findRfReferences, rfReference } from "../src/domain/sepa-transfer.ts";
import { importBankStatement } from "../src/imports/index.ts";
import { serviceDeps, testCtx } from "../test/helpers/deps.ts";

// Open invoices; statement lines (BENCH_LINES, --db: fewer lines keep the run short on a busy machine).
const N = Number(process.env.BENCH_INVOICES ?? 100_000);
const LINES = Number(process.env.BENCH_LINES ?? N);
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
const lines = Array.from({ length: LINES }, (_, k) => {
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

async function benchPure() {
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
      if (found && !named.some((n) => n.invoice.id === found.id))
        named.push({ invoice: found, via: "number" });
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
  const share = (n: number) => `${((100 * n) / LINES).toFixed(1)}%`;
  console.log(
    `${LINES} lines against ${N} open invoices in ${seconds.toFixed(2)} s: ${Math.round(LINES / seconds)} lines/s`,
  );
  console.log(
    `paid automatically ${share(counts.paid)}, suggested ${share(counts.suggested)}, left ${share(counts.unmatched)}`,
  );
}

const ibanOf = (key: string) => `ES91BENCH${key.slice(4).padStart(15, "0")}`;
const euros = (minor: number) => (minor / 100).toFixed(2);

/** The lines above as one camt.053.001.08 statement, each credit its own entry with the bank's reference. */
function camtStatement(): Buffer {
  const entries = lines.map(
    (
      line,
      k,
    ) => `<Ntry><Amt Ccy="EUR">${euros(line.amount)}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-11-20</Dt></BookgDt><AcctSvcrRef>BENCH${k}</AcctSvcrRef><NtryDtls><TxDtls>
<RltdPties><Dbtr><Pty><Nm>PAYER ${k % 997}</Nm></Pty></Dbtr>${line.iban ? `<DbtrAcct><Id><IBAN>${ibanOf(line.iban)}</IBAN></Id></DbtrAcct>` : ""}</RltdPties>
<RmtInf><Ustrd>${line.text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>`,
  );
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>BENCH</MsgId><CreDtTm>2026-11-20T18:00:00</CreDtTm></GrpHdr>
<Stmt><Id>BENCH</Id><Acct><Id><IBAN>ES7620770024003102575766</IBAN></Id></Acct>
${entries.join("\n")}
</Stmt></BkToCstmrStmt></Document>`);
}

/** The same invoices, clients and learned IBANs in a database, then the statement through the real import. */
async function benchDatabase() {
  const url = process.env.BENCH_DATABASE_URL;
  const database: Database = url ? openPostgres(url, { max: 4 }) : await openMemoryPglite();
  await runMigrations(database);
  const { db } = database;
  const [workspace] = await db
    .insert(workspaces)
    .values({
      name: `bank bench ${new Date().toISOString()}`,
      collectionsChannelId: "CBENCH",
      settings: { bankFeeTolerance: "5.00" },
    })
    .returning({ id: workspaces.id });
  const workspaceId = (workspace as { id: string }).id;
  const clientIds: string[] = [];
  for (let start = 0; start < CLIENTS; start += 2_000) {
    const rows = await db
      .insert(clients)
      .values(
        Array.from({ length: Math.min(2_000, CLIENTS - start) }, (_, j) => ({
          workspaceId,
          externalId: `c-${start + j}`,
          name: `Client ${start + j}`,
          profile: "business" as const,
          emails: ["ap@client.example"],
          currency: "EUR",
          country: "ES",
        })),
      )
      .returning({ id: clients.id });
    clientIds.push(...rows.map((r) => r.id));
  }
  for (let start = 0; start < N; start += 2_000) {
    await db.insert(invoiceTable).values(
      invoices.slice(start, start + 2_000).map((i) => ({
        workspaceId,
        clientId: clientIds[Number((i.clientId as string).slice(2))] as string,
        status: "issued" as const,
        number: i.number,
        currency: "EUR",
        issueDate: "2026-01-01",
        dueDate: i.dueDate,
        subtotalMinor: i.openMinor,
        vatMinor: 0,
        totalMinor: i.openMinor,
        openMinor: i.openMinor,
        external: "import" as const,
      })),
    );
  }
  const learned = [...knownIbans].map(([iban, client]) => ({
    workspaceId,
    clientId: clientIds[Number(client.slice(2))] as string,
    iban: ibanOf(iban),
  }));
  for (let start = 0; start < learned.length; start += 2_000)
    await db.insert(clientBankAccounts).values(learned.slice(start, start + 2_000));
  const bytes = camtStatement();

  const deps = serviceDeps(db);
  const started = performance.now();
  const result = await importBankStatement(testCtx(deps, workspaceId), { bytes, fileName: "bench.xml" });
  const seconds = (performance.now() - started) / 1000;
  const counts = { paid: 0, suggested: 0, unmatched: 0, dismissed: 0 };
  for (const line of result.lines) counts[line.outcome]++;
  const share = (n: number) => `${((100 * n) / result.lines.length).toFixed(1)}%`;
  console.log(
    `${database.kind}: ${result.lines.length} lines (camt.053, ${(bytes.length / 1e6).toFixed(1)} MB) against ${N} open invoices in ${seconds.toFixed(1)} s: ${Math.round(result.lines.length / seconds)} lines/s`,
  );
  console.log(
    `paid automatically ${share(counts.paid)}, suggested ${share(counts.suggested)}, left ${share(counts.unmatched)}; ${deps.enqueued.length} deliveries queued (thread notes, cards)`,
  );
  await database.close();
}

if (process.argv.includes("--db")) await benchDatabase();
else await benchPure();
