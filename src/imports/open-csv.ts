// Reads a CSV file as a stream of batches of rows, so a file of any size is held a batch at a
// time: the header first, then rows with the file line each starts on (header = line 1).

import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { present } from "../domain/errors.ts";
import type { RawRow, RowError } from "../domain/import-rows.ts";

export type CsvSource = string | Uint8Array | AsyncIterable<Uint8Array | string>;
export type CsvBatch = { rows: RawRow[]; errors: RowError[]; bytesRead: number };
export type CsvFile = {
  header: string[];
  /** Problems of the header itself, or of a file that has none. */
  errors: RowError[];
  batches: AsyncGenerator<CsvBatch, void, undefined>;
};

export const CSV_BATCH_ROWS = 1_000;

const NUL_MESSAGE =
  "contains a NUL byte (\\0), which is not text: remove it, or save the file again as UTF-8 CSV";

function detectDelimiter(firstLine: string, decimalComma: boolean): string {
  const counts = [";", ",", "\t"].map((d) => ({ d, n: firstLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  const [best, second] = counts;
  if (!best || best.n === 0 || best.n === second?.n) return decimalComma ? ";" : ",";
  return best.d;
}

async function* bytesOf(source: CsvSource): AsyncGenerator<Buffer> {
  if (typeof source === "string") yield Buffer.from(source, "utf8");
  else if (source instanceof Uint8Array)
    yield Buffer.from(source.buffer, source.byteOffset, source.byteLength);
  else
    for await (const chunk of source)
      yield typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk);
}

type CsvRecord = { record: string[]; info: { lines: number; empty_lines: number } };

const EMPTY: RowError = { line: 1, column: "header", message: "the file is empty" };

export async function openCsv(source: CsvSource, options: { decimalComma?: boolean } = {}): Promise<CsvFile> {
  const input = bytesOf(source)[Symbol.asyncIterator]();
  // The separator is guessed from the first line, so read until it is complete.
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (!ended && !head.some((b) => b.includes(10))) {
    const next = await input.next();
    if (next.done) ended = true;
    else {
      head.push(next.value);
      headBytes += next.value.length;
    }
  }
  const firstLine =
    Buffer.concat(head)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .split(/\r?\n/, 1)[0] ?? "";
  let bytesRead = headBytes;
  async function* all(): AsyncGenerator<Buffer> {
    yield* head;
    for (let next = await input.next(); !next.done; next = await input.next()) {
      bytesRead += next.value.length;
      yield next.value;
    }
  }
  const parser = Readable.from(all()).pipe(
    parse({
      delimiter: detectDelimiter(firstLine, Boolean(options.decimalComma)),
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
    }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<CsvRecord>;

  const unreadable = (error: unknown): RowError => {
    const line = (error as { lines?: number }).lines ?? 1;
    const reason = error instanceof Error ? error.message.replace(/^Invalid [^:]*: /, "") : String(error);
    return { line, column: "row", message: `unreadable CSV: ${reason}` };
  };
  const stop = () => {
    parser.destroy();
  };

  let first: CsvRecord | undefined;
  try {
    const next = await records.next();
    first = next.done ? undefined : next.value;
  } catch (error) {
    stop();
    return { header: [], errors: [unreadable(error)], batches: noBatches() };
  }
  if (!first || first.record.every((cell) => cell.trim() === "")) {
    stop();
    return { header: [], errors: [EMPTY], batches: noBatches() };
  }
  const header = first.record.map((h) => h.trim().toLowerCase().replace(/\s+/g, "_"));
  if (first.record.some((cell) => cell.includes("\u0000"))) {
    stop();
    return {
      header: [],
      errors: [{ line: 1, column: "header", message: NUL_MESSAGE }],
      batches: noBatches(),
    };
  }

  async function* batches(): AsyncGenerator<CsvBatch, void, undefined> {
    let previousEnd = present(first, "first").info.lines;
    let previousEmpty = present(first, "first").info.empty_lines;
    let batch: CsvBatch = { rows: [], errors: [], bytesRead };
    try {
      while (true) {
        let next: IteratorResult<CsvRecord>;
        try {
          next = await records.next();
        } catch (error) {
          batch.errors.push(unreadable(error));
          break;
        }
        if (next.done) break;
        const { record, info } = next.value;
        const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
        previousEnd = info.lines;
        previousEmpty = info.empty_lines;
        if (record.every((cell) => cell.trim() === "")) continue;
        if (record.length !== header.length) {
          batch.errors.push({
            line,
            column: "row",
            message: `has ${record.length} cells but the header has ${header.length} (a separator inside a cell needs "quotes")`,
          });
        } else {
          const nul = record.findIndex((cell) => cell.includes("\u0000"));
          if (nul >= 0) batch.errors.push({ line, column: header[nul] ?? "row", message: NUL_MESSAGE });
          else
            batch.rows.push({
              line,
              cells: Object.fromEntries(header.map((name, i) => [name, record[i] ?? ""])),
            });
        }
        if (batch.rows.length + batch.errors.length >= CSV_BATCH_ROWS) {
          batch.bytesRead = bytesRead;
          yield batch;
          batch = { rows: [], errors: [], bytesRead };
        }
      }
      batch.bytesRead = bytesRead;
      if (batch.rows.length + batch.errors.length > 0) yield batch;
    } finally {
      stop();
    }
  }
  return { header, errors: [], batches: batches() };
}

async function* noBatches(): AsyncGenerator<CsvBatch, void, undefined> {}
