// Renders realistic sample invoices (French, Spanish) and a statement of account to PDF for docs/ and
// for eyeballing the layout: `node --import tsx bench/render-sample-invoice.ts [outDir]` writes
// invoice-fr.pdf, invoice-es.pdf, invoice-fr-facturx.pdf and statement-fr.pdf (default /tmp);
// `pdftoppm -png -r 80 -f 1 -l 1 invoice-fr.pdf docs/invoice-fr` makes the README image, and
// `pdftoppm -png -r 80 -singlefile invoice-fr-facturx.pdf docs/screenshots/facturx-invoice` the e-invoice one.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { computeInvoiceTotals, storedTotals, type VatCategory } from "../src/domain/invoice-totals.ts";
import { buildStatement } from "../src/domain/statement.ts";
import { verificationUrl } from "../src/domain/verifactu.ts";
import { buildCiiInvoice } from "../src/einvoice/cii-invoice.ts";
import {
  buildInvoicePdfModel,
  type InvoicePdfModel,
  type PrintableInvoice,
  type PrintableLine,
} from "../src/pdf/invoice-model.ts";
import { renderInvoicePdf } from "../src/pdf/render-invoice.ts";
import { renderStatementPdf, type StatementPdfInput } from "../src/pdf/render-statement.ts";

type LineSpec = {
  description: string;
  quantityMilli: number;
  unitCode: string;
  unitPriceMinor: number;
  vatRateBp: number;
  vatCategory?: VatCategory;
  exemptionReason?: string;
};

function sample(
  invoice: Omit<PrintableInvoice, keyof ReturnType<typeof computeInvoiceTotals> | "vatBreakdown">,
  specs: LineSpec[],
  withholdingRateBp = 0,
) {
  const lines = specs.map((l) => ({ vatCategory: "S" as VatCategory, ...l }));
  const totals = computeInvoiceTotals(lines, withholdingRateBp);
  const printable: PrintableInvoice = {
    ...invoice,
    ...storedTotals(totals),
  };
  const printableLines: PrintableLine[] = lines.map((l, i) => ({
    ...l,
    netMinor: totals.lineNetsMinor[i] ?? 0,
    periodStart: null,
    periodEnd: null,
  }));
  return { printable, printableLines };
}

export function frenchSample(): InvoicePdfModel {
  const { printable, printableLines } = frenchSampleData();
  return buildInvoicePdfModel(printable, printableLines);
}

/**
 * The same invoice as a Factur-X, with the reform's mentions showing: the seller opted for VAT on
 * debits and the work is delivered at the client's plant, not its accounts department.
 */
async function frenchFacturX(): Promise<Buffer> {
  const { printable, printableLines } = frenchSampleData();
  const invoice: PrintableInvoice = {
    ...printable,
    seller: { ...printable.seller!, vatOnDebits: true },
    buyer: {
      ...printable.buyer!,
      deliveryAddress: {
        line1: "Usine de Vénissieux, 12 rue du Progrès",
        postcode: "69200",
        city: "Vénissieux",
        country: "FR",
      },
    },
  };
  const xml = buildCiiInvoice({
    invoice: { ...invoice, typeCode: "380", paymentMeansCode: "58" },
    lines: printableLines,
  });
  return renderInvoicePdf(buildInvoicePdfModel(invoice, printableLines), {
    xml,
    issueDate: invoice.issueDate!,
  });
}

function frenchSampleData() {
  return sample(
    {
      kind: "invoice",
      number: "F-2026-00042",
      currency: "EUR",
      issueDate: "2026-11-23",
      dueDate: "2026-12-23",
      servicePeriodStart: "2026-11-01",
      servicePeriodEnd: "2026-11-20",
      baseCurrency: "EUR",
      exchangeRate: "1",
      exchangeRateDate: "2026-11-23",
      seller: {
        legalName: "Atelier Durand SAS",
        tradeName: "Atelier Durand",
        legalForm: "SAS",
        shareCapital: "10 000 €",
        rcs: "RCS Paris 123 456 789",
        siren: "123456789",
        vatId: "FR32123456789",
        address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
        email: "facturation@atelier-durand.example",
        phone: "+33 1 23 45 67 89",
        iban: "FR76 3000 6000 0112 3456 7890 189",
        bic: "AGRIFRPP",
        paymentLink: "https://pay.example/atelier-durand/F-2026-00042",
      },
      buyer: {
        name: "Industries Martin SA",
        address: {
          line1: "Service comptabilité fournisseurs",
          line2: "25 avenue Jean Jaurès",
          postcode: "69007",
          city: "Lyon",
          country: "FR",
        },
        country: "FR",
        taxId: "FR40303265045",
        siren: "303265045",
        emails: ["fournisseurs@industries-martin.example"],
        language: "fr",
        profile: "business",
        poReference: "BC-2026-1187",
      },
      paymentTermsDays: 30,
      paymentTermsRule: "net",
      correctionReason: null,
    },
    [
      {
        description: "Refonte du portail client — sprint 14 (développement et recette)",
        quantityMilli: 12_000,
        unitCode: "DAY",
        unitPriceMinor: 65_000,
        vatRateBp: 2000,
      },
      {
        description: "Atelier de cadrage UX avec les équipes métier",
        quantityMilli: 1500,
        unitCode: "DAY",
        unitPriceMinor: 80_000,
        vatRateBp: 2000,
      },
      {
        description: "Hébergement et supervision — novembre 2026",
        quantityMilli: 1000,
        unitCode: "MON",
        unitPriceMinor: 45_000,
        vatRateBp: 2000,
      },
      {
        description: "Formation des administrateurs (organisme de formation n° 11 75 12345 75)",
        quantityMilli: 7000,
        unitCode: "HUR",
        unitPriceMinor: 12_000,
        vatRateBp: 0,
        vatCategory: "E",
        exemptionReason: "Exonération de TVA, article 261-4-4° a du CGI",
      },
    ],
  );
}

export function spanishSample(): InvoicePdfModel {
  const { printable, printableLines } = sample(
    {
      kind: "invoice",
      number: "F-2026-00107",
      currency: "EUR",
      issueDate: "2026-11-23",
      dueDate: "2026-12-23",
      servicePeriodStart: "2026-11-01",
      servicePeriodEnd: "2026-11-20",
      baseCurrency: "EUR",
      exchangeRate: "1",
      exchangeRateDate: "2026-11-23",
      seller: {
        legalName: "Lucía Gómez Consultoría",
        nif: "12345678Z",
        vatId: "ES12345678Z",
        address: { line1: "Calle Mayor 1, 3º B", postcode: "28013", city: "Madrid", country: "ES" },
        email: "facturas@luciagomez.example",
        iban: "ES91 2100 0418 4502 0005 1332",
      },
      buyer: {
        name: "Distribuciones Norte SL",
        address: {
          line1: "Avenida de la Constitución 45",
          postcode: "41001",
          city: "Sevilla",
          country: "ES",
        },
        country: "ES",
        taxId: "B87654321",
        emails: ["proveedores@distnorte.example"],
        language: "es",
        profile: "business",
      },
      paymentTermsDays: 30,
      paymentTermsRule: "net",
      correctionReason: null,
    },
    [
      {
        description: "Consultoría de procesos — noviembre 2026",
        quantityMilli: 32_000,
        unitCode: "HUR",
        unitPriceMinor: 7500,
        vatRateBp: 2100,
      },
      {
        description: "Informe de auditoría de cumplimiento",
        quantityMilli: 1000,
        unitCode: "C62",
        unitPriceMinor: 120_000,
        vatRateBp: 2100,
      },
    ],
    1500,
  );
  // A VERI*FACTU record's verification URL, as render-invoice-document passes it for Spanish sellers.
  const verifactuQrUrl = verificationUrl({
    issuerNif: "12345678Z",
    seriesNumber: "F-2026-00107",
    issueDate: "2026-11-23",
    totalMinor: printable.totalMinor,
    currency: "EUR",
  });
  return buildInvoicePdfModel(printable, printableLines, { verifactuQrUrl });
}

/** The French client's statement of account a few weeks later: one invoice late, one not yet due. */
function frenchStatement(): StatementPdfInput {
  const french = frenchSample();
  const invoice = (
    number: string,
    issueDate: string,
    dueDate: string,
    totalMinor: number,
    openMinor: number,
  ) => ({
    number,
    issueDate,
    dueDate,
    currency: "EUR",
    totalMinor,
    openMinor,
  });
  return {
    ...buildStatement({
      asOf: "2026-12-28",
      edges: [30, 60, 90],
      invoices: [
        invoice("F-2026-00031", "2026-09-30", "2026-10-30", 540_000, 240_000),
        invoice("F-2026-00042", "2026-11-23", "2026-12-23", 1_130_400, 1_130_400),
        invoice("F-2026-00049", "2026-12-15", "2027-01-14", 360_000, 360_000),
      ],
    }),
    client: {
      name: "Industries Martin SA",
      address: { line1: "25 avenue Jean Jaurès", postcode: "69007", city: "Lyon", country: "FR" },
      language: "fr",
    },
    seller: {
      legalName: french.seller.lines[0] ?? "Atelier Durand SAS",
      address: { line1: "10 rue des Lilas", postcode: "75011", city: "Paris", country: "FR" },
      email: "facturation@atelier-durand.example",
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "AGRIFRPP",
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outDir = process.argv[2] ?? "/tmp";
  for (const [name, model] of [
    ["invoice-fr.pdf", frenchSample()],
    ["invoice-es.pdf", spanishSample()],
  ] as const) {
    const path = join(outDir, name);
    await writeFile(path, await renderInvoicePdf(model));
    console.log(`wrote ${path}`);
  }
  const facturX = join(outDir, "invoice-fr-facturx.pdf");
  await writeFile(facturX, await frenchFacturX());
  console.log(`wrote ${facturX}`);
  const statement = join(outDir, "statement-fr.pdf");
  await writeFile(statement, await renderStatementPdf(frenchStatement()));
  console.log(`wrote ${statement}`);
}
