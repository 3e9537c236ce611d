// A new A4 document with Cobro's embedded fonts, and its bytes once it ends: what every PDF shares.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { deflateSync } from "node:zlib";
import PDFDocument from "pdfkit";
import { embedFacturX, FACTURX_PDF_OPTIONS, type FacturXAttachment } from "./facturx.ts";

export const PDF_MARGIN = 40;

/** `facturX`: a Factur-X (PDF/A-3b with the CII attached); a plain PDF without it. */
export function startPdf(options: {
  title: string;
  author: string;
  language: string;
  facturX?: FacturXAttachment | undefined;
}): {
  doc: PDFKit.PDFDocument;
  bytes: Promise<Buffer>;
} {
  const doc = new PDFDocument({
    // No standard font: pdfkit would parse Helvetica's metrics for every document, unused.
    font: null as unknown as string,
    size: "A4",
    margins: { top: PDF_MARGIN, left: PDF_MARGIN, right: PDF_MARGIN, bottom: 30 },
    bufferPages: true,
    autoFirstPage: true,
    info: { Title: options.title, Author: xmpSafe(options, options.author), Producer: "Cobro" },
    lang: options.language,
    ...(options.facturX ? FACTURX_PDF_OPTIONS : {}),
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  useCobroFonts(doc);
  if (options.facturX) embedFacturX(doc, options.facturX);
  return { doc, bytes };
}

// pdfkit copies the Info strings into the XMP unescaped: a "&" there would make a PDF/A invalid.
function xmpSafe(options: { facturX?: unknown }, text: string): string {
  return options.facturX ? text.replace(/[&<>]/g, " ").replace(/\s+/g, " ") : text;
}

// The embedded fonts of every PDF Cobro renders (DejaVu, from an npm package: no system font).
//
// Done naively, fonts are most of an invoice's rendering: pdfkit parses the font file again in
// every document (≈ 60 ms for DejaVu), shapes every word with fontkit's OpenType layout, and
// subsets and re-encodes the font for every document (≈ 12 ms per font). Here a font is parsed
// once per process, shaped words are cached, and all documents share one growing subset whose
// encoded, compressed bytes, widths and ToUnicode map are built once per new set of glyphs: a PDF
// embeds the glyphs of the seed characters (and of any rarer ones seen before) instead of only its
// own (≈ 75 kB a file instead of ≈ 25 kB).
type Glyph = { id: number; advanceWidth: number; codePoints: number[] };
type GlyphPosition = { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number };
type GlyphRun = { glyphs: Glyph[]; positions: object[] };
type ScaledRun = {
  glyphs: Glyph[];
  positions: (GlyphPosition & { advanceWidth: number })[];
  advanceWidth: number;
};
type FontSubset = { glyphs: number[]; includeGlyph(id: number): number; encode(): Uint8Array };
type ParsedFont = {
  layout(text: string, features?: unknown): GlyphRun;
  createSubset(): FontSubset;
  glyphForCodePoint(codePoint: number): Glyph;
  getGlyph(id: number): Glyph;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight?: number;
  xHeight?: number;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  postscriptName: string;
  post: { isFixedPitch: number };
  head: { macStyle: { italic: boolean } };
};
/** The pdfkit font object a registered font becomes in a document (not in @types/pdfkit). */
type PdfKitFont = {
  document: PDFKit.PDFDocument;
  dictionary: PdfRef;
  embed(): void;
  layoutRun(text: string, features?: unknown): unknown;
};
type PdfRef = { data: Record<string, unknown>; end(chunk?: Uint8Array): void };

const require = createRequire(import.meta.url);
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as { create(bytes: Buffer): ParsedFont };

// Seeded so that nearly every invoice (fr, es, en, names and addresses across Western Europe) uses
// glyphs already in the shared subset: Basic Latin, Latin-1, Latin Extended-A, typographic marks,
// currency signs and the spaces Intl puts in numbers.
const SEED_CHARACTERS = [
  [0x20, 0x7e],
  [0xa0, 0xff],
  [0x100, 0x17f],
  [0x2010, 0x2026],
  [0x20a0, 0x20bf],
]
  .flatMap(([from = 0, to = 0]) => Array.from({ length: to - from + 1 }, (_, i) => from + i))
  .concat([0x202f, 0x2030, 0x2116, 0x2122]);

const SEED_LIGATURES = "fi fl ff ffi ffl";
const LAYOUT_CACHE_SIZE = 20_000;
const NUMERIC = /^[0-9 ,.\-–/€$£%:+()\u00a0\u202f]+$/u;

/** One parsed font shared by every document of the process. */
class SharedFont {
  readonly font: ParsedFont;
  private readonly subset: FontSubset;
  private readonly layout: (text: string) => GlyphRun;
  private readonly layouts = new BoundedMap<string, GlyphRun>(LAYOUT_CACHE_SIZE);
  private readonly scaledRuns = new BoundedMap<string, ScaledRun>(LAYOUT_CACHE_SIZE);
  /** Widths in font units of whole texts and of words. */
  private readonly widths = new BoundedMap<string, number>(LAYOUT_CACHE_SIZE);
  private readonly wordWidths = new BoundedMap<string, number>(LAYOUT_CACHE_SIZE);
  private readonly unitsPerEm: number;
  /** Code points each glyph stands for, as shaping found them (ligatures stand for several). */
  private readonly codePoints = new Map<number, number[]>();
  private embedding: Embedding | undefined;

  constructor(file: string) {
    const font = fontkit.create(readFileSync(require.resolve(file)));
    const layout = font.layout.bind(font);
    this.font = font;
    this.unitsPerEm = font.unitsPerEm;
    this.subset = font.createSubset();
    for (const codePoint of SEED_CHARACTERS) {
      const glyph = font.glyphForCodePoint(codePoint);
      if (glyph.id === 0) continue;
      this.subset.includeGlyph(glyph.id);
      this.codePoints.set(glyph.id, [codePoint]);
    }
    // Ligatures (fi, ffi…) are glyphs no character maps to: shaped once, so that the first
    // "définition" does not make every document's subset change.
    for (const glyph of layout(SEED_LIGATURES).glyphs) {
      this.subset.includeGlyph(glyph.id);
      if (!this.codePoints.has(glyph.id)) this.codePoints.set(glyph.id, glyph.codePoints);
    }
    font.createSubset = () => this.subset;
    this.layout = layout;
  }

  /** The glyphs and positions of a text, in font units, shaped once per process (read only). */
  run(text: string): GlyphRun {
    let run = this.layouts.get(text);
    if (!run) {
      run = NUMERIC.test(text) && text.length > 1 ? this.joinCharacters(text) : this.layout(text);
      for (const glyph of run.glyphs) {
        if (!this.codePoints.has(glyph.id)) this.codePoints.set(glyph.id, glyph.codePoints);
      }
      this.layouts.set(text, run);
    }
    return run;
  }

  // Amounts, dates and numbers are new words on every invoice; shaping them glyph by glyph from
  // cached single characters gives what fontkit gives (no ligature or kerning among these
  // characters in DejaVu, checked in test/unit/pdf-fonts.test.ts) at a fraction of the cost.
  private joinCharacters(text: string): GlyphRun {
    const parts = Array.from(text, (character) => this.run(character));
    return {
      glyphs: parts.flatMap((part) => part.glyphs),
      positions: parts.flatMap((part) => part.positions),
    };
  }

  // What pdfkit's layoutRun makes of a run (positions in thousandths of the font size, with each
  // glyph's advance width), built once per process instead of copied and scaled per document.
  // pdfkit only reads these afterwards (it copies a position before changing its spacing).
  private scaledRun(text: string): ScaledRun {
    let scaled = this.scaledRuns.get(text);
    if (!scaled) {
      const { glyphs, positions } = this.run(text);
      const scale = 1000 / this.unitsPerEm;
      let advanceWidth = 0;
      const scaledPositions = (positions as GlyphPosition[]).map((p, i) => {
        advanceWidth += p.xAdvance * scale;
        return {
          xAdvance: p.xAdvance * scale,
          yAdvance: p.yAdvance * scale,
          xOffset: p.xOffset * scale,
          yOffset: p.yOffset * scale,
          advanceWidth: (glyphs[i]?.advanceWidth ?? 0) * scale,
        };
      });
      scaled = { glyphs, positions: scaledPositions, advanceWidth };
      this.scaledRuns.set(text, scaled);
    }
    return scaled;
  }

  /**
   * Width in points of `text` at `size`, as pdfkit measures it (word by word, each word with its
   * trailing space or tab), from cached word widths: no shaping, no copies.
   */
  widthOf(text: string, size: number): number {
    let units = this.widths.get(text);
    if (units === undefined) {
      units = this.measure(text);
      this.widths.set(text, units);
    }
    return (units * size) / this.unitsPerEm;
  }

  private measure(text: string): number {
    let units = 0;
    let start = 0;
    for (let i = 0; i <= text.length; i++) {
      const atEnd = i === text.length;
      if (!atEnd && text[i] !== " " && text[i] !== "\t") continue;
      if (atEnd && start === i) break;
      units += this.wordWidth(text.slice(start, i + 1));
      start = i + 1;
    }
    return units;
  }

  private wordWidth(word: string): number {
    let units = this.wordWidths.get(word);
    if (units === undefined) {
      units = 0;
      for (const position of this.run(word).positions as GlyphPosition[]) units += position.xAdvance;
      this.wordWidths.set(word, units);
    }
    return units;
  }

  /** Makes the document's pdfkit font write the shared, already encoded subset. */
  shareWith(pdfFont: PdfKitFont): void {
    pdfFont.embed = () => this.embed(pdfFont);
    const layoutRun = pdfFont.layoutRun.bind(pdfFont);
    pdfFont.layoutRun = (text, features) => (features ? layoutRun(text, features) : this.scaledRun(text));
  }

  private embed(pdfFont: PdfKitFont): void {
    const embedding = this.currentEmbedding();
    const doc = pdfFont.document;
    const fontFile = doc.ref({ Filter: "FlateDecode", Length1: embedding.fontLength }) as unknown as PdfRef;
    fontFile.end(embedding.fontFile);
    const descriptor = doc.ref({ ...embedding.descriptor, FontFile2: fontFile }) as unknown as PdfRef;
    descriptor.end();
    const cidFont = doc.ref({
      Type: "Font",
      Subtype: "CIDFontType2",
      BaseFont: embedding.name,
      CIDSystemInfo: { Registry: new String("Adobe"), Ordering: new String("Identity"), Supplement: 0 },
      FontDescriptor: descriptor,
      W: [0, embedding.widths],
      CIDToGIDMap: "Identity",
    }) as unknown as PdfRef;
    cidFont.end();
    const toUnicode = doc.ref({ Filter: "FlateDecode" }) as unknown as PdfRef;
    toUnicode.end(embedding.toUnicode);
    pdfFont.dictionary.data = {
      Type: "Font",
      Subtype: "Type0",
      BaseFont: embedding.name,
      Encoding: "Identity-H",
      DescendantFonts: [cidFont],
      ToUnicode: toUnicode,
    };
    pdfFont.dictionary.end();
  }

  private currentEmbedding(): Embedding {
    // Encoding can add the parts of composite glyphs to the subset: encode until it stops growing.
    while (this.embedding?.glyphCount !== this.subset.glyphs.length) {
      const glyphCount = this.subset.glyphs.length;
      const bytes = this.subset.encode();
      if (this.subset.glyphs.length !== glyphCount) continue;
      this.embedding = buildEmbedding(this.font, this.subset.glyphs, bytes, this.codePoints);
    }
    return this.embedding;
  }
}

type Embedding = {
  glyphCount: number;
  name: string;
  fontFile: Buffer;
  fontLength: number;
  /** The glyph widths array, already written out (hundreds of numbers, the same in every PDF). */
  widths: PdfRaw;
  toUnicode: Buffer;
  descriptor: Record<string, unknown>;
};

function buildEmbedding(
  font: ParsedFont,
  glyphs: number[],
  bytes: Uint8Array,
  codePoints: Map<number, number[]>,
): Embedding {
  const scale = 1000 / font.unitsPerEm;
  // A subset's name starts with six capital letters that differ between subsets (ISO 32000 9.6.4).
  const tag = Array.from(glyphs.length.toString(26).padStart(6, "0"), (digit) =>
    String.fromCharCode(65 + Number.parseInt(digit, 26)),
  ).join("");
  const name = `${tag}+${font.postscriptName.replaceAll(" ", "_")}`;
  const { bbox } = font;
  return {
    glyphCount: glyphs.length,
    name,
    fontFile: deflateSync(bytes),
    fontLength: bytes.length,
    widths: new PdfRaw(
      `[${glyphs.map((id) => Math.round(font.getGlyph(id).advanceWidth * scale * 1e6) / 1e6).join(" ")}]`,
    ),
    toUnicode: deflateSync(toUnicodeCmap(glyphs.map((id) => codePoints.get(id) ?? []))),
    descriptor: {
      Type: "FontDescriptor",
      FontName: name,
      // Symbolic (bit 3): the glyphs are addressed by CID, not by a standard encoding; plus
      // fixed pitch (bit 1) and italic (bit 7) when the font is.
      Flags: 4 | (font.post.isFixedPitch ? 1 : 0) | (font.head.macStyle.italic ? 64 : 0),
      FontBBox: [bbox.minX, bbox.minY, bbox.maxX, bbox.maxY].map((v) => v * scale),
      ItalicAngle: font.italicAngle,
      Ascent: font.ascent * scale,
      Descent: font.descent * scale,
      CapHeight: (font.capHeight || font.ascent) * scale,
      XHeight: (font.xHeight || 0) * scale,
      StemV: 0,
    },
  };
}

/** The CMap that lets readers (and text extraction) map glyph ids back to Unicode. */
function toUnicodeCmap(codePointsByGlyph: number[][]): string {
  const hex = (value: number) => value.toString(16).padStart(4, "0");
  const utf16 = (codePoints: number[]) =>
    String.fromCodePoint(...codePoints)
      .split("")
      .map((unit) => hex(unit.charCodeAt(0)))
      .join("");
  const ranges: string[] = [];
  for (let start = 0; start < codePointsByGlyph.length; start += 256) {
    const chunk = codePointsByGlyph.slice(start, start + 256);
    ranges.push(
      `<${hex(start)}> <${hex(start + chunk.length - 1)}> [${chunk.map((cps) => `<${utf16(cps) || "0000"}>`).join(" ")}]`,
    );
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <ffff>",
    "endcodespacerange",
    `${ranges.length} beginbfrange`,
    ...ranges,
    "endbfrange",
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
  ].join("\n");
}

/**
 * PDF syntax written as is: pdfkit writes objects it does not recognise (neither a plain object,
 * an array nor a number) through their toString. Numbers rounded as pdfkit rounds them.
 */
class PdfRaw {
  readonly [Symbol.toStringTag] = "PdfRaw";
  constructor(private readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A Map emptied when full: caches of texts seen by a long-running process stay bounded. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly limit: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.size >= this.limit) this.clear();
    return super.set(key, value);
  }
}

export const FONT_FILES = {
  regular: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  bold: "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
} as const;

let fonts: Record<CobroFontName, SharedFont> | undefined;

/** The process's shared fonts (parsed on first use). */
export function cobroFonts() {
  fonts ??= { regular: new SharedFont(FONT_FILES.regular), bold: new SharedFont(FONT_FILES.bold) };
  return fonts;
}

export type CobroFontName = keyof typeof FONT_FILES;

/** Width in points of a text in one of Cobro's fonts, exactly as pdfkit's widthOfString measures it. */
export function textWidth(font: CobroFontName, text: string, size: number): number {
  return cobroFonts()[font].widthOf(text, size);
}

/** Registers Cobro's fonts as "regular" and "bold" in a new document. */
export function useCobroFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, shared] of Object.entries(cobroFonts())) {
    // @types/pdfkit lists bytes and paths only; pdfkit also takes a parsed fontkit font.
    doc.registerFont(name, shared.font as unknown as Buffer);
    doc.font(name);
    shared.shareWith((doc as unknown as { _font: PdfKitFont })._font);
  }
}
