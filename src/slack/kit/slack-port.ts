// The SlackPort services receive (src/context.ts), over the request's Web API client.
import type { webApi } from "@slack/bolt";
import type { SlackPort } from "../../context.ts";
import { DomainError } from "../../domain/errors.ts";

const NOT_IN_CHANNEL = new Set(["not_in_channel", "channel_not_found"]);

function slackErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("data" in error)) return undefined;
  const data = error.data;
  if (typeof data !== "object" || data === null || !("error" in data)) return undefined;
  return typeof data.error === "string" ? data.error : undefined;
}

export function slackPortOf(client: webApi.WebClient): SlackPort {
  return {
    postMessage: async (message) => {
      try {
        await client.chat.postMessage(message);
      } catch (error) {
        if (!NOT_IN_CHANNEL.has(slackErrorCode(error) ?? "")) throw error;
        throw new DomainError("slack.not_in_channel", `cannot post in ${message.channel}`, {
          userMessage: "Cobro cannot post in this channel: invite it with `/invite @Cobro` and try again.",
        });
      }
    },
    updateMessage: async (message) => {
      await client.chat.update(message);
    },
    sendFileToUser: async (file) => {
      const dm = await client.conversations.open({ users: file.userId });
      const channelId = dm.channel?.id;
      if (!channelId) throw new Error("conversations.open returned no channel");
      await client.files.uploadV2({
        channel_id: channelId,
        filename: file.filename,
        title: file.title,
        ...(typeof file.content === "string"
          ? { content: file.content }
          : { file: Buffer.from(file.content) }),
        initial_comment: file.comment,
      });
    },
  };
}
