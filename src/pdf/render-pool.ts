// Renders PDFs on worker threads, so that a server's event loop (Slack acks, webhooks) never waits
// behind pdfkit, and invoices render on every core. Workers start on first use and do not keep the
// process alive; a worker that dies fails only its own pending renders and is replaced.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { PdfInput, PdfRenderer } from "./render-invoice.ts";

type Pending = { resolve: (pdf: Buffer) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; pending: Map<number, Pending>; loaded: Promise<void> };

export type PdfRenderPool = PdfRenderer & {
  /** Starts every worker and waits until each has loaded the renderer (a server does it at start). */
  ready: () => Promise<void>;
  close: () => Promise<void>;
};

export function createPdfRenderPool(size = availableParallelism()): PdfRenderPool {
  const slots: (Slot | undefined)[] = Array.from({ length: Math.max(1, size) }, () => undefined);
  let nextId = 0;
  let closed = false;

  const start = (index: number): Slot => {
    const worker = new Worker(new URL("./render-worker.js", import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 64 },
    });
    worker.unref();
    let loaded = (): void => {};
    const slot: Slot = { worker, pending: new Map(), loaded: new Promise((resolve) => (loaded = resolve)) };
    const failAll = (error: Error) => {
      for (const pending of slot.pending.values()) pending.reject(error);
      slot.pending.clear();
      if (slots[index] === slot) slots[index] = undefined;
    };
    worker.on("message", (message: { id: number; pdf?: Uint8Array; error?: string; ready?: true }) => {
      if (message.ready) return loaded();
      const pending = slot.pending.get(message.id);
      if (!pending) return;
      slot.pending.delete(message.id);
      if (message.pdf)
        pending.resolve(Buffer.from(message.pdf.buffer, message.pdf.byteOffset, message.pdf.length));
      else pending.reject(new Error(`PDF rendering failed: ${message.error ?? "unknown error"}`));
    });
    worker.on("error", (error) => {
      loaded();
      failAll(error);
    });
    worker.on("exit", (code) => {
      loaded();
      failAll(new Error(`PDF render worker exited with code ${code}`));
    });
    slots[index] = slot;
    return slot;
  };

  const render = (input: PdfInput): Promise<Buffer> => {
    if (closed) return Promise.reject(new Error("the PDF render pool is closed"));
    // The least busy worker takes it.
    let index = 0;
    for (let i = 1; i < slots.length; i++) {
      if ((slots[i]?.pending.size ?? 0) < (slots[index]?.pending.size ?? 0)) index = i;
    }
    const slot = slots[index] ?? start(index);
    const id = nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, input });
    }).finally(() => {
      if (slot.pending.size === 0) slot.worker.unref();
    });
  };

  return Object.assign(render, {
    ready: async () => {
      await Promise.all(slots.map((slot, index) => (slot ?? start(index)).loaded));
    },
    close: async () => {
      closed = true;
      await Promise.all(slots.map((slot) => slot?.worker.terminate()));
    },
  });
}
