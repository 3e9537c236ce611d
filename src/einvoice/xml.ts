// The XML writer of the e-invoices (UBL, CII) and the VERI*FACTU bodies: elements are built as
// fast-xml-parser's ordered tree and written by its XMLBuilder, which escapes text and attributes;
// empty optional elements are dropped before they reach it, and namespaces are declared on the root.
import { XMLBuilder } from "fast-xml-parser";

/** One element in fast-xml-parser's ordered form: `{ name: children, ":@": { "@_attr": value } }`. */
export type XmlElement = Record<string, unknown>;
export type XmlNode = XmlElement | undefined | false | null;

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  suppressEmptyNode: true,
  processEntities: true,
  format: false,
});

// Control characters other than tab and newlines are not allowed in XML 1.0 at all: escaping
// cannot carry them, so they are dropped.
const NOT_XML_CHARACTERS = /[^\t\n\r\u0020-\u{10FFFF}]/gu;
const xmlText = (text: string) => text.replace(NOT_XML_CHARACTERS, "");

function attributes(attrs: Record<string, string>): Record<string, string> | undefined {
  const entries = Object.entries(attrs);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([key, value]) => [`@_${key}`, xmlText(value)]));
}

function element(name: string, children: unknown[], attrs: Record<string, string> = {}): XmlElement {
  const declared = attributes(attrs);
  return declared ? { [name]: children, ":@": declared } : { [name]: children };
}

const present = (children: XmlNode[]) => children.filter((c): c is XmlElement => Boolean(c));

/** `<name attr="…">text</name>`; undefined or empty text gives nothing, so optional fields vanish. */
export function leaf(
  name: string,
  text: string | number | undefined | null,
  attrs: Record<string, string> = {},
): XmlElement | undefined {
  if (text === undefined || text === null || String(text).trim() === "") return undefined;
  return element(name, [{ "#text": xmlText(String(text)) }], attrs);
}

/** `<name>children</name>`; no children gives nothing. */
export function node(name: string, ...children: XmlNode[]): XmlElement | undefined {
  const kept = present(children);
  return kept.length > 0 ? element(name, kept) : undefined;
}

/** `<name/>`, for an element a schema requires even when it says nothing. */
export function emptyElement(name: string): XmlElement {
  return element(name, []);
}

/** The document: XML declaration, then the root element with its namespace declarations. */
export function rootElement(name: string, namespaces: Record<string, string>, ...children: XmlNode[]) {
  const root = element(name, present(children), namespaces);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build([root])}\n`;
}

/** One element written alone (no declaration), to go inside a document written elsewhere. */
export function serialise(element: XmlNode): string {
  return element ? builder.build([element]) : "";
}
