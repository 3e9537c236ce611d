// A worker killed (SIGKILL) after SendGrid or Slack accepted a send and before it recorded the
// outcome: after the restart the send is found at the provider and not repeated, or, where the
// provider cannot tell, billing is asked in Slack and its answer (once) decides. And `serve`'s
// worker killed in the middle of a batch: another worker finishes it, each delivery sent once.
//
// The worker is a child process on an embedded database in a directory of its own: PGlite is
// single-process, so this file opens that directory itself only while no worker runs.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openEmbedded } from "../../src/db/client.ts";
import { runMigrations } from "../../src/db/migrate.ts";
import { deliveries, deliverySends, invoices, slackMessages } from "../../src/db/schema/index.ts";
import {
  claimDeliveries,
  claimDelivery,
  type DeliveryOutcome,
  enqueueDeliveries,
  findStalledDeliveries,
  runDelivery,
  startDeliveryWorker,
} from "../../src/delivery/index.ts";
import { startQueue } from "../../src/delivery/queue.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { INVOICE_MESSAGE_PAYLOAD } from "../../src/invoicing/repo.ts";
import { sendInvoice } from "../../src/invoicing/send-invoice.ts";
import { ACTIONS } from "../../src/slack/kit/ids.ts";
import { batchTestHandlers, crashTestHandlers } from "../helpers/crash-worker.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createMember, createWorkspace } from "../helpers/factories.ts";
import { startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const WORKER = fileURLToPath(new URL("../helpers/crash-worker.ts", import.meta.url));
const api = slackApi();

type SlackPost = { channel: string; thread_ts?: string; text: string; ts: string; metadata?: unknown };

/**
 * SendGrid and Slack as one loopback server: records every send, can hold its answer forever, or
 * can cut the next `state.cutOff` e-mails off before SendGrid takes them (never read, never
 * recorded: the Activity API has nothing to find), as a crash between writing a send down and the
 * request reaching SendGrid leaves it.
 */
function startStandIn() {
  const mails: { custom_args?: Record<string, string>; subject?: string }[] = [];
  const posts: SlackPost[] = [];
  const held: ServerResponse[] = [];
  let cutOff = 0;
  const state = {
    hold: false,
    cutOff: 0,
    activity: "available" as "available" | "forbidden",
    history: "readable",
  };
  let nextTs = 1_800_000_000;
  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  const read = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text;
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (state.cutOff > 0 && req.method === "POST" && url.pathname === "/v3/mail/send") {
      state.cutOff--;
      cutOff++;
      return void held.push(res);
    }
    const body = await read(req);
    if (req.method === "POST" && url.pathname === "/v3/mail/send") {
      mails.push(JSON.parse(body));
      if (state.hold) return void held.push(res);
      return void res.writeHead(202, { "x-message-id": `sg-${mails.length}` }).end();
    }
    if (req.method === "GET" && url.pathname === "/v3/messages") {
      if (state.activity === "forbidden")
        return json(res, 403, { errors: [{ message: "access forbidden" }] });
      const wanted = /unique_args\['delivery_id'\]="([^"]+)"/.exec(url.searchParams.get("query") ?? "")?.[1];
      const found = mails.flatMap((mail, i) =>
        mail.custom_args?.delivery_id === wanted ? [{ msg_id: `sg-msg-${i}`, status: "delivered" }] : [],
      );
      return json(res, 200, { messages: found });
    }
    const form = new URLSearchParams(body);
    if (url.pathname === "/api/chat.postMessage") {
      const post: SlackPost = {
        channel: form.get("channel") ?? "",
        text: form.get("text") ?? "",
        ts: `${nextTs++}.000100`,
        ...(form.get("thread_ts") ? { thread_ts: form.get("thread_ts") ?? "" } : {}),
        ...(form.get("metadata") ? { metadata: JSON.parse(form.get("metadata") ?? "{}") } : {}),
      };
      posts.push(post);
      if (state.hold) return void held.push(res);
      return json(res, 200, { ok: true, channel: post.channel, ts: post.ts });
    }
    if (url.pathname === "/api/conversations.history") {
      if (state.history !== "readable") return json(res, 200, { ok: false, error: "missing_scope" });
      const messages = posts
        .filter((p) => p.channel === form.get("channel") && !p.thread_ts)
        .map((p) => ({ type: "message", ts: p.ts, text: p.text, metadata: p.metadata }))
        .reverse();
      return json(res, 200, { ok: true, messages, has_more: false });
    }
    if (url.pathname === "/api/chat.update") return json(res, 200, { ok: true });
    return json(res, 404, { ok: false, error: "unknown_method" });
  });
  server.listen(0, "127.0.0.1");
  return {
    mails,
    posts,
    state,
    /** Sends the stand-in received and has not answered (the worker is waiting for them). */
    inFlight: () => held.length,
    /** E-mails cut off before SendGrid took them. */
    cutOff: () => cutOff,
    url: async () => {
      if (!server.listening) await once(server, "listening");
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => {
      for (const res of held) res.destroy();
      server.close();
    },
  };
}

const standIn = startStandIn();
const dataDir = mkdtempSync(join(tmpdir(), "cobro-crash-"));
let database: Database;

beforeAll(async () => {
  database = await openEmbedded(dataDir);
  await runMigrations(database);
});
afterAll(async () => {
  await database?.close();
  standIn.close();
});

async function waitUntil(condition: () => boolean, what: string) {
  const until = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Five minutes on, as the next worker sees the deliveries of a worker killed now: its leases (300 s,
 * taken before the kill) have run out, and so has SendGrid's activity lag (5 minutes) for each call
 * it wrote down, which it did after taking the lease. Time is not what these tests are about.
 */
async function fiveMinutesOn(db: Database["db"], ids: string[]): Promise<void> {
  await db
    .update(deliveries)
    .set({ lockedUntil: sql`now() - interval '1 second'`, nextRunAt: sql`now() - interval '3 minutes'` })
    .where(inArray(deliveries.id, ids));
  await db
    .update(deliverySends)
    .set({ startedAt: sql`${deliverySends.startedAt} - interval '5 minutes'` })
    .where(inArray(deliverySends.deliveryId, ids));
}

/**
 * Hands the database to a worker process, lets it work `deliveryId` until the provider has
 * accepted the send (and holds its answer), or until it was cut off (`cutOff`), kills it with
 * SIGKILL, and opens the database again five minutes on.
 */
async function crashWhileSending(
  deliveryId: string,
  accepted: () => boolean,
  how: "held" | "cutOff" = "held",
): Promise<void> {
  await database.close();
  if (how === "cutOff") standIn.state.cutOff = 1;
  else standIn.state.hold = true;
  const worker: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", WORKER, dataDir, await standIn.url(), deliveryId],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  worker.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = once(worker, "exit");
  await Promise.race([
    waitUntil(accepted, "the provider to accept the send"),
    exited.then(() => {
      throw new Error(`the worker exited before sending: ${stderr}`);
    }),
  ]);
  worker.kill("SIGKILL");
  await exited;
  standIn.state.hold = false;
  standIn.state.cutOff = 0;
  database = await openEmbedded(dataDir);
  await fiveMinutesOn(database.db, [deliveryId]);
}

async function issuedInvoiceEmail(clientEmail: string) {
  const deps = serviceDeps(database.db);
  const workspace = await createWorkspace(database.db);
  const client = await createClient(database.db, workspace.id, { language: "en", emails: [clientEmail] });
  const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
    clientId: client.id,
    lines: [{ description: "Design sprint", quantityMilli: 1000, unitPriceMinor: 480_000 }],
  });
  const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
  const { deliveryId } = await sendInvoice(testCtx(deps, workspace.id), {
    invoiceId: invoice.id,
    sendRequestId: "click-1",
  });
  return { workspace, invoice, deliveryId: deliveryId! };
}

async function run(id: string): Promise<DeliveryOutcome> {
  const handlers = crashTestHandlers(database.db, await standIn.url());
  return runDelivery(database.db, handlers, id, silentLogger);
}

const deliveryRow = async (id: string) =>
  (await database.db.select().from(deliveries).where(eq(deliveries.id, id)))[0]!;

describe("a crash while sending does not send twice", () => {
  it("e-mail: SendGrid accepted it, the worker died; after restart the Activity API finds it and nothing is sent again", async () => {
    const { invoice, deliveryId } = await issuedInvoiceEmail("ap@found.example");
    const before = standIn.mails.length;
    await crashWhileSending(deliveryId, () => standIn.mails.length > before);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "pending", sentAt: null });

    expect(await run(deliveryId)).toEqual({ status: "sent" });

    const mails = standIn.mails.filter((m) => m.custom_args?.delivery_id === deliveryId);
    expect(mails).toHaveLength(1);
    const row = await deliveryRow(deliveryId);
    expect(row.status).toBe("sent");
    expect(row.result).toMatchObject({ provider: "sendgrid", messageId: `sg-msg-${before}` });
    const [sent] = await database.db.select().from(invoices).where(eq(invoices.id, invoice.id));
    expect(sent?.sentAt).toBeInstanceOf(Date);
    expect(await run(deliveryId)).toEqual({ status: "alreadyDone" });
    expect(standIn.mails.filter((m) => m.custom_args?.delivery_id === deliveryId)).toHaveLength(1);
  }, 120_000);

  it("e-mail cut off before SendGrid took it, the worker died; after restart the Activity API has nothing and it goes, once", async () => {
    const { deliveryId } = await issuedInvoiceEmail("ap@cut-off.example");
    const before = standIn.cutOff();
    await crashWhileSending(deliveryId, () => standIn.cutOff() > before, "cutOff");
    const [written] = await database.db
      .select()
      .from(deliverySends)
      .where(eq(deliverySends.deliveryId, deliveryId));
    expect(written).toMatchObject({ result: null });
    expect(standIn.mails.filter((m) => m.custom_args?.delivery_id === deliveryId)).toHaveLength(0);

    expect(await run(deliveryId)).toEqual({ status: "sent" });

    expect(standIn.mails.filter((m) => m.custom_args?.delivery_id === deliveryId)).toHaveLength(1);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "sent" });
    expect(await run(deliveryId)).toEqual({ status: "alreadyDone" });
  }, 120_000);

  it("e-mail without the Activity API: unknown, billing asked in the invoice thread; Send again sends once, double clicks nothing more", async () => {
    const { workspace, invoice, deliveryId } = await issuedInvoiceEmail("ap@unknown.example");
    await database.db.insert(slackMessages).values({
      workspaceId: workspace.id,
      subjectType: "invoice",
      subjectId: invoice.id,
      channelId: "CBILLING",
      ts: "1700000000.000900",
    });
    const billing = await createMember(database.db, workspace.id, { roles: ["billing"] });
    const pm = await createMember(database.db, workspace.id, { roles: ["pm"] });
    const before = standIn.mails.length;
    await crashWhileSending(deliveryId, () => standIn.mails.length > before);
    standIn.state.activity = "forbidden";
    try {
      const outcome = await run(deliveryId);
      expect(outcome).toMatchObject({ status: "unknown" });
      const questionId = (outcome as { questionId: string }).questionId;
      expect(await deliveryRow(deliveryId)).toMatchObject({ status: "unknown" });
      expect((await deliveryRow(deliveryId)).lastError).toMatch(/Email Activity API/);

      const postsBefore = standIn.posts.length;
      expect(await run(questionId)).toEqual({ status: "sent" });
      const question = standIn.posts.slice(postsBefore);
      expect(question).toHaveLength(1);
      expect(question[0]).toMatchObject({ channel: "CBILLING", thread_ts: "1700000000.000900" });
      expect(question[0]?.text).toContain("ap@unknown.example");
      expect(question[0]?.text).toContain(invoice.number!);
      // Asking about the unknown send was not itself retried into a loop: it is still unknown.
      expect(standIn.mails.length).toBe(before + 1);

      const slack = await startSlackTestApp({ db: database.db });
      try {
        const click = (userId: string) =>
          slack.action({
            teamId: workspace.slackTeamId!,
            userId,
            actionId: ACTIONS.deliverySendAgain,
            value: deliveryId,
          });
        api.reset();
        expect((await click(pm.slackUserId!)).status).toBe(200);
        await api.waitFor("hook", 1);
        expect(api.hooks()[0]?.body.text).toMatch(/billing role/);
        expect(await deliveryRow(deliveryId)).toMatchObject({ status: "unknown" });

        expect((await click(billing.slackUserId!)).status).toBe(200);
        expect((await click(billing.slackUserId!)).status).toBe(200);
        await api.waitFor("hook", 3);
        const replies = api.hooks().slice(1);
        expect(replies.map((h) => h.body.text).sort()).toEqual(
          [
            `:arrows_counterclockwise: <@${billing.slackUserId}> asked to send it again: it goes now.`,
            "Someone already answered this question.",
          ].sort(),
        );
        expect(slack.enqueued).toEqual([deliveryId]);
      } finally {
        await slack.close();
      }
      expect(await run(deliveryId)).toEqual({ status: "sent" });
      expect(await run(deliveryId)).toEqual({ status: "alreadyDone" });
      expect(standIn.mails.filter((m) => m.custom_args?.delivery_id === deliveryId)).toHaveLength(2);
    } finally {
      standIn.state.activity = "available";
    }
  }, 120_000);

  async function invoiceMessage() {
    const { workspace, invoice } = await issuedInvoiceEmail("ap@slack.example");
    const deliveryId = await claimDelivery(database.db, {
      workspaceId: workspace.id,
      kind: "slack_message",
      dedupeKey: `invoice-message:${invoice.id}:CPROJECT`,
      invoiceId: invoice.id,
      payload: {
        type: INVOICE_MESSAGE_PAYLOAD,
        invoiceId: invoice.id,
        channelId: "CPROJECT",
        refreshOnly: false,
      },
    });
    return { workspace, invoice, deliveryId: deliveryId! };
  }
  const postsOf = (deliveryId: string) =>
    standIn.posts.filter(
      (p) =>
        (p.metadata as { event_payload?: { delivery_id?: string } })?.event_payload?.delivery_id ===
        deliveryId,
    );

  it("Slack post: Slack accepted it, the worker died; after restart the channel's history finds it by its metadata", async () => {
    const { invoice, deliveryId } = await invoiceMessage();
    const before = standIn.posts.length;
    await crashWhileSending(deliveryId, () => standIn.posts.length > before);

    expect(await run(deliveryId)).toEqual({ status: "sent" });

    const posts = postsOf(deliveryId);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.metadata).toMatchObject({ event_type: "cobro_delivery" });
    // Recorded with the found ts: later changes update that message instead of posting another.
    const [recorded] = await database.db
      .select()
      .from(slackMessages)
      .where(and(eq(slackMessages.subjectId, invoice.id), eq(slackMessages.channelId, "CPROJECT")));
    expect(recorded?.ts).toBe(posts[0]?.ts);
  }, 120_000);

  it("Slack post without history access: unknown, and It arrived records it as sent without posting again", async () => {
    const { workspace, deliveryId } = await invoiceMessage();
    const billing = await createMember(database.db, workspace.id, { roles: ["billing"] });
    const before = standIn.posts.length;
    await crashWhileSending(deliveryId, () => standIn.posts.length > before);
    standIn.state.history = "missing_scope";
    try {
      const outcome = await run(deliveryId);
      expect(outcome).toMatchObject({ status: "unknown" });
      expect((await deliveryRow(deliveryId)).lastError).toMatch(/missing_scope/);
      expect(await run((outcome as { questionId: string }).questionId)).toEqual({ status: "sent" });

      const slack = await startSlackTestApp({ db: database.db });
      try {
        api.reset();
        const click = () =>
          slack.action({
            teamId: workspace.slackTeamId!,
            userId: billing.slackUserId!,
            actionId: ACTIONS.deliveryArrived,
            value: deliveryId,
          });
        await Promise.all([click(), click()]);
        await api.waitFor("hook", 2);
        expect(
          api
            .hooks()
            .map((h) => h.body.text)
            .sort(),
        ).toEqual(
          [
            `:white_check_mark: <@${billing.slackUserId}> confirmed it arrived: Cobro records it as sent.`,
            "Someone already answered this question.",
          ].sort(),
        );
      } finally {
        await slack.close();
      }
      expect(await run(deliveryId)).toEqual({ status: "sent" });
      const row = await deliveryRow(deliveryId);
      expect(row.status).toBe("sent");
      expect(row.result).toMatchObject({ confirmedBy: billing.slackUserId });
      expect(postsOf(deliveryId)).toHaveLength(1);
    } finally {
      standIn.state.history = "readable";
    }
  }, 120_000);
});

describe("a worker killed in the middle of a batch", () => {
  it("loses nothing and repeats nothing: after its leases run out another worker finishes, each delivery sent once", async () => {
    const workspace = await createWorkspace(database.db);
    const ids = await claimDeliveries(database.db, [
      ...Array.from({ length: 16 }, (_, n) => ({
        workspaceId: workspace.id,
        kind: "slack_message" as const,
        dedupeKey: `batch-post:${randomUUID()}`,
        payload: { type: "batch_post", channel: `CBATCH${n % 4}`, text: `post ${n}` },
      })),
      ...Array.from({ length: 8 }, () => ({
        workspaceId: workspace.id,
        kind: "email" as const,
        dedupeKey: `batch-mail:${randomUUID()}`,
        payload: { type: "batch_mail" },
      })),
    ]);
    const queue = await startQueue(database, silentLogger);
    await enqueueDeliveries(database.db, queue, ids);
    await queue.stop();
    const sends = (id: string) =>
      standIn.posts.filter(
        (p) =>
          (p.metadata as { event_payload?: { delivery_id?: string } })?.event_payload?.delivery_id === id,
      ).length + standIn.mails.filter((m) => m.custom_args?.delivery_id === id).length;
    const received = () => ids.filter((id) => sends(id) > 0).length;

    await database.close();
    const url = await standIn.url();
    // (Earlier tests of this file left sends of their own held and cut off.)
    const heldBefore = standIn.inFlight();
    const cutBefore = standIn.cutOff();
    // The first two e-mails are cut off before SendGrid takes them: written down, never received.
    standIn.state.cutOff = 2;
    const worker = spawn(process.execPath, ["--import", "tsx", WORKER, "--batch", dataDir, url], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    worker.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const exited = once(worker, "exit");
    const died = exited.then(() => {
      throw new Error(`the worker exited by itself: ${stderr}`);
    });
    // Some sends answered, then the provider keeps its answers: several are in flight at the kill.
    await Promise.race([waitUntil(() => received() >= 6, "the first sends"), died]);
    standIn.state.hold = true;
    await Promise.race([
      waitUntil(
        () => standIn.cutOff() - cutBefore === 2 && standIn.inFlight() - heldBefore >= 4,
        "sends in flight and cut off",
      ),
      died,
    ]);
    worker.kill("SIGKILL");
    await exited;
    standIn.state.hold = false;
    database = await openEmbedded(dataDir);
    const { db } = database;
    const open = await db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(inArray(deliveries.id, ids), eq(deliveries.status, "pending")));
    const unanswered = await db
      .select({ id: deliverySends.deliveryId })
      .from(deliverySends)
      .where(and(inArray(deliverySends.deliveryId, ids), sql`${deliverySends.result} is null`));
    // The kill left work of every kind: sent, sent but unrecorded (in flight), written down but cut
    // off before SendGrid took it (the Activity API finds nothing), not yet started.
    expect(open.length).toBeGreaterThan(4);
    expect(unanswered.length).toBeGreaterThanOrEqual(4);
    expect(unanswered.filter(({ id }) => sends(id) === 0).length).toBeGreaterThanOrEqual(2);
    expect(received()).toBeLessThan(ids.length);

    // Five minutes on, as `serve` would see it: the sweep finds the killed worker's deliveries; their
    // old jobs are still in the queue too.
    await fiveMinutesOn(
      db,
      open.map((row) => row.id),
    );
    // (Earlier tests of this file left deliveries of their own in this database.)
    const stalled = (
      await findStalledDeliveries(db, { unqueuedSeconds: 2, stalledSeconds: 120 }, 10_000)
    ).filter((id) => ids.includes(id));
    expect(stalled.sort()).toEqual(open.map((row) => row.id).sort());
    const survivor = await startQueue(database, silentLogger, { pollingIntervalSeconds: 1 });
    try {
      await startDeliveryWorker(survivor, db, batchTestHandlers(db, url), silentLogger, { concurrency: 4 });
      await enqueueDeliveries(db, survivor, stalled);
      const until = Date.now() + 60_000;
      for (;;) {
        const [row] = await db
          .select({ pending: sql<number>`count(*)::int` })
          .from(deliveries)
          .where(and(inArray(deliveries.id, ids), eq(deliveries.status, "pending")));
        if (row?.pending === 0) break;
        if (Date.now() > until) throw new Error(`${row?.pending} deliveries still pending`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      await survivor.stop();
    }
    expect(ids.map(sends)).toEqual(ids.map(() => 1));
    const statuses = await db
      .select({ status: deliveries.status })
      .from(deliveries)
      .where(inArray(deliveries.id, ids));
    expect(statuses.map((row) => row.status)).toEqual(ids.map(() => "sent"));
  }, 120_000);
});
