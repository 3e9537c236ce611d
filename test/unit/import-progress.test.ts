import { describe, expect, it } from "vitest";
import { progressWriter, reportProgress } from "../../src/cli/import-progress.ts";

describe("import progress on stderr", () => {
  it("is silent unless stderr is a terminal or --progress is given", () => {
    const lines: string[] = [];
    const io = { err: (t: string) => lines.push(t) };
    expect(progressWriter(io, false)).toBeUndefined();
    const asked = progressWriter(io, true);
    expect(asked?.inPlace).toBe(false);
    const terminal = { inPlace: true, write: () => {} };
    expect(progressWriter({ ...io, progress: terminal }, false)).toBe(terminal);
  });

  it("prints a line every few seconds with rows and share of the file, and a last one at the end", () => {
    let clock = 0;
    const lines: string[] = [];
    const progress = reportProgress(
      { inPlace: false, write: (t) => lines.push(t) },
      "Importing clients",
      1000,
      () => clock,
    );
    for (let batch = 1; batch <= 20; batch++) {
      clock += 1_000;
      progress.update({ rows: batch * 1000, bytesRead: batch * 50 });
    }
    progress.finish();
    expect(lines).toEqual([
      "Importing clients: 5,000 rows checked and written (25% of the file, 5 s)",
      "Importing clients: 10,000 rows checked and written (50% of the file, 10 s)",
      "Importing clients: 15,000 rows checked and written (75% of the file, 15 s)",
      "Importing clients: 20,000 rows checked and written (100% of the file, 20 s)",
    ]);
  });
});
