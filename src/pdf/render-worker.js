// A worker thread of the PDF render pool (render-pool.ts). Plain JavaScript so that it can register
// the TypeScript loader (as bin/cobro.js does) before importing the renderer.
import { parentPort } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { renderPdfInThread } = await import("./render-invoice.ts");
parentPort.postMessage({ ready: true });

parentPort.on("message", async ({ id, input }) => {
  try {
    const pdf = await renderPdfInThread(input);
    parentPort.postMessage({ id, pdf });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
