// A minimal XML writer for e-invoices: elements with text or children, escaped, empty ones dropped.

export type XmlNode = string | undefined | false | null;

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
};

// Control characters other than tab and newlines are not allowed in XML 1.0 at all.
const NOT_XML_CHARACTERS = /[^\t\n\r\u0020-\u{10FFFF}]/gu;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHARACTERS, "").replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `<name attr="…">text</name>`; undefined or empty text gives nothing, so optional fields vanish. */
export function leaf(
  name: string,
  text: string | number | undefined | null,
  attrs: Record<string, string> = {},
) {
  if (text === undefined || text === null || String(text).trim() === "") return undefined;
  return `<${name}${attributes(attrs)}>${escapeXml(String(text))}</${name}>`;
}

/** `<name>children</name>`; no children gives nothing. */
export function node(name: string, ...children: XmlNode[]): string | undefined {
  const inner = children.filter((c): c is string => typeof c === "string" && c !== "").join("");
  return inner ? `<${name}>${inner}</${name}>` : undefined;
}

export function rootElement(name: string, namespaces: Record<string, string>, ...children: XmlNode[]) {
  const inner = children.filter((c): c is string => typeof c === "string" && c !== "").join("\n  ");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${name}${attributes(namespaces)}>\n  ${inner}\n</${name}>\n`;
}

function attributes(attrs: Record<string, string>): string {
  return Object.entries(attrs)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join("");
}
