import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openEmbedded } from "../../src/db/client.ts";
import { isMigrated, runMigrations } from "../../src/db/migrate.ts";
import { DomainError } from "../../src/domain/errors.ts";

// Runs once (in the pglite project only): it opens a real on-disk PGlite, which is slow.
describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("embedded database directory", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-embedded-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("is created and migrated on first open, persists, and refuses a second opener clearly", async () => {
    const first = await openEmbedded(dataDir);
    try {
      expect(await isMigrated(first)).toBe(false);
      await runMigrations(first);
      expect(await isMigrated(first)).toBe(true);

      const second = openEmbedded(dataDir);
      await expect(second).rejects.toBeInstanceOf(DomainError);
      await expect(second).rejects.toMatchObject({
        code: "db.embedded_in_use",
        userMessage: expect.stringContaining("already open in another Cobro process"),
      });
    } finally {
      await first.close();
    }

    // A lock left by a process that no longer exists is taken over; the data is still there.
    writeFileSync(join(dataDir, "cobro.lock"), "999999999");
    const reopened = await openEmbedded(dataDir);
    try {
      expect(await isMigrated(reopened)).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});
