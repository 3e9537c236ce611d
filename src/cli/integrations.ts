import type { Config } from "../config.ts";

/** One line per integration: configured or not, and where the docs explain it. */
export function describeIntegrations(config: Config): string[] {
  const slack = {
    off: 'slack: not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or OAuth / Socket Mode), see README "Connect to Slack"',
    single: "slack: single workspace over HTTP (SLACK_BOT_TOKEN + SLACK_SIGNING_SECRET)",
    oauth: "slack: OAuth distribution to many workspaces (SLACK_CLIENT_ID/SECRET/STATE_SECRET)",
    socket: "slack: Socket Mode for local development (SLACK_APP_TOKEN)",
  }[config.slack.mode];
  const mail = config.sendgrid.apiKey
    ? `email: SendGrid (${config.sendgrid.apiUrl})`
    : `email: local outbox (${config.dataDir}/outbox/*.eml): set SENDGRID_API_KEY to send for real, see docs/invoices.md "E-mail"`;
  return [slack, mail, `public url: ${config.publicUrl}`];
}
