// A progress line for long imports: rewritten in place on a terminal, or one line a few seconds
// apart when asked for with --progress (logs, CI). Never any row content.
import type { ImportProgress } from "../imports/index.ts";

export type ProgressWriter = { write: (text: string) => void; inPlace: boolean };

const EVERY_MS = { inPlace: 250, lines: 5_000 };

export function reportProgress(
  writer: ProgressWriter,
  what: string,
  totalBytes: number,
  now: () => number = Date.now,
): { update: (progress: ImportProgress) => void; finish: () => void } {
  const started = now();
  let last = started;
  let latest: ImportProgress | undefined;
  let written = "";
  const line = (p: ImportProgress) => {
    const percent = totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / totalBytes) * 100)) : 100;
    const seconds = ((now() - started) / 1000).toFixed(0);
    return `${what}: ${p.rows.toLocaleString("en")} rows checked and written (${percent}% of the file, ${seconds} s)`;
  };
  return {
    update: (progress) => {
      latest = progress;
      if (now() - last < (writer.inPlace ? EVERY_MS.inPlace : EVERY_MS.lines)) return;
      last = now();
      written = line(progress);
      writer.write(written);
    },
    finish: () => {
      if (!latest) return;
      if (line(latest) !== written) writer.write(line(latest));
      if (writer.inPlace) writer.write("\n");
    },
  };
}

/** The terminal's status line, or plain lines on stderr with --progress; nothing otherwise. */
export function progressWriter(
  io: { err: (text: string) => void; progress?: ProgressWriter },
  asked: boolean,
): ProgressWriter | undefined {
  return io.progress ?? (asked ? { inPlace: false, write: io.err } : undefined);
}
