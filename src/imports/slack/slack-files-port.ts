// What importing a statement shared in Slack asks of Slack: the file's facts (files.info), its bytes
// (url_private_download with the bot token) and a reply in the thread of the share.
import type { webApi } from "@slack/bolt";
import { DomainError } from "../../domain/errors.ts";

export type SharedFile = {
  name: string;
  sizeBytes: number;
  downloadUrl: string | null;
  /** The message that shared the file in this channel: the reply goes in its thread. */
  threadTs: string | null;
};

export type SlackFilesPort = {
  fileInfo: (fileId: string, channelId: string) => Promise<SharedFile>;
  /** The file's bytes; refused past maxBytes without reading the rest. */
  download: (url: string, maxBytes: number) => Promise<Uint8Array>;
  reply: (message: { channel: string; threadTs: string | null; text: string }) => Promise<void>;
};

type Shares = Record<string, { ts?: string }[] | undefined>;

export const unreadable = (why: string) =>
  new DomainError("bank.file_unreadable", `Slack did not hand the file over: ${why}`, {
    userMessage: `Slack did not hand the file over to Cobro (${why}). Share it again in a minute; if it keeps failing, an admin checks that Cobro has the files:read permission (reinstall it from the app manifest).`,
    messageKey: "imports.bank_file.unreadable",
    messageValues: { why },
  });

function slackErrorCode(error: unknown): string {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === "string" ? data.error : "no answer";
}

async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DomainError("bank.file_too_big", `file larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

export function slackFilesPortOf(client: webApi.WebClient): SlackFilesPort {
  return {
    fileInfo: async (fileId, channelId) => {
      const answer = await client.files.info({ file: fileId }).catch((error: unknown) => {
        throw unreadable(slackErrorCode(error));
      });
      const file = answer.file;
      if (!file) throw unreadable("files.info returned no file");
      const shares = { ...(file.shares?.public as Shares), ...(file.shares?.private as Shares) };
      return {
        name: file.name ?? file.title ?? fileId,
        sizeBytes: file.size ?? 0,
        downloadUrl: file.url_private_download ?? file.url_private ?? null,
        threadTs: shares[channelId]?.[0]?.ts ?? null,
      };
    },
    download: async (url, maxBytes) => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${client.token ?? ""}` } });
      if (!response.ok) throw unreadable(`download answered ${response.status}`);
      // Without access Slack answers its sign-in page with a 200, not the file.
      if ((response.headers.get("content-type") ?? "").startsWith("text/html"))
        throw unreadable("download answered a sign-in page");
      return readAtMost(response, maxBytes);
    },
    reply: async ({ channel, threadTs, text }) => {
      await client.chat.postMessage({ channel, text, ...(threadTs ? { thread_ts: threadTs } : {}) });
    },
  };
}
