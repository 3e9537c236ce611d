// An e-mail as an RFC 5322 message (multipart, base64 bodies and attachments), as the outbox writes it.
import { randomBytes } from "node:crypto";
import type { MailMessage } from "./mailer.ts";

/** RFC 2047 encoded-word for non-ASCII header values. */
function header(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, "utf8").toString("base64")}?=`;
}

const wrap76 = (base64: string) => base64.replace(/.{1,76}/g, "$&\r\n");

export function renderEml(message: MailMessage, messageId: string, date: Date): string {
  const mixed = `mixed_${randomBytes(12).toString("hex")}`;
  const alternative = `alt_${randomBytes(12).toString("hex")}`;
  const from = message.from.name
    ? `${header(message.from.name)} <${message.from.email}>`
    : message.from.email;
  const lines = [
    `From: ${from}`,
    `To: ${message.to.join(", ")}`,
    ...(message.replyTo ? [`Reply-To: ${message.replyTo}`] : []),
    `Subject: ${header(message.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${messageId}>`,
    "MIME-Version: 1.0",
    ...Object.entries(message.customArgs).map(([k, v]) => `X-Cobro-${k.replaceAll("_", "-")}: ${v}`),
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    "",
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alternative}"`,
    "",
    `--${alternative}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    wrap76(Buffer.from(message.text, "utf8").toString("base64")),
    `--${alternative}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    wrap76(Buffer.from(message.html, "utf8").toString("base64")),
    `--${alternative}--`,
    "",
  ];
  for (const attachment of message.attachments) {
    lines.push(
      `--${mixed}`,
      `Content-Type: ${attachment.contentType}; name="${attachment.filename}"`,
      `Content-Disposition: attachment; filename="${attachment.filename}"`,
      "Content-Transfer-Encoding: base64",
      "",
      wrap76(attachment.content.toString("base64")),
    );
  }
  lines.push(`--${mixed}--`, "");
  return lines.join("\r\n");
}
