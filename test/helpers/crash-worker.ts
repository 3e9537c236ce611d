// The delivery worker of the crash tests: the real handlers, SendGrid mailer and Slack sender
// against a loopback stand-in. Run as a child process (`node --import tsx crash-worker.ts`) it
// works one delivery of an embedded database and is killed mid-send by the test.
import { fileURLToPath } from "node:url";
import type { Db } from "../../src/db/client.ts";
import { openEmbedded } from "../../src/db/client.ts";
import { type DeliveryHandlers, runDelivery } from "../../src/delivery/deliver.ts";
import { createSendgridMailer } from "../../src/delivery/email/sendgrid-mailer.ts";
import { createSlackSender, fixedBotToken } from "../../src/delivery/slack-client.ts";
import { buildDeliveryHandlers } from "../../src/job-catalogue.ts";
import { silentLogger } from "./deps.ts";

export function crashTestHandlers(
  db: Db,
  standInUrl: string,
  enqueue: (ids: string[]) => Promise<void> = async () => {},
): DeliveryHandlers {
  const now = () => new Date();
  const sender = createSlackSender({
    db,
    now,
    botToken: fixedBotToken("xoxb-crash-test"),
    apiUrl: `${standInUrl}/api/`,
    channelIntervalMs: 0,
  });
  return buildDeliveryHandlers({
    deps: { db, now, logger: silentLogger, enqueue },
    slack: sender,
    mailer: createSendgridMailer({ apiKey: "SG.crash-test", apiUrl: standInUrl }),
    publicUrl: "https://cobro.example",
    mailFrom: "billing@cobro.example",
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dataDir, standInUrl, deliveryId] = process.argv.slice(2);
  if (!dataDir || !standInUrl || !deliveryId) throw new Error("usage: crash-worker <dataDir> <url> <id>");
  const database = await openEmbedded(dataDir);
  await runDelivery(database.db, crashTestHandlers(database.db, standInUrl), deliveryId, silentLogger);
  await database.close();
}
