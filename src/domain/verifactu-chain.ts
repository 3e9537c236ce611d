// Walks a VERI*FACTU chain (Orden HAC/1177/2024 arts. 6-7): every record's hash recomputed, its
// hashed content matched to the record, its link to the record before it and the time order.
// Pure: the caller computes each record's SHA-256 (node:crypto stays out of the domain).
import { aeatDate } from "./verifactu.ts";

export type ChainRecordView = {
  sequence: number;
  kind: "alta" | "anulacion";
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  invoiceType: string;
  hashInput: string;
  hash: string;
  previousHash: string | null;
  generatedAt: string;
  /** SHA-256 of hashInput, as uppercase hex, computed by the caller. */
  recomputedHash: string;
};

export type ChainHead = { lastHash: string | null; lastSequence: number };

/** What is wrong with a record, as facts a reader's language can word (hashes in full, null: none). */
export type ChainProblem =
  | { kind: "missing_record"; expected: number; found: number }
  | { kind: "hash_mismatch"; hash: string; recomputed: string }
  | { kind: "hashed_field"; field: string; hashed: string | null; value: string }
  | {
      kind: "wrong_link";
      previous: string | null;
      beforeSequence: number;
      beforeSeries: string;
      beforeHash: string;
    }
  | { kind: "first_links"; previous: string | null }
  | { kind: "time_backwards"; at: string; beforeAt: string }
  | {
      kind: "missing_at_end";
      headSequence: number;
      headHash: string | null;
      lastSequence: number;
      lastHash: string | null;
    };

export type ChainBreak = {
  sequence: number;
  seriesNumber: string;
  kind: "alta" | "anulacion";
  /** The problems in English (the CLI). */
  problems: string[];
  facts: ChainProblem[];
};

/** The first record that breaks the chain (records in sequence order), or null when it holds. */
export function findChainBreak(records: readonly ChainRecordView[], head: ChainHead): ChainBreak | null {
  let before: ChainRecordView | undefined;
  for (const [index, record] of records.entries()) {
    const facts = recordProblems(record, before, index + 1);
    if (facts.length > 0) {
      const { sequence, seriesNumber, kind } = record;
      return { sequence, seriesNumber, kind, problems: facts.map(englishProblem), facts };
    }
    before = record;
  }
  const last = records.at(-1);
  if ((last?.sequence ?? 0) !== head.lastSequence || (last?.hash ?? null) !== head.lastHash) {
    const fact: ChainProblem = {
      kind: "missing_at_end",
      headSequence: head.lastSequence,
      headHash: head.lastHash,
      lastSequence: last?.sequence ?? 0,
      lastHash: last?.hash ?? null,
    };
    return {
      sequence: head.lastSequence,
      seriesNumber: last?.seriesNumber ?? "",
      kind: last?.kind ?? "alta",
      problems: [englishProblem(fact)],
      facts: [fact],
    };
  }
  return null;
}

function recordProblems(
  record: ChainRecordView,
  before: ChainRecordView | undefined,
  expectedSequence: number,
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  if (record.sequence !== expectedSequence) {
    problems.push({ kind: "missing_record", expected: expectedSequence, found: record.sequence });
  }
  if (record.recomputedHash !== record.hash) {
    problems.push({ kind: "hash_mismatch", hash: record.hash, recomputed: record.recomputedHash });
  }
  const anulada = record.kind === "anulacion" ? "Anulada" : "";
  const fields: [string, string][] = [
    [`IDEmisorFactura${anulada}`, record.issuerNif],
    [`NumSerieFactura${anulada}`, record.seriesNumber],
    [`FechaExpedicionFactura${anulada}`, aeatDate(record.issueDate)],
    ...(record.kind === "alta" ? [["TipoFactura", record.invoiceType] as [string, string]] : []),
    ["Huella", record.previousHash ?? ""],
    ["FechaHoraHusoGenRegistro", record.generatedAt],
  ];
  for (const [name, value] of fields) {
    const hashed = hashedValue(record.hashInput, name);
    if (hashed !== value) problems.push({ kind: "hashed_field", field: name, hashed: hashed ?? null, value });
  }
  const expectedPrevious = before?.hash ?? null;
  if (record.previousHash !== expectedPrevious) {
    problems.push(
      before
        ? {
            kind: "wrong_link",
            previous: record.previousHash,
            beforeSequence: before.sequence,
            beforeSeries: before.seriesNumber,
            beforeHash: before.hash,
          }
        : { kind: "first_links", previous: record.previousHash },
    );
  }
  if (before && instant(record.generatedAt) < instant(before.generatedAt)) {
    problems.push({ kind: "time_backwards", at: record.generatedAt, beforeAt: before.generatedAt });
  }
  return problems;
}

function englishProblem(p: ChainProblem): string {
  switch (p.kind) {
    case "missing_record":
      return `record number ${p.expected} is missing: the chain goes from ${p.expected - 1} to ${p.found}`;
    case "hash_mismatch":
      return `its hash ${short(p.hash)} is not the hash of its content (recomputed: ${short(p.recomputed)})`;
    case "hashed_field":
      return `its hashed ${p.field} is "${p.hashed ?? "(absent)"}" but the record says "${p.value}"`;
    case "wrong_link":
      return `it links to hash ${short(p.previous)}, but the record before it (number ${p.beforeSequence}, ${p.beforeSeries}) has hash ${short(p.beforeHash)}`;
    case "first_links":
      return `it is the first record but links to hash ${short(p.previous)}`;
    case "time_backwards":
      return `it was generated at ${p.at}, before the record before it (${p.beforeAt})`;
    case "missing_at_end":
      return `the chain's last record is number ${p.headSequence} with hash ${short(p.headHash)}, but the records end at number ${p.lastSequence} with hash ${short(p.lastHash)}: records are missing at the end`;
  }
}

/** The value of a field in a hash input; values never contain "&<Name>=" of the next field. */
function hashedValue(hashInput: string, name: string): string | undefined {
  const start = hashInput.startsWith(`${name}=`) ? 0 : hashInput.indexOf(`&${name}=`);
  if (start < 0) return undefined;
  const from = start === 0 ? name.length + 1 : start + name.length + 2;
  const next = hashInput.slice(from).search(/&[A-Za-z]+=/);
  return next < 0 ? hashInput.slice(from) : hashInput.slice(from, from + next);
}

function instant(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? Number.NEGATIVE_INFINITY : time;
}

/** The first 12 characters of a hash, enough to tell two apart; "(none)" when absent. */
export function shortHash(hash: string | null, none = "(none)"): string {
  return hash ? `${hash.slice(0, 12)}…` : none;
}

const short = (hash: string | null) => shortHash(hash);
