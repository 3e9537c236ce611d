// The frame of every collections button (pause, promise, dispute, assign, remind now, approve the
// formal notice): one transaction on a receivable invoice, then the claimed deliveries handed to
// the queue once it has committed.
import type { ServiceDeps } from "../context.ts";
import type { Db } from "../db/client.ts";
import { type CollectionTarget, loadCollectionTarget } from "./load-collection-target.ts";

export async function runCollectionAction<R>(
  deps: ServiceDeps,
  input: { workspaceId: string; invoiceId: string },
  act: (tx: Db, target: CollectionTarget) => Promise<{ result: NoInfer<R>; ids: string[] }>,
): Promise<R> {
  const { result, ids } = await deps.db.transaction(async (tx) =>
    act(tx, await loadCollectionTarget(tx, input.workspaceId, input.invoiceId, deps.now())),
  );
  if (ids.length > 0) await deps.enqueue(ids);
  return result;
}
