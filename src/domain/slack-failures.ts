// The Slack errors retrying cannot fix, with what to do about each, as Cobro stores them (`Slack: …`).

export const SLACK_PERMANENT_FAILURES: Record<string, string> = {
  channel_not_found:
    "the channel does not exist or Cobro cannot see it: invite @cobro or pick another channel in /cobro setup",
  not_in_channel: "Cobro is not in that private channel: invite @cobro to it",
  is_archived: "the channel is archived: pick another one in /cobro setup",
  invalid_auth: "Cobro's Slack token is not valid any more: reinstall the app",
  account_inactive: "Cobro was uninstalled from this workspace",
  token_revoked: "Cobro's Slack token was revoked: reinstall the app",
  msg_too_long: "the message is too long for Slack",
  invalid_blocks: "Slack refused the message layout",
  message_not_found: "the message to update was deleted",
  cant_update_message: "the message can no longer be updated",
};

/** The Slack error behind a stored failure reason Cobro wrote for it (`Slack: …`), for saying it in another language. */
export function slackFailureCode(reason: string): string | null {
  const found = Object.entries(SLACK_PERMANENT_FAILURES).find(([, why]) => reason === `Slack: ${why}.`);
  return found ? found[0] : null;
}
