// Milliseconds per invoice for the CII and the Factur-X (CII + PDF/A-3b with the XML embedded), next
// to the plain PDF, on this thread: `npm run bench:facturx -- [rounds]` prints p50 and p95, over the
// one-page documents of the e-invoice test matrix and, apart, its 90-line three-page invoice.
import { performance } from "node:perf_hooks";
import { buildCiiInvoice } from "../src/einvoice/cii-invoice.ts";
import { renderPdfInThread } from "../src/pdf/render-invoice.ts";
import { EINVOICE_MATRIX } from "../test/helpers/einvoice-matrix.ts";

const rounds = Number(process.argv[2] ?? 40);
const { "multi-page": multiPage, ...onePage } = EINVOICE_MATRIX;
type Doc = (typeof EINVOICE_MATRIX)[string];

async function measure(name: string, documents: Doc[], run: (doc: Doc) => unknown) {
  for (const doc of documents) await run(doc); // warm-up: fonts parsed, shared subset built
  const times: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const doc of documents) {
      const start = performance.now();
      await run(doc);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(2);
  console.log(
    `${name.padEnd(28)} p50 ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms   (${times.length} invoices)`,
  );
}

const input = (doc: Doc) => ({
  invoice: doc.invoice,
  lines: [...doc.lines],
  options: { correctsNumber: doc.preceding?.number },
});
const plain = (doc: Doc) => renderPdfInThread(input(doc));
const cii = (doc: Doc) => buildCiiInvoice(doc);
const facturX = (doc: Doc) =>
  renderPdfInThread({
    ...input(doc),
    facturX: { xml: buildCiiInvoice(doc), issueDate: doc.invoice.issueDate ?? "" },
  });

for (const [label, documents] of [
  [`${Object.keys(onePage).length} one-page documents`, Object.values(onePage)],
  ["90 lines, 3 pages", multiPage ? [multiPage] : []],
] as const) {
  console.log(`\n${label}`);
  await measure("plain PDF", [...documents], plain);
  await measure("CII only", [...documents], cii);
  await measure("Factur-X (CII + PDF/A-3b)", [...documents], facturX);
}
