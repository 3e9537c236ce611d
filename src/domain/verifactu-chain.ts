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

export type ChainBreak = {
  sequence: number;
  seriesNumber: string;
  kind: "alta" | "anulacion";
  problems: string[];
};

/** The first record that breaks the chain (records in sequence order), or null when it holds. */
export function findChainBreak(records: readonly ChainRecordView[], head: ChainHead): ChainBreak | null {
  let before: ChainRecordView | undefined;
  for (const [index, record] of records.entries()) {
    const problems = recordProblems(record, before, index + 1);
    if (problems.length > 0) {
      return { sequence: record.sequence, seriesNumber: record.seriesNumber, kind: record.kind, problems };
    }
    before = record;
  }
  const last = records.at(-1);
  if ((last?.sequence ?? 0) !== head.lastSequence || (last?.hash ?? null) !== head.lastHash) {
    return {
      sequence: head.lastSequence,
      seriesNumber: last?.seriesNumber ?? "",
      kind: last?.kind ?? "alta",
      problems: [
        `the chain's last record is number ${head.lastSequence} with hash ${short(head.lastHash)}, but the records end at number ${last?.sequence ?? 0} with hash ${short(last?.hash ?? null)}: records are missing at the end`,
      ],
    };
  }
  return null;
}

function recordProblems(
  record: ChainRecordView,
  before: ChainRecordView | undefined,
  expectedSequence: number,
): string[] {
  const problems: string[] = [];
  if (record.sequence !== expectedSequence) {
    problems.push(
      `record number ${expectedSequence} is missing: the chain goes from ${expectedSequence - 1} to ${record.sequence}`,
    );
  }
  if (record.recomputedHash !== record.hash) {
    problems.push(
      `its hash ${short(record.hash)} is not the hash of its content (recomputed: ${short(record.recomputedHash)})`,
    );
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
    if (hashed !== value) {
      problems.push(`its hashed ${name} is "${hashed ?? "(absent)"}" but the record says "${value}"`);
    }
  }
  const expectedPrevious = before?.hash ?? null;
  if (record.previousHash !== expectedPrevious) {
    problems.push(
      before
        ? `it links to hash ${short(record.previousHash)}, but the record before it (number ${before.sequence}, ${before.seriesNumber}) has hash ${short(before.hash)}`
        : `it is the first record but links to hash ${short(record.previousHash)}`,
    );
  }
  if (before && instant(record.generatedAt) < instant(before.generatedAt)) {
    problems.push(
      `it was generated at ${record.generatedAt}, before the record before it (${before.generatedAt})`,
    );
  }
  return problems;
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

function short(hash: string | null): string {
  return hash ? `${hash.slice(0, 12)}…` : "(none)";
}
