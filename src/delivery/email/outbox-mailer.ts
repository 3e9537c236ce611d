// Offline adapter: each message becomes an RFC 5322 .eml file under <data dir>/outbox/.
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Mailer } from "./mailer.ts";
import { renderEml } from "./render-eml.ts";

export function createOutboxMailer(config: { dataDir: string; now?: () => Date }): Mailer {
  const directory = join(config.dataDir, "outbox");
  return {
    async send(message) {
      await mkdir(directory, { recursive: true });
      const date = (config.now ?? (() => new Date()))();
      const key = message.customArgs.delivery_id ?? randomBytes(8).toString("hex");
      const messageId = `${key}@cobro.outbox`;
      // Named by delivery: a retried delivery overwrites its own file instead of adding a second one.
      const path = join(directory, `${date.toISOString().slice(0, 10)}-${key}.eml`);
      await writeFile(path, renderEml(message, messageId, date));
      return { provider: "outbox", messageId, path };
    },
  };
}
