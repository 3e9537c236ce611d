import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeVerifactu } from "../../src/cli/doctor-verifactu.ts";
import { verifactuCommand } from "../../src/cli/verifactu.ts";
import { verifactuCertificates, verifactuRecords } from "../../src/db/schema/index.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { type AeatStandIn, startAeatStandIn } from "../helpers/aeat-stand-in.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createWorkspace } from "../helpers/factories.ts";
import { makeTestPki, type TestPki } from "../helpers/test-pki.ts";
import { AEAT_SUBMISSION_XSD, xmlSchemaUnavailable } from "../helpers/xml-schema.ts";

const unavailable = xmlSchemaUnavailable(AEAT_SUBMISSION_XSD);

describe.skipIf(unavailable !== null)(
  `VERI*FACTU certificate, sending and correction from the CLI on ${backend()}${unavailable ? ` (skipped: ${unavailable})` : ""}`,
  () => {
    let pki: TestPki;
    let aeat: AeatStandIn;
    beforeAll(async () => {
      pki = makeTestPki();
      aeat = await startAeatStandIn(pki);
    });
    afterAll(() => aeat?.close());

    async function spanishWorkspace() {
      const database = await testDatabase();
      const clock = fixedClock("2026-11-23T09:00:00Z");
      const deps = serviceDeps(database.db, clock);
      const workspace = await createWorkspace(database.db);
      const client = await createClient(database.db, workspace.id, { country: "ES", taxId: "ESB87654321" });
      const issue = async () => {
        const { invoice: draft } = await createInvoiceDraft(testCtx(deps, workspace.id), {
          clientId: client.id,
          lines: [{ description: "Consultoría", quantityMilli: 1000, unitPriceMinor: 50_000 }],
        });
        return (await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.id })).invoice;
      };
      const cli = cliRunner(
        verifactuCommand,
        { deps, database },
        { COBRO_VERIFACTU_URL: aeat.url, COBRO_VERIFACTU_CA_FILE: join(pki.dir, "ca.pem") },
      );
      const run = (...args: string[]) => cli.run(...args, "--workspace", workspace.id);
      return { database, deps, clock, workspace, issue, run };
    }

    it("imports the taxpayer's PKCS#12 certificate sealed, refuses a wrong password, then sends with it", async () => {
      const { database, issue, run, workspace } = await spanishWorkspace();
      const invoice = await issue();
      expect(await run("send")).toEqual({
        code: 1,
        out: "B12345678: not sent: import the taxpayer's certificate first (cobro verifactu cert import FILE).",
      });
      await expect(run("cert", "import", pki.clientP12File, "--password", "wrong")).rejects.toMatchObject({
        userMessage: `The password does not open ${pki.clientP12File}.`,
      });
      await expect(run("cert", "import", pki.clientP12File)).rejects.toMatchObject({
        userMessage: `${pki.clientP12File} is protected by a password: give it with --password.`,
      });
      const imported = await run("cert", "import", pki.clientP12File, "--password", pki.p12Password);
      expect(imported.code).toBe(0);
      expect(imported.out).toMatch(
        /^Certificate of ACME CONSULTING SL imported, valid until \d{4}-\d{2}-\d{2}: records now go to the AEAT stand-in at https:\/\/127\.0\.0\.1:/,
      );
      const [stored] = await database.db
        .select()
        .from(verifactuCertificates)
        .where(eq(verifactuCertificates.workspaceId, workspace.id));
      // Sealed with the workspace key: neither the password nor the key material is readable.
      expect(stored?.sealed).toMatch(/^v1\./);
      expect(stored?.sealed).not.toContain(pki.p12Password);

      const before = aeat.requests.length;
      expect(await run("send")).toEqual({
        code: 0,
        out: "B12345678: 1 record(s) sent: 1 accepted, 0 accepted with errors, 0 refused; 0 still waiting.",
      });
      expect(aeat.requests.slice(before).flatMap((r) => r.records.map((x) => x.seriesNumber))).toEqual([
        invoice.number,
      ]);
      expect(aeat.requests.at(-1)?.clientSubject).toBe("ACME CONSULTING SL");
      expect(await run("export")).toEqual({ code: 0, out: "No VERI*FACTU record is waiting to be sent." });
    });

    it("warns when the certificate is another taxpayer's than the issuer whose records it sends", async () => {
      const { run } = await spanishWorkspace(); // the issuer is B12345678
      const own = await run("cert", "import", pki.clientP12File, "--password", pki.p12Password);
      expect(own.out).not.toContain("Warning");
      const other = makeTestPki({ subject: "/C=ES/serialNumber=IDCES-A87654321/CN=OTRA EMPRESA SA" });
      const imported = await run("cert", "import", other.clientP12File, "--password", other.p12Password);
      expect(imported.code).toBe(0);
      expect(imported.out.split("\n")[1]).toBe(
        "Warning: this certificate is of A87654321, not of B12345678, whose records it sends. The AEAT accepts it only if A87654321 may file for B12345678 (apoderamiento or colaborador social); otherwise import B12345678's own certificate.",
      );
    });

    it("a PEM certificate and key work too; a certificate without its key is refused with the fix", async () => {
      const { run } = await spanishWorkspace();
      await expect(run("cert", "import", pki.clientPemFile)).rejects.toMatchObject({
        userMessage: expect.stringContaining("has a certificate but no private key"),
      });
      const { writeFileSync } = await import("node:fs");
      const both = join(pki.dir, "both.pem");
      writeFileSync(both, `${pki.clientPem}${pki.clientKey}`);
      expect((await run("cert", "import", both)).out).toMatch(/^Certificate of ACME CONSULTING SL imported/);
    });

    it("a refused record is corrected (Subsanacion, RechazoPrevio S), chained at the end, and accepted", async () => {
      const { database, issue, run, workspace, clock } = await spanishWorkspace();
      await run("cert", "import", pki.clientP12File, "--password", pki.p12Password);
      const first = await issue();
      const second = await issue();
      aeat.next({
        kind: "refuse",
        series: [second.number!],
        code: "1100",
        text: "Valor incorrecto: Desglose.",
      });
      expect((await run("send")).out).toBe(
        "B12345678: 2 record(s) sent: 1 accepted, 0 accepted with errors, 1 refused; 0 still waiting.",
      );
      const exported = await run("export");
      expect(exported.out).toContain(
        `1 record(s) refused and 0 accepted with errors by the AEAT: ${second.number} (1100 Valor incorrecto: Desglose.)`,
      );
      await expect(run("correct", first.number!)).rejects.toMatchObject({
        userMessage: expect.stringContaining("The AEAT accepted the record"),
      });
      expect((await run("correct", second.number!)).out).toBe(
        `Corrected record of ${second.number} added to the chain (Subsanacion S, RechazoPrevio S): it goes with the next submission.`,
      );
      // Twice is once.
      expect((await run("correct", second.number!)).out).toContain("already waiting");
      const third = await issue();
      clock.set("2026-11-23T09:02:00Z");
      const before = aeat.requests.length;
      expect((await run("send")).out).toBe(
        "B12345678: 2 record(s) sent: 2 accepted, 0 accepted with errors, 0 refused; 0 still waiting.",
      );
      const sent = aeat.requests.slice(before).flatMap((r) => r.records);
      expect(sent.map((r) => [r.seriesNumber, r.subsanacion, r.rechazoPrevio])).toEqual([
        [second.number, true, "S"],
        [third.number, false, null],
      ]);
      // The correction is a new link: it names the record before it, and the next one names it.
      expect(sent[1]?.previousHash).toBe(sent[0]?.hash);
      const rows = await database.db
        .select()
        .from(verifactuRecords)
        .where(eq(verifactuRecords.workspaceId, workspace.id))
        .orderBy(verifactuRecords.sequence);
      expect(rows.map((r) => [r.seriesNumber, r.submissionStatus])).toEqual([
        [first.number, "accepted"],
        [second.number, "corrected"],
        [second.number, "accepted"],
        [third.number, "accepted"],
      ]);
      expect((await run("export")).out).toBe("No VERI*FACTU record is waiting to be sent.");
      expect(aeat.schemaComplaints).toEqual([]);
    });

    it("during an AEAT outage a second send says sending fails and when it is retried, not the AEAT's wait", async () => {
      const { issue, run } = await spanishWorkspace();
      await run("cert", "import", pki.clientP12File, "--password", pki.p12Password);
      await issue();
      aeat.next({ kind: "down" });
      const down = await run("send");
      expect(down.code).toBe(1);
      expect(down.out).toMatch(/^B12345678: sending failed \(.+\); 1 record\(s\) wait, next try at /);
      const again = await run("send");
      expect(again.out).not.toContain("TiempoEsperaEnvio");
      expect(again).toEqual({
        code: 1,
        out: expect.stringMatching(
          /^B12345678: sending fails since 2026-11-23T09:00:00\.000Z \(.+\); 1 record\(s\) wait, next try at 2026-11-23T09:01:00\.000Z\.$/,
        ),
      });
    });

    it("cobro doctor shows the certificate's expiry and warns 30 days ahead", async () => {
      const soon = makeTestPki({ clientDays: 20 });
      const { database, run, issue } = await spanishWorkspace();
      await issue();
      await run("cert", "import", soon.clientP12File, "--password", soon.p12Password);
      const lines = await describeVerifactu(database.db, new Date(), {
        environment: "production",
        url: undefined,
        caFile: undefined,
      });
      expect(lines[0]).toBe(
        "verifactu: records go to the AEAT production service (https://www1.agenciatributaria.gob.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP)",
      );
      const expiry = lines.find((l) => l.includes("expires on"));
      expect(expiry).toMatch(
        /^warning: Test .*: The AEAT certificate of ACME CONSULTING SL expires on \d{4}-\d{2}-\d{2} \(19 days\): renew it and import the new one\.$/,
      );
    });
  },
);
