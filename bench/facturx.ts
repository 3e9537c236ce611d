// Milliseconds per invoice for the CII and the Factur-X (CII + PDF/A-3b with the XML embedded), next
// to the plain PDF, on this thread: `node --import tsx bench/facturx.ts [rounds]` prints p50 and p95.
import { performance } from "node:perf_hooks";
import { buildCiiInvoice } from "../src/einvoice/cii-invoice.ts";
import { renderPdfInThread } from "../src/pdf/render-in-thread.ts";
import { EINVOICE_MATRIX } from "../test/helpers/einvoice-matrix.ts";

const rounds = Number(process.argv[2] ?? 40);
const documents = Object.values(EINVOICE_MATRIX);

async function measure(name: string, run: (doc: (typeof documents)[number]) => unknown) {
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

const input = (doc: (typeof documents)[number]) => ({
  invoice: doc.invoice,
  lines: [...doc.lines],
  options: { correctsNumber: doc.preceding?.number },
});

await measure("plain PDF", (doc) => renderPdfInThread(input(doc)));
await measure("CII only", (doc) => buildCiiInvoice(doc));
await measure("Factur-X (CII + PDF/A-3b)", (doc) =>
  renderPdfInThread({
    ...input(doc),
    facturX: { xml: buildCiiInvoice(doc), issueDate: doc.invoice.issueDate ?? "" },
  }),
);
