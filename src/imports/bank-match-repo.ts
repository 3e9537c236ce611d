// What the matcher needs to know about a batch of bank lines, in four queries whatever their
// number: the invoices their texts name (by number or RF reference), the clients their payers'
// IBANs were learned for, those clients' (and the clients their payers' names name) open invoices,
// and open invoices of exactly their amounts. Client names are read once per import.
import { sql } from "drizzle-orm";
import { pgArray } from "../db/batches.ts";
import { type Db, queryRows } from "../db/client.ts";
import type { BankLineRow } from "../db/schema/index.ts";
import {
  clientNamedBy,
  compactNumberTokens,
  type FeeTolerance,
  invoiceNumberTokens,
  type MatchCandidate,
  type MatchContext,
  nameWords,
} from "../domain/bank-matching.ts";
import { findRfReferences } from "../domain/sepa-transfer.ts";

// Enough to offer a choice on a card; more invoices of one amount tell a person nothing more.
const SAME_AMOUNT_SHOWN = 10;

type InvoiceRowOut = {
  id: string;
  number: string;
  currency: string;
  open_minor: string;
  status: string;
  client_id: string;
  client_name: string;
  due_date: string | null;
};

const INVOICE_COLUMNS = sql`i.id, i.number, trim(i.currency) as currency, i.open_minor::text as open_minor,
  i.status, i.client_id, c.name as client_name, i.due_date::text as due_date`;

const OPEN = sql`i.status in ('issued', 'partially_paid') and i.open_minor > 0 and i.kind = 'invoice'`;

type ClientName = { id: string; name: string };
/** The workspace's clients by each word of their names, for finding the one a payer's name names. */
export type ClientNameIndex = Map<string, ClientName[]>;

export async function loadClientNameIndex(db: Db, workspaceId: string): Promise<ClientNameIndex> {
  const rows = await queryRows<ClientName>(
    db,
    sql`select id, name from clients where workspace_id = ${workspaceId}`,
  );
  const index: ClientNameIndex = new Map();
  for (const row of rows) {
    for (const word of new Set(nameWords(row.name))) {
      const group = index.get(word);
      if (group) group.push(row);
      else index.set(word, [row]);
    }
  }
  return index;
}

function clientNamedIn(said: string, index: ClientNameIndex): ClientName | null {
  const candidates = new Set(nameWords(said).flatMap((word) => index.get(word) ?? []));
  return candidates.size > 0 ? clientNamedBy(said, [...candidates]) : null;
}

export async function loadMatchContexts(
  db: Db,
  workspaceId: string,
  lines: readonly BankLineRow[],
  tolerance: FeeTolerance | null,
  clientNames: ClientNameIndex = new Map(),
): Promise<Map<string, MatchContext>> {
  const refs = new Map(lines.map((l) => [l.id, references(l.text)]));
  const tokens = [...new Set([...refs.values()].flatMap((r) => r.numbers))];
  const bodies = [...new Set([...refs.values()].flatMap((r) => [...r.rfBodies, ...r.compact]))];
  const named = await queryRows<InvoiceRowOut & { key_number: string; key_rf: string }>(
    db,
    sql`select ${INVOICE_COLUMNS}, upper(i.number) as key_number,
          upper(regexp_replace(i.number, '[^A-Za-z0-9]', '', 'g')) as key_rf
        from invoices i join clients c on c.id = i.client_id
        where i.workspace_id = ${workspaceId} and i.number is not null
          and (upper(i.number) = any(${pgArray(tokens)}::text[])
            or upper(regexp_replace(i.number, '[^A-Za-z0-9]', '', 'g')) = any(${pgArray(bodies)}::text[]))`,
  );
  const byNumber = groupBy(named, (r) => r.key_number);
  const byRf = groupBy(named, (r) => r.key_rf);

  const ibans = [...new Set(lines.map((l) => l.payerIban).filter((i): i is string => !!i))];
  const owners = ibans.length
    ? await queryRows<{ iban: string; client_id: string; client_name: string }>(
        db,
        sql`select distinct a.iban, a.client_id, c.name as client_name
            from client_bank_accounts a join clients c on c.id = a.client_id
            where a.workspace_id = ${workspaceId} and a.iban = any(${pgArray(ibans)}::text[])`,
      )
    : [];
  const ownersOf = groupBy(owners, (o) => o.iban);
  const namedClients = new Map(
    lines.map((l) => [l.id, clientNamedIn(`${l.payerName ?? ""} ${l.text}`, clientNames)]),
  );
  const clientIds = [
    ...new Set([
      ...owners.map((o) => o.client_id),
      ...[...namedClients.values()].flatMap((c) => (c ? [c.id] : [])),
    ]),
  ];
  const clientOpen = clientIds.length
    ? groupBy(
        await queryRows<InvoiceRowOut>(
          db,
          sql`select ${INVOICE_COLUMNS} from invoices i join clients c on c.id = i.client_id
              where i.workspace_id = ${workspaceId} and ${OPEN}
                and i.client_id = any(${pgArray(clientIds)}::uuid[])
              order by i.due_date, i.number`,
        ),
        (r) => r.client_id,
      )
    : new Map<string, InvoiceRowOut[]>();

  const amounts = [...new Set(lines.map((l) => String(l.amountMinor)))];
  const sameAmount = groupBy(
    await queryRows<InvoiceRowOut>(
      db,
      sql`select * from (
            select ${INVOICE_COLUMNS},
              row_number() over (partition by i.open_minor, i.currency order by i.due_date, i.number) as rank
            from invoices i join clients c on c.id = i.client_id
            where i.workspace_id = ${workspaceId} and ${OPEN}
              and i.open_minor = any(${pgArray(amounts)}::bigint[])
          ) ranked where rank <= ${SAME_AMOUNT_SHOWN}`,
    ),
    (r) => `${r.open_minor}:${r.currency}`,
  );

  const contexts = new Map<string, MatchContext>();
  for (const line of lines) {
    const { numbers, rfBodies, compact } = refs.get(line.id) as ReturnType<typeof references>;
    const seen = new Map<string, MatchContext["named"][number]>();
    for (const body of rfBodies)
      for (const r of byRf.get(body) ?? []) seen.set(r.id, { invoice: candidate(r), via: "rf" });
    for (const token of numbers)
      for (const r of byNumber.get(token) ?? [])
        if (!seen.has(r.id)) seen.set(r.id, { invoice: candidate(r), via: "number" });
    // Only when the number is not written as issued: "FA 2026 0004" must not add to "FA-2026-0004".
    if (seen.size === 0)
      for (const token of compact)
        for (const r of byRf.get(token) ?? [])
          if (!seen.has(r.id)) seen.set(r.id, { invoice: candidate(r), via: "number" });
    const payers = line.payerIban ? (ownersOf.get(line.payerIban) ?? []) : [];
    const payerClients = payers.map((p) => ({ id: p.client_id, name: p.client_name }));
    const currency = line.currency.trim();
    contexts.set(line.id, {
      named: [...seen.values()],
      payerClients,
      clientOpen:
        payerClients.length === 1 ? (clientOpen.get(payers[0]?.client_id ?? "") ?? []).map(candidate) : [],
      sameAmount: (sameAmount.get(`${line.amountMinor}:${currency}`) ?? []).map(candidate),
      namedClient: namedClients.get(line.id) ?? null,
      namedClientOpen: (clientOpen.get(namedClients.get(line.id)?.id ?? "") ?? []).map(candidate),
      tolerance,
    });
  }
  return contexts;
}

function references(text: string): { numbers: string[]; rfBodies: string[]; compact: string[] } {
  return {
    numbers: invoiceNumberTokens(text),
    rfBodies: findRfReferences(text).map((r) => r.slice(4)),
    compact: compactNumberTokens(text),
  };
}

function candidate(r: InvoiceRowOut): MatchCandidate {
  return {
    id: r.id,
    number: r.number,
    currency: r.currency,
    openMinor: Number(r.open_minor),
    status: r.status,
    clientId: r.client_id,
    clientName: r.client_name,
    dueDate: r.due_date ?? "",
  };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}
