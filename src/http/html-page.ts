// The small HTML pages clients open from an invoice (receipt, pay link): private, never indexed.
import type { ServerResponse } from "node:http";

export const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export function sendHtml(res: ServerResponse, status: number, language: string, title: string, body: string) {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-robots-tag": "noindex",
  });
  res.end(
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36rem;margin:3rem auto;line-height:1.5">${body}</body></html>`,
  );
}

export function notFound(res: ServerResponse, message: string) {
  sendHtml(res, 404, "en", "Not found", `<p>${escapeHtml(message)}</p>`);
}
