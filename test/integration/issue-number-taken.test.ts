import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { type CliRuntime, EXIT } from "../../src/cli/types.ts";
import { loadConfig } from "../../src/config.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { type MessageKey, t } from "../../src/i18n/index.ts";
import { importCsv } from "../../src/imports/import-csv.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { changeWorkspaceSettings } from "../../src/workspace/change-workspace-settings.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps, silentLogger, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";

/** A French company with one client, before anything is imported. */
async function frenchCompany() {
  const database = await testDatabase();
  const deps = serviceDeps(database.db);
  const workspace = await createWorkspace(database.db, {
    timeZone: "Europe/Paris",
    seller: FR_SELLER,
    settings: { jurisdiction: "FR" },
  });
  const client = await createClient(database.db, workspace.id, { siren: "303265045" });
  return { database, deps, workspace, client };
}

// A company that imports its open invoices numbered like Cobro's default series (F-2026-00001…)
// must be told why its first Cobro invoice cannot be issued, and how to fix it, not get a crash.
describe(`issuing when the next number is already an imported invoice's, on ${backend()}`, () => {
  it("refuses with the number and the setting to change, then issues once the format is changed", async () => {
    const { database, deps, workspace, client } = await frenchCompany();
    const imported = await importCsv(testCtx(deps, workspace.id), {
      kind: "invoices",
      csv: `number,client_external_id,issue_date,due_date,currency,total\nF-2026-00001,${client.externalId},2026-10-01,2026-10-31,EUR,1200.00\n`,
    });
    expect(imported.errors).toEqual([]);
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2000 }],
    });

    const config = loadConfig({
      COBRO_DATA_DIR: mkdtempSync(join(tmpdir(), "cobro-number-taken-")),
      LOG_LEVEL: "silent",
    });
    const cli = async (...args: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const runtime: CliRuntime = {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        config,
        logger: silentLogger,
        openApp: async () => ({ ...deps, config, database }),
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

    const refused = await cli("issue", draft.id);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err).toContain("F-2026-00001 is already the number of an invoice in this workspace");
    expect(refused.err).toContain("cobro settings set invoice_number_format");

    await changeWorkspaceSettings(testCtx(deps, workspace.id), {
      values: { invoice_number_format: "C-{YYYY}-{NNNNN}" },
    });
    const issued = await cli("issue", draft.id);
    expect(issued.code).toBe(EXIT.ok);
    expect(issued.out).toContain("Issued C-2026-00001");
  });

  it("refuses a number below an imported one of the same series (FA-2026-0001 after FA-2026-0342), in French too", async () => {
    const { deps, workspace, client } = await frenchCompany();
    const imported = await importCsv(testCtx(deps, workspace.id), {
      kind: "invoices",
      csv: [
        "number,client_external_id,issue_date,due_date,currency,total",
        `FA-2026-0301,${client.externalId},2026-06-01,2026-07-01,EUR,1200.00`,
        `FA-2026-0342,${client.externalId},2026-11-20,2026-12-20,EUR,1200.00`,
        `FA-2025-0900,${client.externalId},2025-12-20,2026-01-20,EUR,1200.00`,
      ].join("\n"),
    });
    expect(imported.errors).toEqual([]);
    await changeWorkspaceSettings(testCtx(deps, workspace.id), {
      values: { invoice_number_format: "FA-{YYYY}-{NNNN}" },
    });
    const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2000 }],
    });
    const refusal = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id }).then(
      () => null,
      (error: unknown) => (isDomainError(error) ? error : null),
    );
    expect(refusal?.userMessage).toContain("FA-2026-0342 is already in this series");
    expect(refusal?.userMessage).toContain("the next number FA-2026-0001 would go backwards");
    const french = t("fr", refusal!.messageKey as MessageKey, refusal!.messageValues);
    expect(french).toContain("FA-2026-0342 fait déjà partie de cette série");
    // In Slack the reader is told where an admin changes it, not to find "whoever runs Cobro".
    expect(french).toContain("`/cobro setup` → Détails de facturation… (invoice_number_format)");
    await changeWorkspaceSettings(testCtx(deps, workspace.id), {
      values: { invoice_number_format: "FC-{YYYY}-{NNNN}" },
    });
    const { invoice } = await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id });
    expect(invoice.number).toBe("FC-2026-0001");
  });
});
