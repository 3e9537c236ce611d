import type { Db } from "./client.ts";

class Rollback extends Error {}

/**
 * Runs `work` in one transaction and commits it only when `work` answers true; otherwise everything
 * it wrote is rolled back (a dry run, a file with errors). Returns whether it committed.
 */
export async function commitIf(db: Db, work: (tx: Db) => Promise<boolean>): Promise<boolean> {
  try {
    await db.transaction(async (tx) => {
      if (!(await work(tx))) throw new Rollback();
    });
    return true;
  } catch (error) {
    if (error instanceof Rollback) return false;
    throw error;
  }
}
