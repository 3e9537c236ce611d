// The local console in headless Chromium, against the real `cobro serve` (no Slack credentials):
// what a newcomer does in the first ten minutes, one person after another. Screenshots of each step
// go to test-output/console/ (ignored by git; the best are copied to docs/screenshots/).
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ServeProcess, startServeProcess } from "../helpers/serve-process.ts";

const CHROMIUM = process.env.COBRO_CHROMIUM ?? "/usr/bin/chromium";
const present = existsSync(CHROMIUM);
if (!present && process.env.COBRO_REQUIRE_CHROMIUM) {
  throw new Error(
    `COBRO_REQUIRE_CHROMIUM is set but there is no Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}
const why = present
  ? ""
  : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium, or set COBRO_CHROMIUM)`;
const shots = fileURLToPath(new URL("../../test-output/console/", import.meta.url));

// Once per run: `cobro serve` uses its own embedded database whichever back end the project tests.
describe.runIf(present && process.env.COBRO_TEST_DB !== "postgres")(
  `the local console in headless Chromium${why}`,
  () => {
    let dataDir: string;
    let server: ServeProcess;
    let browser: Browser;
    let page: Page;
    let step = 0;
    const shot = async (name: string) => {
      step++;
      await page.screenshot({ path: join(shots, `${String(step).padStart(2, "0")}-${name}.png`) });
    };
    const as = async (name: string) => {
      const value = await page.locator("#you option", { hasText: name }).getAttribute("value");
      await page.selectOption("#you", value ?? "");
    };
    const go = (label: string) => page.locator("aside a", { hasText: label }).first().click();
    const type = async (command: string) => {
      await page.fill("#composer", command);
      await page.press("#composer", "Enter");
    };
    const message = (text: string | RegExp) => page.locator("#messages .msg", { hasText: text });

    beforeAll(async () => {
      await mkdir(shots, { recursive: true });
      dataDir = await mkdtemp(join(tmpdir(), "cobro-console-"));
      [server, browser] = await Promise.all([
        startServeProcess({ COBRO_DATA_DIR: dataDir, COBRO_SCHEDULER: "off" }),
        chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-dev-shm-usage"] }),
      ]);
      page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      page.setDefaultTimeout(20_000);
      await page.goto(`${server.baseUrl}/console`);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    it("offers the demo on an empty workspace and seeds it with one click", async () => {
      await page.locator("#seed").waitFor();
      await page.click("#seed");
      await page.locator("#you option", { hasText: "Julien Martin" }).waitFor({ state: "attached" });
      const channels = await page.locator("#channels a").allTextContents();
      expect(channels.slice(0, 2)).toEqual(["# billing", "# collections"]);
      expect(channels).toContain("# mobilite");
      await shot("seeded");
    });

    it("/milestone done → Issue & send: the invoice's updates in its thread, its e-mail and PDF in the outbox", async () => {
      await as("Julien Martin");
      await go("# mobilite");
      await type("/milestone done mobilite lot 2");
      const done = message(/mobilite · Lot 2 : tableau de bord is done \(€?32[.,]500[.,]00(\s?€)?\)/);
      await done.waitFor();
      expect(await done.textContent()).toContain("Only visible to you");
      await shot("milestone-done");

      await as("Lucía Fernández");
      await go("# billing");
      // The billing channel speaks the demo workspace's language (Spanish).
      const draft = message("ha terminado Lot 2 : tableau de bord");
      await draft.getByRole("button", { name: "Emitir y enviar" }).click();
      await draft.locator(".thread-link", { hasText: "2 replies" }).waitFor();
      await draft.locator(".thread-link").click();
      await page.locator("#thread-messages", { hasText: "Enviada por correo electrónico" }).waitFor();
      expect(await page.locator("#thread-messages").textContent()).toMatch(
        /Emitida como F-\d{4}-\d+ por @Lucía Fernández/,
      );
      await shot("issued-thread");

      await go("Outbox");
      const mail = page.locator("#outbox .mail", { hasText: "Facture F-" });
      await mail.waitFor();
      expect(await mail.textContent()).toContain("factures@paysdelaloire.example");
      const pdf = await mail.locator("a.file").first().getAttribute("href");
      expect(pdf).toMatch(/\.pdf|\/0$/);
      const response = await fetch(`${server.baseUrl}${pdf}`);
      expect(response.headers.get("content-type")).toBe("application/pdf");
      expect(
        Buffer.from(await response.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe("%PDF-");
      await shot("outbox");
    });

    it("shows a modal's error under its field, then the approver approves the week", async () => {
      await as("Julien Martin");
      await go("# atlas");
      await type("/cobro time");
      const modal = page.getByRole("dialog", { name: "Log time" });
      await modal.locator("select[data-action-id]").first().waitFor();
      await modal.locator("select").first().selectOption("atlas");
      await modal.locator("#time_hours__value").fill("lots");
      await modal.locator("#time_description__value").fill("Data model review");
      await modal.getByRole("button", { name: "Save" }).click();
      const error = modal.locator('[data-error-for="time_hours"]');
      await error.waitFor({ state: "visible" });
      expect(await error.textContent()).toMatch(/hours/i);
      await shot("modal-error");

      await modal.locator("#time_hours__value").fill("7.5");
      await modal.getByText("Submit this week for approval").click();
      await modal.getByRole("button", { name: "Save" }).click();
      const logged = page.getByRole("dialog", { name: "Time logged" });
      await logged.getByText(/Saved, and the week of .* is submitted/).waitFor();
      await logged.getByRole("button", { name: "Done" }).click();
      await page.locator("#overlay").waitFor({ state: "hidden" });

      await as("Sofía Romero");
      await go("Cobro · Home");
      await page.locator("#home").getByRole("heading", { name: "What needs you" }).waitFor();
      expect(await page.locator("#home .unsupported").count()).toBe(0);
      await shot("app-home");
      await go("Cobro · Messages");
      const request = message("Julien Martin");
      // Sofía reads Cobro in Spanish: her approval request says Aprobar.
      await request
        .getByRole("button", { name: /^(Approve|Aprobar|Approuver)$/ })
        .first()
        .click();
      await message(/approved|aprobad|approuv/i)
        .first()
        .waitFor();
      await shot("timesheet-approved");
    });

    it("records a payment from an overdue alert", async () => {
      await as("Pablo Navarro");
      await page.click("#scan");
      await go("# collections");
      // The channel's digest speaks the workspace's language (the demo's: Spanish).
      const digest = message(/went overdue|han vencido|ha vencido/);
      await digest.waitFor();
      await digest.evaluate((element) => element.scrollIntoView({ block: "start" }));
      await shot("overdue-alert");
      const openIn = async () => {
        await digest
          .getByRole("button", { name: /^(Record payment|Registrar cobro)$/ })
          .first()
          .click();
        const modal = page.getByRole("dialog", { name: "Record payment" });
        // A loading view first (the trigger id lives 3 s), then the form.
        await modal.locator("input.el-input").first().waitFor();
        const text = (await modal.locator(".blk-section").first().textContent()) ?? "";
        return { modal, text };
      };
      const before = await openIn();
      const [, number, amount] = /^(F-\d{4}-\d{5}): (.+) open\.$/.exec(before.text) ?? [];
      expect(number).toBeDefined();
      expect(amount).not.toMatch(/^\D*0[.,]00\D*$/);
      await before.modal.getByRole("button", { name: "Record" }).click();
      // The form gives way to what was done: the amount recorded on that invoice.
      await before.modal.getByText(`recorded on ${number}`).waitFor();
      await shot("payment-recorded");
      await before.modal.getByRole("button", { name: "Close" }).click();
      await page.locator("#overlay").waitFor({ state: "hidden" });
      // The same invoice, from the same alert: nothing left to collect.
      const after = await openIn();
      expect(after.text).toMatch(new RegExp(`^${number}: \\D*0[.,]00\\D* open\\.$`));
      await after.modal.getByRole("button", { name: "Cancel" }).click();
      await page.locator("#overlay").waitFor({ state: "hidden" });
    });

    it("/aging filters by client, exports that CSV to the DM and drills into a bucket", async () => {
      await as("Lucía Fernández");
      await go("# billing");
      await type("/aging");
      const report = message("Aged receivables");
      await report.waitFor();
      await shot("aging");
      expect(await report.textContent()).toContain("Thames Digital Ltd");
      const client = report.locator('select[data-type="external_select"]').first();
      await client.focus();
      const valladolid = client.locator("option", { hasText: "Ayuntamiento de Valladolid" });
      await valladolid.waitFor({ state: "attached" });
      await client.selectOption((await valladolid.getAttribute("value")) ?? "");
      await expect.poll(() => report.textContent()).not.toContain("Thames Digital Ltd");
      expect(await report.textContent()).toContain("Ayuntamiento de Valladolid");
      await shot("aging-filtered");
      await report.getByRole("button", { name: "Export CSV" }).click();
      await message("The CSV is in your direct messages with Cobro").waitFor();
      await go("Cobro · Messages");
      const csv = page.locator("#messages a.file", { hasText: /aging-\d{4}-\d{2}-\d{2}\.csv/ });
      await csv.waitFor();
      const exported = await fetch(`${server.baseUrl}${await csv.getAttribute("href")}`);
      expect(exported.headers.get("content-type")).toContain("text/csv");
      const csvText = await exported.text();
      expect(csvText).toContain("Ayuntamiento de Valladolid");
      expect(csvText).not.toContain("Thames Digital");
      await go("# billing");
      await report.getByRole("button", { name: "90+ days ›" }).click();
      const invoices = message("90+ days past due");
      await invoices.getByRole("heading", { name: /^90\+ days past due/ }).waitFor();
      expect(await invoices.textContent()).toContain("Days late");
      await shot("aging-drill-down");
    });

    it("speaks the chosen person's language", async () => {
      await as("Julien Martin");
      await page.selectOption("#language", "fr");
      await message("Cobro vous parle désormais en Français").waitFor();
      await go("# mobilite");
      await type("/milestone list mobilite");
      await message(/^.*Jalons · /).waitFor();
      await shot("language-fr");
    });
  },
);
