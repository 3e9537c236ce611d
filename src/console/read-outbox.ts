// The local outbox (<data dir>/outbox/*.eml, written by the outbox mailer) as the console lists it:
// who each e-mail went to, its subject and its attachments, which open from the page.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

export type OutboxAttachment = { filename: string; contentType: string; content: Buffer };
export type OutboxMail = {
  file: string;
  to: string;
  subject: string;
  date: string;
  text: string;
  attachments: OutboxAttachment[];
};

function decodeHeader(value: string): string {
  return value.replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b64: string) =>
    Buffer.from(b64, "base64").toString("utf8"),
  );
}

function headersOf(block: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Leaf parts of a MIME message: their headers and (base64-decoded) bodies. */
function leafParts(raw: string): { headers: Record<string, string>; body: Buffer }[] {
  const split = raw.indexOf("\r\n\r\n");
  const headers = headersOf(raw.slice(0, split));
  const body = raw.slice(split + 4);
  const boundary = /boundary="?([^";]+)"?/.exec(headers["content-type"] ?? "")?.[1];
  if (!boundary) {
    const encoded = headers["content-transfer-encoding"]?.toLowerCase() === "base64";
    return [{ headers, body: encoded ? Buffer.from(body.replace(/\s+/g, ""), "base64") : Buffer.from(body) }];
  }
  return body
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith("--"))
    .flatMap((part) => leafParts(part.replace(/^\r\n/, "")));
}

export function parseOutboxMail(file: string, raw: string): OutboxMail {
  const headers = headersOf(raw.slice(0, raw.indexOf("\r\n\r\n")));
  const parts = leafParts(raw);
  const attachments = parts
    .filter((p) => (p.headers["content-disposition"] ?? "").startsWith("attachment"))
    .map((p) => ({
      filename: decodeHeader(
        /filename="([^"]+)"/.exec(p.headers["content-disposition"] ?? "")?.[1] ?? "attachment",
      ),
      contentType:
        (p.headers["content-type"] ?? "application/octet-stream").split(";")[0] ?? "application/octet-stream",
      content: p.body,
    }));
  const text =
    parts.find((p) => (p.headers["content-type"] ?? "").startsWith("text/plain"))?.body.toString("utf8") ??
    "";
  return {
    file,
    to: headers.to ?? "",
    subject: decodeHeader(headers.subject ?? ""),
    date: headers.date ?? "",
    text,
    attachments,
  };
}

/** Newest first; an outbox not written yet is empty. */
export async function readOutbox(dataDir: string): Promise<OutboxMail[]> {
  const directory = join(dataDir, "outbox");
  const files = await readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [] as string[];
    throw error;
  });
  const mails = await Promise.all(
    files
      .filter((f) => f.endsWith(".eml"))
      .map(async (file) => parseOutboxMail(file, await readFile(join(directory, file), "utf8"))),
  );
  return mails.sort((a, b) => Date.parse(b.date) - Date.parse(a.date) || b.file.localeCompare(a.file));
}
