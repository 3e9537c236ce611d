// A bank statement shared with Cobro in Slack: Slack's file_shared event over signed HTTP, files.info
// and the download served by a stand-in that wants the bot token, the same import as the CLI, and
// the answer in the thread of the share, in the sharer's language.
import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { bankFiles, bankLines, invoices, payments } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import { createClient, createIssuedInvoice, createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();

const CAMT = readFileSync(new URL("../fixtures/bank/camt053-v08-batched.xml", import.meta.url));
const FILES_HOST = "https://files.slack.test";
const BOT_TOKEN = "xoxb-test-token";

const record = (...fields: string[]) => fields.join("").padEnd(80, " ");
const amount14 = (cents: number) => String(cents).padStart(14, "0");

/** A Norma 43 file as a Spanish bank exports it (ISO-8859-1, CRLF): one credit naming F-2026-0044. */
function norma43(): Buffer {
  const account = "2100" + "0418" + "0200051332";
  const lines = [
    record(
      "11",
      account,
      "261120",
      "261120",
      "2",
      amount14(1_000_000),
      "978",
      "3",
      "COBRO DEMO SL".padEnd(26),
    ),
    record(
      "22",
      "    ",
      "0418",
      "261120",
      "261120",
      "04",
      "000",
      "2",
      amount14(80_000),
      "0".repeat(10),
      "0".repeat(12),
      "F-2026-0044".padEnd(16),
    ),
    record("23", "01", "TRANSFERENCIA DE CAÑADA Y NIÑO SL".padEnd(38), "PAGO FACTURA".padEnd(38)),
    record("33", account, "00000", amount14(0), "00001", amount14(80_000), "2", amount14(1_080_000), "978"),
  ];
  lines.push(record("88", "9".repeat(18), String(lines.length + 1).padStart(6, "0")));
  return Buffer.from(`${lines.join("\r\n")}\r\n`, "latin1");
}

/** A PDF, as someone shares an invoice or a printed statement. */
const PDF = Buffer.from("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

type Shared = { id: string; name: string; bytes: Buffer; channel: string; ts: string; size?: number };

/**
 * Slack as it answers a bot about shared files: files.info with the share's message ts, and the
 * bytes at url_private_download only for the bot token (anyone else gets the sign-in page, with a 200).
 */
function serveFiles(shared: Shared[]) {
  const downloads: string[] = [];
  slack.api.respond("files.info", (call) => {
    const file = shared.find((f) => f.id === call.body.file);
    if (!file || call.token !== BOT_TOKEN) return { ok: false, error: "file_not_found" };
    const shares = { [file.channel]: [{ ts: file.ts, channel_name: "cobros", reply_count: 0 }] };
    return {
      ok: true,
      file: {
        id: file.id,
        name: file.name,
        title: file.name,
        size: file.size ?? file.bytes.length,
        mimetype: file.name.endsWith(".pdf") ? "application/pdf" : "text/plain",
        url_private: `${FILES_HOST}/files-pri/TTEST-${file.id}/${file.name}`,
        url_private_download: `${FILES_HOST}/files-pri/TTEST-${file.id}/download/${file.name}`,
        shares: file.channel.startsWith("D") ? { private: shares } : { public: shares },
      },
    };
  });
  slack.api.server.use(
    http.get(`${FILES_HOST}/files-pri/:key/download/:name`, ({ request, params }) => {
      downloads.push(String(params.key));
      if (request.headers.get("authorization") !== `Bearer ${BOT_TOKEN}`)
        return new HttpResponse("<html>Sign in to Slack</html>", {
          headers: { "content-type": "text/html" },
        });
      const file = shared.find((f) => `TTEST-${f.id}` === params.key);
      return file ? new HttpResponse(file.bytes) : new HttpResponse(null, { status: 404 });
    }),
  );
  return { downloads };
}

async function scenario() {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, { locale: "en" });
  const collector = await createMember(db, workspace.id, { roles: ["collector"] });
  const pm = await createMember(db, workspace.id, { roles: ["pm"] });
  // Sofía's Slack is in Spanish; Cobro answers her in Spanish.
  slack.api.slackUser(collector.slackUserId as string, { email: collector.email ?? "", locale: "es-ES" });
  const client = await createClient(db, workspace.id, { name: "Globex Servicios SL" });
  for (const [number, totalMinor] of [
    ["F-2026-0041", 121_000],
    ["F-2026-0042", 50_000],
    ["F-2026-0043", 30_000],
    ["F-2026-0044", 80_000],
  ] as const)
    await createIssuedInvoice(db, workspace.id, client.id, { number, totalMinor, dueDate: "2026-11-30" });
  const teamId = workspace.slackTeamId as string;
  const share = (file: Shared, userId: string, options: { eventId?: string; retryNum?: number } = {}) =>
    slack.app.event({
      teamId,
      ...options,
      event: {
        type: "file_shared",
        channel_id: file.channel,
        file_id: file.id,
        user_id: userId,
        file: { id: file.id },
        event_ts: `${file.ts.split(".")[0]}.000900`,
      },
    });
  const state = async () =>
    Object.fromEntries(
      (await db.select().from(invoices).where(eq(invoices.workspaceId, workspace.id))).map((i) => [
        i.number,
        i.status,
      ]),
    );
  const count = async () => ({
    lines: (await db.select().from(bankLines).where(eq(bankLines.workspaceId, workspace.id))).length,
    payments: (await db.select().from(payments).where(eq(payments.workspaceId, workspace.id))).length,
  });
  return { db, workspace, collector, pm, share, state, count };
}

const posts = () => slack.api.calls("chat.postMessage").map((c) => c.body);
/** Lets the listeners of events already acked finish (their work runs after the 200). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe(`a bank statement shared with Cobro in Slack on ${backend()}`, () => {
  it("imports a camt.053 and a Norma 43 shared in the collections channel and answers in Spanish in the thread", async () => {
    const s = await scenario();
    const camt: Shared = {
      id: "FCAMT1",
      name: "extracto-20-11.xml",
      bytes: CAMT,
      channel: "CCOLLECT",
      ts: "1764000000.000100",
    };
    const n43: Shared = {
      id: "FN431",
      name: "n43-20-11.txt",
      bytes: norma43(),
      channel: "CCOLLECT",
      ts: "1764000100.000100",
    };
    const { downloads } = serveFiles([camt, n43]);

    expect((await s.share(camt, s.collector.slackUserId as string, { eventId: "EvCAMT1" })).status).toBe(200);
    await slack.api.waitFor("chat.postMessage", 1);
    expect(posts()[0]).toMatchObject({ channel: "CCOLLECT", thread_ts: camt.ts });
    expect(String(posts()[0]?.text).split("\n")).toEqual([
      "*extracto-20-11.xml* (ISO 20022 camt): 3 abonos leídos",
      "• 2 abonos han pagado 3 facturas automáticamente",
      "• Ninguna tarjeta por confirmar",
      "• 1 abono sin conciliar: espera en la pestaña Inicio de los gestores de cobro",
    ]);
    expect(slack.api.calls("files.info")[0]?.token).toBe(BOT_TOKEN);

    await s.share(n43, s.collector.slackUserId as string);
    await slack.api.waitFor("chat.postMessage", 2);
    expect(posts()[1]).toMatchObject({ channel: "CCOLLECT", thread_ts: n43.ts });
    expect(String(posts()[1]?.text)).toContain("*n43-20-11.txt* (Norma 43): 1 abono leído");
    expect(String(posts()[1]?.text)).toContain("1 abono ha pagado 1 factura automáticamente");
    expect(await s.state()).toEqual({
      "F-2026-0041": "paid",
      "F-2026-0042": "paid",
      "F-2026-0043": "paid",
      "F-2026-0044": "paid",
    });
    expect(await s.count()).toEqual({ lines: 4, payments: 4 });
    expect(downloads).toEqual(["TTEST-FCAMT1", "TTEST-FN431"]);
  });

  it("records nothing twice: Slack's retry, a second event for the file, the same statement shared again", async () => {
    const s = await scenario();
    const camt: Shared = {
      id: "FCAMT2",
      name: "extracto.xml",
      bytes: CAMT,
      channel: "CCOLLECT",
      ts: "1764000200.000100",
    };
    const again: Shared = { ...camt, id: "FCAMT3", ts: "1764000300.000100" };
    serveFiles([camt, again]);
    const sofia = s.collector.slackUserId as string;

    await s.share(camt, sofia, { eventId: "EvCAMT2" });
    await slack.api.waitFor("chat.postMessage", 1);
    await s.share(camt, sofia, { eventId: "EvCAMT2", retryNum: 1 });
    await s.share(camt, sofia, { eventId: "EvCAMT2b" });
    await settle();
    expect(slack.api.calls("files.info").filter((c) => c.body.file === "FCAMT2")).toHaveLength(1);
    expect(posts()).toHaveLength(1);

    // Someone shares the same statement again as a new file: read, and nothing recorded again.
    await s.share(again, sofia);
    await slack.api.waitFor("chat.postMessage", 2);
    expect(String(posts()[1]?.text)).toContain(
      "• 3 abonos ya se habían importado: no se ha vuelto a hacer nada",
    );
    expect(String(posts()[1]?.text)).toContain("Ningún abono ha pagado una factura automáticamente");
    expect(await s.count()).toEqual({ lines: 3, payments: 3 });
    const claims = await s.db.select().from(bankFiles).where(eq(bankFiles.workspaceId, s.workspace.id));
    expect(claims.map((c) => [c.slackFileId, c.status]).sort()).toEqual([
      ["FCAMT2", "imported"],
      ["FCAMT3", "imported"],
    ]);
  });

  it("imports a file whose earlier import was cut short (the process died) once its lease ran out", async () => {
    const s = await scenario();
    const camt: Shared = {
      id: "FCAMT9",
      name: "extracto.xml",
      bytes: CAMT,
      channel: "CCOLLECT",
      ts: "1764000900.000100",
    };
    serveFiles([camt]);
    const fresh = {
      workspaceId: s.workspace.id,
      channelId: camt.channel,
      sharedBy: "slack:U0DEAD",
      status: "importing" as const,
    };
    await s.db
      .insert(bankFiles)
      .values({ ...fresh, slackFileId: camt.id, updatedAt: new Date(Date.now() - 60 * 60_000) });
    const other: Shared = { ...camt, id: "FCAMT10", ts: "1764001000.000100" };
    await s.db.insert(bankFiles).values({ ...fresh, slackFileId: other.id, updatedAt: new Date() });

    await s.share(other, s.collector.slackUserId as string);
    await settle();
    expect(posts()).toHaveLength(0);
    await s.share(camt, s.collector.slackUserId as string);
    await slack.api.waitFor("chat.postMessage", 1);
    expect(await s.count()).toEqual({ lines: 3, payments: 3 });
    const claims = await s.db.select().from(bankFiles).where(eq(bankFiles.workspaceId, s.workspace.id));
    expect(claims.map((c) => [c.slackFileId, c.status]).sort()).toEqual([
      ["FCAMT10", "importing"],
      ["FCAMT9", "imported"],
    ]);
  });

  it("answers a PDF shared in a DM with the formats it reads, and records nothing", async () => {
    const s = await scenario();
    const member = await createMember(s.db, s.workspace.id, { roles: ["billing"] });
    const pdf: Shared = {
      id: "FPDF1",
      name: "factura.pdf",
      bytes: PDF,
      channel: "DCOBRO1",
      ts: "1764000400.000100",
    };
    serveFiles([pdf]);
    await s.share(pdf, member.slackUserId as string);
    await slack.api.waitFor("chat.postMessage", 1);
    expect(posts()[0]).toMatchObject({ channel: "DCOBRO1", thread_ts: pdf.ts });
    expect(String(posts()[0]?.text)).toBe(
      "*factura.pdf* is not a bank statement Cobro reads, so nothing was imported. Share the file your bank exports as ISO 20022 camt.053 or camt.054 (XML), Norma 43 (AEB 43) or CFONB 120.",
    );
    expect(await s.count()).toEqual({ lines: 0, payments: 0 });
  });

  it("refuses a statement shared by someone who may not record payments, and one too big to read", async () => {
    const s = await scenario();
    const camt: Shared = {
      id: "FCAMT4",
      name: "extracto.xml",
      bytes: CAMT,
      channel: "CCOLLECT",
      ts: "1764000500.000100",
    };
    const huge: Shared = { ...camt, id: "FHUGE", ts: "1764000600.000100", size: 40 * 1024 * 1024 };
    const { downloads } = serveFiles([camt, huge]);

    await s.share(camt, s.pm.slackUserId as string);
    await slack.api.waitFor("chat.postMessage", 1);
    expect(posts()[0]).toMatchObject({ channel: "CCOLLECT", thread_ts: camt.ts });
    expect(String(posts()[0]?.text)).toBe(
      ":warning: Only a collector, someone in billing or an admin can act on collections. An admin can give roles with `/cobro setup`.",
    );

    await s.share(huge, s.collector.slackUserId as string);
    await slack.api.waitFor("chat.postMessage", 2);
    expect(String(posts()[1]?.text)).toBe(
      "*extracto.xml* ocupa 40 MB: Cobro lee extractos compartidos en Slack de hasta 10 MB, así que no se ha importado nada. Exporta un periodo más corto o ejecuta `cobro import bank FICHERO` en el servidor.",
    );
    expect(downloads).toEqual([]);
    expect(await s.count()).toEqual({ lines: 0, payments: 0 });
  });

  it("ignores files shared in other channels, and its own uploads", async () => {
    const s = await scenario();
    const elsewhere: Shared = {
      id: "FELSE",
      name: "extracto.xml",
      bytes: CAMT,
      channel: "CRANDOM",
      ts: "1764000700.000100",
    };
    const own: Shared = { ...elsewhere, id: "FOWN", channel: "DCOBRO2" };
    serveFiles([elsewhere, own]);
    expect((await s.share(elsewhere, s.collector.slackUserId as string)).status).toBe(200);
    expect((await s.share(own, "UCOBROBOT")).status).toBe(200);
    await settle();
    expect(slack.api.calls("files.info")).toEqual([]);
    expect(posts()).toEqual([]);
    expect(await s.count()).toEqual({ lines: 0, payments: 0 });
  });
});
