import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { cobroFonts, FONT_FILES, textWidth, useCobroFonts } from "../../src/pdf/pdf-document.ts";

const require = createRequire(import.meta.url);
type Run = { glyphs: { id: number }[]; positions: { xAdvance: number; xOffset: number; yOffset: number }[] };
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as {
  create: (bytes: Buffer) => { layout: (text: string) => Run };
};

const summary = (run: Run) =>
  run.glyphs.map((g, i) => [
    g.id,
    run.positions[i]?.xAdvance,
    run.positions[i]?.xOffset,
    run.positions[i]?.yOffset,
  ]);

describe("shared PDF fonts", () => {
  it("shape amounts, dates and numbers exactly as fontkit does", () => {
    const characters = "0123456789 ,.-–/€$£%:+()\u00a0\u202f";
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const samples = ["1 234,56 €", "23/11/2026", "$1,234.56", "−", "21 %", "12 345,00\u202f€", "(3.5)"];
    for (let i = 0; i < 2000; i++) {
      samples.push(
        Array.from(
          { length: 2 + Math.floor(random() * 12) },
          () => characters[Math.floor(random() * characters.length)],
        ).join(""),
      );
    }
    for (const [name, shared] of Object.entries(cobroFonts())) {
      const reference = fontkit.create(
        readFileSync(require.resolve(FONT_FILES[name as keyof typeof FONT_FILES])),
      );
      for (const text of samples) {
        expect(summary(shared.run(text) as unknown as Run), `${name}: ${JSON.stringify(text)}`).toEqual(
          summary(reference.layout(text)),
        );
      }
    }
  });

  it("measure texts exactly as pdfkit does", () => {
    const doc = new PDFDocument({ font: null as unknown as string });
    useCobroFonts(doc);
    const texts = [
      "",
      "Total TTC",
      "Développement — sprint  2",
      " leading and trailing ",
      "tab\tseparated\twords",
      "office affiche efficacité",
      "1 234,56 €",
      "Ωμέγα Σύμβουλοι ΑΕ",
      "Łódź, Dvořák, Ørsted",
    ];
    for (const font of ["regular", "bold"] as const) {
      for (const size of [7, 9, 12.5]) {
        for (const text of texts) {
          expect(textWidth(font, text, size), `${font} ${size} ${JSON.stringify(text)}`).toBeCloseTo(
            doc.font(font).fontSize(size).widthOfString(text),
            9,
          );
        }
      }
    }
    doc.end();
  });
});
