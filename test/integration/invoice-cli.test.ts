import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { type CliRuntime, EXIT } from "../../src/cli/types.ts";
import { loadConfig } from "../../src/config.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";
import { readPdfStructure } from "../helpers/pdf-structure.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

/**
 * Runs `cobro invoice …` against the shared test database: the command gets the same runtime
 * main.ts builds, and refusals end as runCli ends them (user message on stderr, exit code 2).
 */
async function setup() {
  const database = await testDatabase();
  const { db } = database;
  const workspace = await createWorkspace(db, {
    timeZone: "Europe/Paris",
    seller: FR_SELLER,
    settings: { jurisdiction: "FR" },
  });
  const client = await createClient(db, workspace.id, { siren: "303265045", name: `Client ${workspace.id}` });
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-invoice-cli-"));
  const config = loadConfig({ COBRO_DATA_DIR: dataDir, LOG_LEVEL: "silent" });
  const deps = serviceDeps(db);
  const app = { ...deps, config, database };
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const runtime: CliRuntime = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      config,
      logger: silentLogger,
      openApp: async () => app,
    };
    let code: number;
    try {
      code = await invoiceCommand.run(runtime, [...args, "--workspace", workspace.id]);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      err.push(error.userMessage);
      code = EXIT.usage;
    }
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
  return { db, workspace, client, deps, dataDir, cli };
}

describe(`cobro invoice on ${backend()}`, () => {
  it("lists, issues, shows, pays, credits, prints and e-mails an invoice", async () => {
    const s = await setup();
    const { invoice: draft } = await createInvoiceDraft(testCtx(s.deps, s.workspace.id), {
      clientId: s.client.id,
      lines: [{ description: "Audit", quantityMilli: 1500, unitPriceMinor: 100_000, vatRateBp: 2000 }],
    });

    const drafts = await s.cli("list", "--status", "draft");
    expect(drafts.code).toBe(0);
    expect(drafts.out).toContain(`(draft ${draft.id})`);

    const issued = await s.cli("issue", draft.id);
    expect(issued).toMatchObject({ code: 0 });
    expect(issued.out).toBe("Issued F-2026-00001 on 2026-11-23, due 2026-12-23: 1800.00 EUR.");
    expect((await s.cli("issue", draft.id)).out).toContain("Already issued F-2026-00001");

    const shown = await s.cli("show", "F-2026-00001");
    expect(shown.out).toContain("Audit");
    expect(shown.out).toContain("1.5 C62");
    expect(shown.out).toContain("Net 1500.00 EUR · VAT 300.00 EUR · Total 1800.00 EUR");

    const paid = await s.cli("pay", "F-2026-00001", "300.00", "--date", "2026-11-20", "--reference", "VIR-1");
    expect(paid.out).toBe("Recorded 300.00 EUR on F-2026-00001: partially paid, open 1500.00 EUR.");
    const tooPrecise = await s.cli("pay", "F-2026-00001", "1.234");
    expect(tooPrecise.code).toBe(2);
    expect(tooPrecise.err).toContain("EUR has 2 decimals");

    const credited = await s.cli("credit", "F-2026-00001", "--amount", "100", "--reason", "Goodwill");
    expect(credited.out).toBe(
      "Issued credit note AV-2026-0001: 120.00 EUR; F-2026-00001 is now partially paid, open 1380.00 EUR.",
    );
    expect((await s.cli("credit", "F-2026-00001")).err).toContain("--reason");

    const list = await s.cli("list", "--client", s.client.name);
    expect(list.out).toMatch(/F-2026-00001\s+partially_paid/);
    expect(list.out).toMatch(/AV-2026-0001\s+credit note/);

    const pdfPath = join(s.dataDir, "f1.pdf");
    expect((await s.cli("pdf", "F-2026-00001", "--out", pdfPath)).code).toBe(0);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe("%PDF-");
    const ublPath = join(s.dataDir, "f1.xml");
    const ubl = await s.cli("ubl", "F-2026-00001", "--out", ublPath);
    expect(ubl.code).toBe(0);
    expect(ubl.out).toContain("UBL 2.1, EN 16931");
    expect(readFileSync(ublPath, "utf8")).toContain("<cbc:ID>F-2026-00001</cbc:ID>");
    const ciiPath = join(s.dataDir, "f1-cii.xml");
    const cii = await s.cli("xml", "F-2026-00001", "--format", "cii", "--out", ciiPath);
    expect(cii.out).toContain("CII D16B, EN 16931");
    expect(readFileSync(ciiPath, "utf8")).toMatch(
      /<rsm:CrossIndustryInvoice [\s\S]*<rsm:ExchangedDocument><ram:ID>F-2026-00001<\/ram:ID>/,
    );
    const facturXPath = join(s.dataDir, "f1-factur-x.pdf");
    const facturX = await s.cli("xml", "F-2026-00001", "--format", "facturx", "--out", facturXPath);
    expect(facturX.out).toContain("Factur-X EN 16931");
    const embedded = readPdfStructure(readFileSync(facturXPath)).attachments;
    expect(embedded.map((a) => a.name)).toEqual(["factur-x.xml"]);
    expect(embedded[0]?.content.toString("utf8")).toBe(readFileSync(ciiPath, "utf8"));
    const unknown = await s.cli("xml", "F-2026-00001", "--format", "edifact");
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.err).toContain('"edifact" is not an e-invoice format: use --format ubl, cii, facturx');
    const creditPath = join(s.dataDir, "av1.xml");
    expect((await s.cli("ubl", "AV-2026-0001", "--out", creditPath)).code).toBe(0);
    expect(readFileSync(creditPath, "utf8")).toMatch(
      /<CreditNote [\s\S]*<cac:InvoiceDocumentReference><cbc:ID>F-2026-00001<\/cbc:ID>/,
    );

    const queued = await s.cli("send", "F-2026-00001");
    expect(queued.out).toContain("a running `cobro serve` delivers it");
    const sent = await s.cli("send", "F-2026-00001", "--now");
    expect(sent.code).toBe(0);
    expect(sent.out).toContain("through the local outbox");
    const outbox = readdirSync(join(s.dataDir, "outbox"));
    expect(outbox).toHaveLength(1);
    expect(readFileSync(join(s.dataDir, "outbox", outbox[0] ?? ""), "utf8")).toContain("F-2026-00001");
  });

  it("claims late interest once and refuses unknown invoices and subcommands", async () => {
    const s = await setup();
    const late = await createIssuedInvoice(s.db, s.workspace.id, s.client.id, {
      totalMinor: 1_200_000,
      openMinor: 1_200_000,
      issueDate: "2024-08-31",
      dueDate: "2024-09-30",
    });
    const first = await s.cli("interest", late.number ?? "", "--as-of", "2024-10-30");
    expect(first.out).toBe(
      `Issued interest note INT-26-001 on ${late.number}: interest 140.55 EUR + compensation 40.00 EUR = 180.55 EUR, due 2026-12-23. Send it with \`cobro invoice send INT-26-001\`.`,
    );
    const again = await s.cli("interest", late.number ?? "", "--as-of", "2024-10-30");
    expect(again.out).toBe(`Interest on ${late.number} is already claimed by INT-26-001 (180.55 EUR).`);
    expect((await s.cli("show", "INT-26-001")).out).toContain(`Refers to: ${late.number}`);

    const missing = await s.cli("show", "F-1999-00042");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No invoice "F-1999-00042"');
    expect((await s.cli("frobnicate")).err).toContain("Unknown invoice subcommand");
  });

  it("answers through the real entry point with exit 2 and no stack trace", async () => {
    const { runCli } = await import("../../src/main.ts");
    const dir = mkdtempSync(join(tmpdir(), "cobro-invoice-main-"));
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    expect(
      await runCli(["invoice", "show", "F-2026-99999"], { COBRO_DATA_DIR: dir, LOG_LEVEL: "silent" }, io),
    ).toBe(2);
    expect(err.join("\n")).toContain('No invoice "F-2026-99999"');
    expect(err.join("\n")).not.toMatch(/\n\s+at /);
  }, 60_000);
});
