// A file shared where Cobro reads (the collections channel, a DM with Cobro): a bank statement is
// imported and the sharer is answered in its thread (route in src/slack/registry.ts).
import { z } from "zod";
import type { EventArgs } from "../../slack/kit/handler.ts";
import { ctxOf, type ListenerDeps, readerLocale } from "../../slack/kit/support.ts";
import { importSharedBankFile } from "../import-shared-bank-file.ts";
import { buildBankFileReply } from "./bank-file-view.ts";
import { slackFilesPortOf } from "./slack-files-port.ts";

const FileShared = z.object({
  file_id: z.string().min(1),
  channel_id: z.string().min(1),
  user_id: z.string().min(1),
});

export async function bankFileShared(
  deps: ListenerDeps,
  { event, context, client }: EventArgs<"file_shared">,
) {
  const parsed = FileShared.safeParse(event);
  if (!parsed.success) return void deps.logger.warn({ event }, "file_shared event without its ids: ignored");
  const { file_id: fileId, channel_id: channelId } = parsed.data;
  const files = slackFilesPortOf(client);
  const outcome = await importSharedBankFile(ctxOf(deps, context), {
    fileId,
    channelId,
    botUserId: typeof context.botUserId === "string" ? context.botUserId : null,
    files,
  });
  if (outcome.kind === "ignored") return;
  const reply = buildBankFileReply(outcome.answer, await readerLocale(context));
  await files.reply({ channel: outcome.channel, threadTs: outcome.threadTs, ...reply });
}
