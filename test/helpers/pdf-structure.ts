// A small reader of a PDF's object structure, for tests that check what a PDF carries without trusting
// the library that wrote it: objects by number (through the xref table), dictionaries as text,
// streams inflated, and the parts a Factur-X is made of (XMP, output intent, attachments, fonts).
import { inflateSync } from "node:zlib";

type PdfObject = { dict: string; stream?: Buffer };

export type PdfStructure = {
  version: string;
  catalog: string;
  object(ref: number): PdfObject;
  /** The metadata stream of the catalog (XMP), as text. */
  xmp: string | undefined;
  outputIntents: { subtype: string; identifier: string; profileComponents: number }[];
  /** The document's embedded files (catalog /Names /EmbeddedFiles), with their relationship. */
  attachments: {
    name: string;
    relationship: string | undefined;
    subtype: string | undefined;
    associated: boolean;
    content: Buffer;
  }[];
  /** Every font object: its base font and whether a font program is embedded. */
  fonts: { baseFont: string; embedded: boolean }[];
};

export function readPdfStructure(bytes: Buffer): PdfStructure {
  const text = bytes.toString("latin1");
  const version = /^%PDF-(\d\.\d)/.exec(text)?.[1];
  if (!version) throw new Error("not a PDF: no %PDF- header");
  const xrefAt = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const xref = /^xref\s+0 (\d+)\s+([\s\S]*?)trailer\s*([\s\S]*?)startxref/.exec(text.slice(xrefAt));
  if (!xref) throw new Error("no xref table at startxref");
  const offsets = (xref[2] ?? "")
    .trim()
    .split(/\s*\n\s*/)
    .map((row) => Number(row.slice(0, 10)));
  const trailer = xref[3] ?? "";

  const cache = new Map<number, PdfObject>();
  const object = (ref: number): PdfObject => {
    const cached = cache.get(ref);
    if (cached) return cached;
    const at = offsets[ref];
    if (at === undefined || !text.startsWith(`${ref} 0 obj`, at)) {
      throw new Error(`xref entry ${ref} does not point at object ${ref}`);
    }
    const end = text.indexOf("endobj", at);
    const body = text.slice(at + `${ref} 0 obj`.length, end);
    const streamAt = body.indexOf("stream\n");
    let parsed: PdfObject = { dict: body };
    if (streamAt >= 0) {
      const dict = body.slice(0, streamAt);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const start = at + `${ref} 0 obj`.length + streamAt + "stream\n".length;
      const raw = bytes.subarray(start, start + length);
      parsed = { dict, stream: /\/Filter \/FlateDecode/.test(dict) ? inflateSync(raw) : raw };
    }
    cache.set(ref, parsed);
    return parsed;
  };
  const refOf = (dict: string, key: string): number | undefined => {
    const match = new RegExp(`/${key} (\\d+) 0 R`).exec(dict);
    return match ? Number(match[1]) : undefined;
  };
  const refsOf = (dict: string, key: string): number[] => {
    const array = new RegExp(`/${key} \\[([^\\]]*)\\]`).exec(dict)?.[1] ?? "";
    return [...array.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  };
  const nameOf = (dict: string, key: string) => new RegExp(`/${key} /([^\\s/<>\\[\\]]+)`).exec(dict)?.[1];

  const rootRef = refOf(trailer, "Root");
  if (rootRef === undefined) throw new Error("the trailer has no /Root");
  const catalog = object(rootRef).dict;
  const metadataRef = refOf(catalog, "Metadata");
  const associated = new Set(refsOf(catalog, "AF"));

  const namesRef = refOf(catalog, "Names");
  const embeddedFiles = namesRef
    ? (/\/EmbeddedFiles <<\s*\/Names \[([\s\S]*?)\]/.exec(object(namesRef).dict)?.[1] ?? "")
    : "";
  const attachments = [...embeddedFiles.matchAll(/\(([^)]*)\) (\d+) 0 R/g)].map((m) => {
    const specRef = Number(m[2]);
    const spec = object(specRef).dict;
    const fileRef = /\/EF <<\s*\/F (\d+) 0 R/.exec(spec)?.[1];
    const file = fileRef ? object(Number(fileRef)) : undefined;
    return {
      name: m[1] ?? "",
      relationship: nameOf(spec, "AFRelationship"),
      subtype: file
        ? nameOf(file.dict, "Subtype")?.replace(/#([0-9A-F]{2})/gi, (_, h) =>
            String.fromCharCode(parseInt(h, 16)),
          )
        : undefined,
      associated: associated.has(specRef),
      content: file?.stream ?? Buffer.alloc(0),
    };
  });

  const fonts: PdfStructure["fonts"] = [];
  for (let ref = 1; ref < offsets.length; ref++) {
    const { dict } = object(ref);
    // A CIDFont is read through the Type0 font it descends from.
    if (!/\/Type \/Font\b/.test(dict) || /\/Subtype \/CIDFontType/.test(dict)) continue;
    const baseFont = nameOf(dict, "BaseFont") ?? "?";
    // A composite font's program is in its descendant's descriptor.
    const holder = /\/Subtype \/Type0/.test(dict)
      ? object(refsOf(dict, "DescendantFonts")[0] ?? 0).dict
      : dict;
    const descriptorRef = refOf(holder, "FontDescriptor");
    const descriptor = descriptorRef ? object(descriptorRef).dict : "";
    fonts.push({ baseFont, embedded: /\/FontFile[23]? \d+ 0 R/.test(descriptor) });
  }

  return {
    version,
    catalog,
    object,
    xmp: metadataRef ? object(metadataRef).stream?.toString("utf8") : undefined,
    outputIntents: refsOf(catalog, "OutputIntents").map((ref) => {
      const { dict } = object(ref);
      const profile = refOf(dict, "DestOutputProfile");
      return {
        subtype: nameOf(dict, "S") ?? "",
        identifier: /\/OutputConditionIdentifier \(([^)]*)\)/.exec(dict)?.[1] ?? "",
        profileComponents: profile ? Number(/\/N (\d+)/.exec(object(profile).dict)?.[1]) : 0,
      };
    }),
    attachments,
    fonts,
  };
}
