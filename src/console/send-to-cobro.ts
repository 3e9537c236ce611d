// Sends Cobro exactly what Slack sends to /slack/events: slash commands as signed form bodies,
// interactions (block_actions, view_submission, view_closed, block_suggestion) as a signed `payload`
// form field, events (app_home_opened) as signed JSON; returns Cobro's answer (its ack body).
import { randomBytes } from "node:crypto";
import { BOT_USER_ID } from "./console-store.ts";
import { CONSOLE_TEAM_ID } from "./directory.ts";
import { sign } from "./sign-request.ts";

type Json = Record<string, unknown>;
export type CobroAnswer = { status: number; body: Json | null };

export const CONSOLE_APP_ID = "ACOBROCONSOLE";
const TEAM = { id: CONSOLE_TEAM_ID, domain: "cobro-console" };

export type Sender = ReturnType<typeof createSender>;

export function createSender(options: { eventsUrl: () => string; signingSecret: string }) {
  const post = async (body: string, contentType: string): Promise<CobroAnswer> => {
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await fetch(options.eventsUrl(), {
      method: "POST",
      headers: {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": sign(options.signingSecret, timestamp, body),
      },
      body,
    });
    const text = await response.text();
    let parsed: Json | null = null;
    if (text.trim().startsWith("{")) {
      try {
        parsed = JSON.parse(text) as Json;
      } catch {
        parsed = null;
      }
    } else if (text.trim()) {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  };
  const interaction = (payload: Json) =>
    post(
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      "application/x-www-form-urlencoded",
    );
  const user = (id: string, name: string) => ({ id, username: name, name, team_id: CONSOLE_TEAM_ID });
  const base = {
    api_app_id: CONSOLE_APP_ID,
    token: "console-verification-token",
    team: TEAM,
    enterprise: null,
    is_enterprise_install: false,
  };
  return {
    command: (input: {
      userId: string;
      userName: string;
      channelId: string;
      channelName: string;
      command: string;
      text: string;
      responseUrl: string;
      triggerId: string;
    }) =>
      post(
        new URLSearchParams({
          token: base.token,
          team_id: CONSOLE_TEAM_ID,
          team_domain: TEAM.domain,
          channel_id: input.channelId,
          channel_name: input.channelName,
          user_id: input.userId,
          user_name: input.userName,
          command: input.command,
          text: input.text,
          api_app_id: CONSOLE_APP_ID,
          is_enterprise_install: "false",
          response_url: input.responseUrl,
          trigger_id: input.triggerId,
        }).toString(),
        "application/x-www-form-urlencoded",
      ),
    blockActions: (input: {
      userId: string;
      userName: string;
      triggerId: string;
      action: Json;
      state: Json;
      /** A message's container, channel and message, or a view's. */
      message?: {
        channel: string;
        channelName: string;
        ts: string;
        text: string;
        blocks: Json[];
        ephemeral: boolean;
        threadTs?: string;
        responseUrl: string;
      };
      view?: Json;
    }) =>
      interaction({
        type: "block_actions",
        user: user(input.userId, input.userName),
        ...base,
        trigger_id: input.triggerId,
        ...(input.message
          ? {
              container: {
                type: "message",
                message_ts: input.message.ts,
                channel_id: input.message.channel,
                is_ephemeral: input.message.ephemeral,
                ...(input.message.threadTs ? { thread_ts: input.message.threadTs } : {}),
              },
              channel: { id: input.message.channel, name: input.message.channelName },
              message: {
                type: "message",
                user: BOT_USER_ID,
                bot_id: "BCOBRO",
                app_id: CONSOLE_APP_ID,
                ts: input.message.ts,
                text: input.message.text,
                blocks: input.message.blocks,
                team: CONSOLE_TEAM_ID,
                ...(input.message.threadTs ? { thread_ts: input.message.threadTs } : {}),
              },
              state: input.state,
              response_url: input.message.responseUrl,
            }
          : {
              container: { type: "view", view_id: input.view?.id },
              view: { ...input.view, state: input.state },
            }),
        actions: [{ ...input.action, action_ts: (Date.now() / 1000).toFixed(6) }],
      }),
    viewSubmission: (input: {
      userId: string;
      userName: string;
      triggerId: string;
      view: Json;
      state: Json;
    }) =>
      interaction({
        type: "view_submission",
        user: user(input.userId, input.userName),
        ...base,
        trigger_id: input.triggerId,
        view: { ...input.view, state: input.state },
        response_urls: [],
      }),
    viewClosed: (input: { userId: string; userName: string; view: Json }) =>
      interaction({
        type: "view_closed",
        user: user(input.userId, input.userName),
        ...base,
        view: input.view,
        is_cleared: false,
      }),
    blockSuggestion: (input: {
      userId: string;
      userName: string;
      blockId: string;
      actionId: string;
      value: string;
      container: Json;
      view?: Json;
      channel?: Json;
      message?: Json;
    }) =>
      interaction({
        type: "block_suggestion",
        user: user(input.userId, input.userName),
        ...base,
        container: input.container,
        ...(input.view ? { view: input.view } : {}),
        ...(input.channel ? { channel: input.channel } : {}),
        ...(input.message ? { message: input.message } : {}),
        action_id: input.actionId,
        block_id: input.blockId,
        value: input.value,
      }),
    appHomeOpened: (input: { userId: string; channelId: string; viewJson?: Json }) =>
      post(
        JSON.stringify({
          token: base.token,
          team_id: CONSOLE_TEAM_ID,
          api_app_id: CONSOLE_APP_ID,
          event: {
            type: "app_home_opened",
            user: input.userId,
            channel: input.channelId,
            tab: "home",
            event_ts: (Date.now() / 1000).toFixed(6),
            ...(input.viewJson ? { view: input.viewJson } : {}),
          },
          type: "event_callback",
          event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
          event_time: Math.floor(Date.now() / 1000),
          authorizations: [
            {
              enterprise_id: null,
              team_id: CONSOLE_TEAM_ID,
              user_id: BOT_USER_ID,
              is_bot: true,
              is_enterprise_install: false,
            },
          ],
          is_ext_shared_channel: false,
        }),
        "application/json",
      ),
  };
}
