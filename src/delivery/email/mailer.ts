// What the rest of Cobro knows about sending e-mail: one message in, a provider id out.
export type MailAttachment = { filename: string; contentType: string; content: Buffer };

export type MailMessage = {
  from: { email: string; name?: string };
  replyTo?: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
  /** SendGrid categories (reporting) and custom args (echoed back by the Event Webhook). */
  categories: string[];
  customArgs: Record<string, string>;
};

export type MailResult = { provider: "sendgrid" | "outbox"; messageId: string | null; path?: string };

export type Mailer = { send: (message: MailMessage) => Promise<MailResult> };
