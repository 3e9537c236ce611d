// Exchange and late-interest rates that stay current: the ECB fetches against a local stand-in that
// answers like the ECB (eurofxref XML, Data Portal CSV), the fx import, and the shipped table.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { pino } from "pino";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { ratesCommand } from "../../src/cli/rates.ts";
import type { ServiceDeps } from "../../src/context.ts";
import type { Db } from "../../src/db/client.ts";
import { exchangeRates, invoices, lateInterestRates } from "../../src/db/schema/index.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { createInvoiceDraft } from "../../src/invoicing/create-invoice-draft.ts";
import { issueInvoice } from "../../src/invoicing/issue-invoice.ts";
import { loadPrintableInvoices } from "../../src/invoicing/printable-repo.ts";
import { runSchedulerTick } from "../../src/scheduler.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { fixedClock, serviceDeps, testCtx } from "../helpers/deps.ts";
import { createClient, createIssuedInvoice, createWorkspace } from "../helpers/factories.ts";
import { FR_SELLER } from "../helpers/sellers.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
const FX_URL = "https://ecb.test/stats/eurofxref/eurofxref-daily.xml";
const MRO_URL = "https://ecb.test/service/data/FM/B.U2.EUR.4F.KR.MRR_FR.LEV";
const UNREACHABLE = "http://127.0.0.1:9/eurofxref-daily.xml";

const eurofxref = (date: string, quotes: Record<string, string>) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
\t<gesmes:subject>Reference rates</gesmes:subject>
\t<gesmes:Sender>
\t\t<gesmes:name>European Central Bank</gesmes:name>
\t</gesmes:Sender>
\t<Cube>
\t\t<Cube time='${date}'>
${Object.entries(quotes)
  .map(([currency, rate]) => `\t\t\t<Cube currency='${currency}' rate='${rate}'/>`)
  .join("\n")}
\t\t</Cube>
\t</Cube>
</gesmes:Envelope>`;

const mroCsv = (changes: [string, string][]) =>
  [
    "KEY,FREQ,REF_AREA,CURRENCY,PROVIDER_FM,INSTRUMENT_FM,PROVIDER_FM_ID,DATA_TYPE_FM,TIME_PERIOD,OBS_VALUE",
    ...changes.map(
      ([date, value]) => `FM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,U2,EUR,4F,KR,MRR_FR,LEV,${date},${value}`,
    ),
  ].join("\n");

let requests: string[] = [];
function ecbServes(fx: string, mro: string) {
  requests = [];
  api.server.use(
    http.get(FX_URL, ({ request }) => {
      requests.push(request.url);
      return new HttpResponse(fx, { headers: { "content-type": "text/xml" } });
    }),
    http.get(MRO_URL, ({ request }) => {
      requests.push(request.url);
      return new HttpResponse(mro, { headers: { "content-type": "application/vnd.sdmx.data+csv" } });
    }),
  );
}

function capturingDeps(db: Db, iso: string): ServiceDeps & { warnings: string[] } {
  const warnings: string[] = [];
  const logger = pino(
    { level: "warn" },
    { write: (line: string) => void warnings.push(JSON.parse(line).msg) },
  );
  return { ...serviceDeps(db, fixedClock(iso)), logger, warnings };
}

const usdRates = (db: Db, workspaceId: string) =>
  db
    .select()
    .from(exchangeRates)
    .where(and(eq(exchangeRates.workspaceId, workspaceId), eq(exchangeRates.currency, "USD")));

const table = async (db: Db, start: string) =>
  Object.fromEntries(
    (await db.select().from(lateInterestRates).where(eq(lateInterestRates.halfYearStart, start))).map((r) => [
      r.jurisdiction,
      { total: r.totalRateBp, confirmed: r.confirmed },
    ]),
  );

const SOURCES = { fxUrl: FX_URL, mroUrl: MRO_URL };
// The series as the ECB publishes it (changes only); 2026-03-18 is a stand-in figure for the tests.
const MRO = mroCsv([
  ["2025-04-23", "2.40"],
  ["2025-06-11", "2.15"],
  ["2026-03-18", "2.40"],
]);

beforeEach(() => api.reset());

// The late-interest table is shared by every workspace: each test leaves it as shipped.
let shipped: (typeof lateInterestRates.$inferSelect)[] = [];
beforeAll(async () => {
  shipped = await (await testDatabase()).db.select().from(lateInterestRates);
});
afterEach(async () => {
  const { db } = await testDatabase();
  await db.delete(lateInterestRates);
  await db.insert(lateInterestRates).values(shipped);
});

describe(`ECB rates on ${backend()}`, () => {
  it("ships every half-year up to 2026 H2, Spain and the carried-forward half-year marked unconfirmed", async () => {
    const { db } = await testDatabase();
    const h1 = await table(db, "2026-01-01");
    expect(h1).toEqual({
      EU: { total: 1015, confirmed: true },
      FR: { total: 1215, confirmed: true },
      ES: { total: 1015, confirmed: false },
    });
    const h2 = await table(db, "2026-07-01");
    expect(Object.values(h2).map((r) => r.confirmed)).toEqual([false, false, false]);
    const cli = cliRunner(ratesCommand, { deps: serviceDeps(db), database: await testDatabase() });
    const list = await cli.run("list", "--jurisdiction", "FR");
    expect(list.out).toMatch(/^FR {2}2026 H2 .* total +12\.15 % {2}UNCONFIRMED/m);
    expect(list.out).toMatch(/^FR {2}2026 H1 .*intérêt légal 2\.62 %.*arrêté du 15 décembre 2025/m);
  });

  it("a French invoice issued in December 2026 prints the penalty rate of its half-year", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { seller: FR_SELLER, timeZone: "Europe/Paris" });
    const client = await createClient(db, workspace.id, {
      country: "FR",
      siren: "732829320",
      taxId: "FR44732829320",
    });
    const deps = serviceDeps(db, fixedClock("2026-12-03T09:00:00Z"));
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [{ description: "Audit", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2000 }],
    });
    await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
    const [printable] = await loadPrintableInvoices(db, workspace.id, [draft.invoice.id]);
    expect(printable?.input.options?.latePenaltyRateBp).toBe(1215);
  });

  it("in December 2026 an interest note is issued at the shipped rates, warning which are unconfirmed", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, {
      seller: FR_SELLER,
      timeZone: "Europe/Paris",
      settings: { jurisdiction: "FR" },
    });
    const client = await createClient(db, workspace.id, { siren: "303265045" });
    // €10,000 due 2026-06-20, unpaid: 10 days of 2026 H1 (12.15 %) and 156 of 2026 H2 (12.15 %, unconfirmed).
    const invoice = await createIssuedInvoice(db, workspace.id, client.id, {
      totalMinor: 1_000_000,
      subtotalMinor: 1_000_000,
      vatMinor: 0,
      openMinor: 1_000_000,
      issueDate: "2026-05-21",
      dueDate: "2026-06-20",
    });
    const deps = serviceDeps(db, fixedClock("2026-12-03T09:00:00Z"));
    const cli = cliRunner(invoiceCommand, { deps, database: await testDatabase() });
    const result = await cli.run(
      "interest",
      invoice.number!,
      "--as-of",
      "2026-12-03",
      "--workspace",
      workspace.id,
    );
    expect(result.code).toBe(0);
    // 10,000 × 12.15 % × 166 / 365 = 552.58
    expect(result.out).toMatch(/interest 552\.58 EUR \+ compensation 40\.00 EUR/);
    expect(result.out).toContain("Warning: the rate of FR 2026 H2 12.15 % (UNCONFIRMED");
    expect(result.out).not.toContain("FR 2026 H1");
  });

  it("stores the day's ECB exchange rates in the workspace's base currency, with date and source, once", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { baseCurrency: "GBP" });
    ecbServes(eurofxref("2026-12-02", { USD: "1.1634", JPY: "181.20", GBP: "0.8725" }), MRO);
    const deps = capturingDeps(db, "2026-12-03T09:00:00Z");
    const cli = cliRunner(
      ratesCommand,
      { deps, database: await testDatabase() },
      {
        COBRO_ECB_FX_URL: FX_URL,
        COBRO_ECB_MRO_URL: MRO_URL,
      },
    );
    const first = await cli.run("fetch", "--workspace", workspace.id);
    expect(first.out).toContain("Exchange rates of 2026-12-02 in GBP: 3 added");
    const [usd] = await usdRates(db, workspace.id);
    // 1 USD = 0.8725 / 1.1634 GBP
    expect(usd).toMatchObject({ baseCurrency: "GBP", onDate: "2026-12-02", source: "ECB" });
    expect(Number(usd!.rate)).toBeCloseTo(0.8725 / 1.1634, 9);
    const eur = await db
      .select()
      .from(exchangeRates)
      .where(and(eq(exchangeRates.workspaceId, workspace.id), eq(exchangeRates.currency, "EUR")));
    expect(Number(eur[0]!.rate)).toBe(0.8725);
    const again = await cli.run("fetch", "--workspace", workspace.id);
    expect(again.out).toContain("0 added, 0 updated, 3 unchanged");
  });

  it("an unreachable URL or a malformed file stores nothing, logs a warning and keeps the previous rates", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    ecbServes(eurofxref("2026-12-01", { USD: "1.1600" }), MRO);
    const deps = capturingDeps(db, "2026-12-03T09:00:00Z");
    const { refreshEcbRates } = await import("../../src/rates/refresh-ecb-rates.ts");
    await refreshEcbRates(testCtx(deps, workspace.id), { sources: SOURCES });
    const before = await usdRates(db, workspace.id);
    const tableBefore = await db.select().from(lateInterestRates);
    expect(before).toHaveLength(1);

    const down = await refreshEcbRates(testCtx(deps, workspace.id), {
      sources: { fxUrl: UNREACHABLE, mroUrl: "http://127.0.0.1:9/mro.csv" },
    });
    expect(down).toMatchObject({ ran: true, fx: { ok: false }, mro: { ok: false } });
    expect(deps.warnings.join("\n")).toMatch(
      /ECB exchange rates not fetched: http:\/\/127\.0\.0\.1:9\/eurofxref-daily\.xml is unreachable/,
    );
    expect(deps.warnings.join("\n")).toMatch(/ECB main refinancing rate not fetched/);

    ecbServes(
      eurofxref("2026-12-02", { USD: "1.17" }).replace("</Cube>\n\t</Cube>", "</Cube>"),
      "TIME_PERIOD,OBS_VALUE\n2026-11-30,two point four\n",
    );
    const broken = await refreshEcbRates(testCtx(deps, workspace.id), { sources: SOURCES });
    expect(broken).toMatchObject({ fx: { ok: false }, mro: { ok: false } });
    expect(deps.warnings.join("\n")).toContain("is not a eurofxref file (malformed XML");
    expect(deps.warnings.join("\n")).toContain("is not the MRO series as CSV (line 2");

    expect(await usdRates(db, workspace.id)).toEqual(before);
    expect(await db.select().from(lateInterestRates)).toEqual(tableBefore);
  });

  it("refuses a fetch asked by an API key: the rates are the workspace's settings", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const { refreshEcbRates } = await import("../../src/rates/refresh-ecb-rates.ts");
    const apiKey = { kind: "apiKey", keyId: "k", prefix: "0123456789ab" } as const;
    await expect(
      refreshEcbRates(testCtx(serviceDeps(db), workspace.id, apiKey), { sources: SOURCES }),
    ).rejects.toMatchObject({ code: "permission.denied" });
    expect(await usdRates(db, workspace.id)).toEqual([]);
  });

  it("the MRO fetch confirms the current half-year for EU and FR, leaves Spain unconfirmed, adds new half-years", async () => {
    const { db } = await testDatabase();
    // The shipped rows of 2026 H2 (unconfirmed, 2.15 carried forward) are what it corrects.
    ecbServes(eurofxref("2026-12-02", { USD: "1.1634" }), MRO);
    const workspace = await createWorkspace(db);
    const { refreshEcbRates } = await import("../../src/rates/refresh-ecb-rates.ts");
    const december = capturingDeps(db, "2026-12-03T09:00:00Z");
    const result = await refreshEcbRates(testCtx(december, workspace.id), { sources: SOURCES });
    expect(result).toMatchObject({ mro: { ok: true, updated: ["EU 2026 H2", "FR 2026 H2", "ES 2026 H2"] } });
    expect(await table(db, "2026-07-01")).toEqual({
      EU: { total: 1040, confirmed: true },
      FR: { total: 1240, confirmed: true },
      ES: { total: 1040, confirmed: false },
    });
    // 2026 H1 was right already (2.15 in force on 1 January): untouched.
    expect((await table(db, "2026-01-01")).FR).toEqual({ total: 1215, confirmed: true });

    // Spain's BOE figure imported: the fetch never replaces it.
    const cli = cliRunner(ratesCommand, { deps: december, database: await testDatabase() });
    const boe = join(cli.dataDir, "boe.csv");
    writeFileSync(
      boe,
      "jurisdiction,half_year_start,reference_rate,total_rate,source\nES,2027-01-01,2.40,10.40,BOE-A-2026-TEST\n",
    );
    expect((await cli.run("import", boe)).code).toBe(0);
    const january = capturingDeps(db, "2027-01-05T09:00:00Z");
    const next = await refreshEcbRates(testCtx(january, workspace.id), { sources: SOURCES });
    expect(next).toMatchObject({ mro: { ok: true, added: ["EU 2027 H1", "FR 2027 H1"] } });
    expect(await table(db, "2027-01-01")).toEqual({
      EU: { total: 1040, confirmed: true },
      FR: { total: 1240, confirmed: true },
      ES: { total: 1040, confirmed: true },
    });
  });

  it("the scheduler fetches once per workspace and local day, however many ticks", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db, { timeZone: "Europe/Madrid" });
    ecbServes(eurofxref("2026-12-02", { USD: "1.1634" }), MRO);
    const deps = capturingDeps(db, "2026-12-03T09:00:00Z");
    await runSchedulerTick(deps, { ecb: SOURCES, workspaceIds: [workspace.id] });
    const fetched = requests.length;
    expect(fetched).toBeGreaterThanOrEqual(2);
    expect(await usdRates(db, workspace.id)).toHaveLength(1);
    await runSchedulerTick(deps, { ecb: SOURCES, workspaceIds: [workspace.id] });
    await runSchedulerTick(deps, { ecb: SOURCES, workspaceIds: [workspace.id] });
    expect(requests.length).toBe(fetched);
  });
});

describe(`cobro rates fx import on ${backend()}`, () => {
  it("imports date,pair,rate lines idempotently, both ways round, and names every bad line", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const cli = cliRunner(ratesCommand, { deps: serviceDeps(db), database: await testDatabase() });
    const file = (name: string, text: string) => {
      const path = join(cli.dataDir, name);
      writeFileSync(path, text);
      return path;
    };
    const bad = file(
      "bad.csv",
      [
        "date,pair,rate",
        "2026-11-31,USD/EUR,0.92",
        "2026-11-20,USDEUR,0.92",
        "2026-11-20,USD/EUR,0,92",
        "2026-11-20,GBP/GBP,1",
        "2026-11-21,USD/EUR,-1",
        "2026-11-22,USD/EUR,0.91",
        "2026-11-22,usd/eur,0.93",
      ].join("\n"),
    );
    const refused = await cli.run("fx", "import", bad, "--workspace", workspace.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    const message = (refused as DomainError).userMessage;
    expect(message).toContain('line 2: date "2026-11-31" is not a date YYYY-MM-DD');
    expect(message).toContain('line 3: pair "USDEUR" is not two currency codes such as USD/EUR');
    expect(message).toContain("line 4: expected 3 columns, found 4");
    expect(message).toContain('line 5: pair "GBP/GBP" names the same currency twice');
    expect(message).toContain('line 6: rate "-1" is not a positive decimal');
    expect(message).toContain("line 8: same date and pair as line 7");
    expect(await usdRates(db, workspace.id)).toEqual([]);

    const good = file(
      "good.csv",
      "date,pair,rate,source\n2026-11-20,USD/EUR,0.9200,Bank statement\n2026-11-20,EUR/GBP,0.8700,\n",
    );
    const first = await cli.run("fx", "import", good, "--workspace", workspace.id);
    expect(first.out).toContain("4 exchange rate(s) added, 0 updated, 0 unchanged");
    expect(await usdRates(db, workspace.id)).toMatchObject([
      { baseCurrency: "EUR", onDate: "2026-11-20", source: "Bank statement" },
    ]);
    const gbp = await db
      .select()
      .from(exchangeRates)
      .where(and(eq(exchangeRates.workspaceId, workspace.id), eq(exchangeRates.currency, "GBP")));
    expect(Number(gbp[0]!.rate)).toBeCloseTo(1 / 0.87, 9);
    expect((await cli.run("fx", "import", good, "--workspace", workspace.id)).out).toContain(
      "0 exchange rate(s) added, 0 updated, 4 unchanged",
    );
    const listed = await cli.run("fx", "list", "2026-11-30", "--workspace", workspace.id);
    expect(listed.out.split("\n")).toEqual([
      "1 GBP = 1.1494252874 EUR  (2026-11-20)",
      "1 USD = 0.92 EUR  (2026-11-20)",
    ]);
    expect((await cli.run("fx", "list", "2026-11-19", "--workspace", workspace.id)).out).toContain(
      "No exchange rate to EUR on or before 2026-11-19",
    );
  });

  it("an invoice in a currency without a rate says which rate is missing and how to add it; then it issues", async () => {
    const { db } = await testDatabase();
    const workspace = await createWorkspace(db);
    const client = await createClient(db, workspace.id, { currency: "USD", country: "US" });
    const deps = serviceDeps(db);
    const draft = await createInvoiceDraft(testCtx(deps, workspace.id), {
      clientId: client.id,
      lines: [
        { description: "Design sprint", quantityMilli: 1000, unitPriceMinor: 100_000, vatRateBp: 2100 },
      ],
    });
    const refused = await issueInvoice(testCtx(deps, workspace.id), {
      invoiceId: draft.invoice.id,
    }).catch((e: unknown) => e);
    const message = (refused as DomainError).userMessage;
    expect(message).toContain("No USD → EUR exchange rate on or before 2026-11-23");
    expect(message).toContain("cobro rates fx import FILE.csv");
    expect(message).toContain("2026-11-23,USD/EUR,RATE");
    const cli = cliRunner(ratesCommand, { deps, database: await testDatabase() });
    const path = join(cli.dataDir, "usd.csv");
    writeFileSync(path, "date,pair,rate\n2026-11-23,USD/EUR,0.9234\n");
    await cli.run("fx", "import", path, "--workspace", workspace.id);
    await issueInvoice(testCtx(deps, workspace.id), { invoiceId: draft.invoice.id });
    const [invoice] = await db.select().from(invoices).where(eq(invoices.id, draft.invoice.id));
    expect(invoice).toMatchObject({
      status: "issued",
      exchangeRateSource: "import",
      exchangeRateDate: "2026-11-23",
    });
    expect(Number(invoice!.exchangeRate)).toBe(0.9234);
  });
});
