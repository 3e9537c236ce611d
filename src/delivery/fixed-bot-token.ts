import type { SlackTokenSource } from "./slack-client.ts";

/** A token source for one bot token (single workspace and Socket Mode). */
export const fixedBotToken =
  (token: string): SlackTokenSource =>
  async () =>
    token;
