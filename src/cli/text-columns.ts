// Plain-text tables for the terminal: each column as wide as its widest cell.

/** Rows padded into aligned columns; columns `rightAligned` says (amounts) align right. */
export function textColumns(rows: string[][], rightAligned: (column: number) => boolean): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (rightAligned(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd(),
  );
}
