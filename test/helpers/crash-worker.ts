// The delivery worker of the crash tests: the real handlers, SendGrid mailer and Slack sender
// against a loopback stand-in. Run as a child process (`node --import tsx crash-worker.ts`) it
// works one delivery of an embedded database and is killed mid-send by the test; with `--batch`
// it runs `serve`'s delivery worker (queue, places, pacing) until it is killed mid-batch.
import { fileURLToPath } from "node:url";
import type { Db } from "../../src/db/client.ts";
import { openEmbedded } from "../../src/db/client.ts";
import { createSendgridMailer } from "../../src/delivery/email/sendgrid-mailer.ts";
import {
  byPayloadType,
  createSlackSender,
  type DeliveryHandlers,
  fixedBotToken,
  runDelivery,
  startDeliveryWorker,
} from "../../src/delivery/index.ts";
import { startQueue } from "../../src/delivery/queue.ts";
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

/** One-line Slack posts (`batch_post`: channel, text) and e-mails (`batch_mail`) of the batch test. */
export function batchTestHandlers(db: Db, standInUrl: string): DeliveryHandlers {
  const sender = createSlackSender({
    db,
    now: () => new Date(),
    botToken: fixedBotToken("xoxb-crash-test"),
    apiUrl: `${standInUrl}/api/`,
    channelIntervalMs: 200,
  });
  const mailer = createSendgridMailer({ apiKey: "SG.crash-test", apiUrl: standInUrl });
  return {
    slack_message: byPayloadType({
      batch_post: async (delivery) => {
        const { channel, text } = delivery.payload as { channel: string; text: string };
        return sender.postMessage(delivery.workspaceId, { channel, text });
      },
    }),
    email: byPayloadType({
      batch_mail: async (delivery) =>
        mailer.send({
          from: { email: "billing@cobro.example" },
          to: ["ap@client.example"],
          subject: "Invoice",
          text: "Attached.",
          html: "<p>Attached.</p>",
          attachments: [],
          categories: ["crash-test"],
          customArgs: { delivery_id: delivery.id },
        }),
    }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--batch") {
  const [dataDir, standInUrl] = process.argv.slice(3);
  if (!dataDir || !standInUrl) throw new Error("usage: crash-worker --batch <dataDir> <url>");
  const database = await openEmbedded(dataDir);
  const queue = await startQueue(database, silentLogger, { pollingIntervalSeconds: 1 });
  await startDeliveryWorker(queue, database.db, batchTestHandlers(database.db, standInUrl), silentLogger, {
    concurrency: 4,
  });
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dataDir, standInUrl, deliveryId] = process.argv.slice(2);
  if (!dataDir || !standInUrl || !deliveryId) throw new Error("usage: crash-worker <dataDir> <url> <id>");
  const database = await openEmbedded(dataDir);
  await runDelivery(database.db, crashTestHandlers(database.db, standInUrl), deliveryId, silentLogger);
  await database.close();
}
