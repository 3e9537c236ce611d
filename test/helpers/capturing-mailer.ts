// A mailer for tests that keeps what it was asked to send, in order.
import type { MailMessage } from "../../src/delivery/email/mailer.ts";

export function capturingMailer() {
  const sent: MailMessage[] = [];
  const mailer = {
    send: async (message: MailMessage) => {
      sent.push(message);
      return { provider: "outbox" as const, messageId: `m${sent.length}` };
    },
  };
  return { sent, mailer };
}
