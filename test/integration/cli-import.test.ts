// The one test that opens its own embedded database: the CLI needs a data directory.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/main.ts";
import { backend } from "../helpers/db.ts";

const dataDir = mkdtempSync(join(tmpdir(), "cobro-cli-"));
const env = { COBRO_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, env, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

// Each command opens (and migrates) an embedded database on disk: seconds, not milliseconds.
const SLOW = 180_000;

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.runIf(backend() === "pglite")("cobro import and demo from the command line", () => {
  it(
    "exits 2 and lists every bad row for a bad CSV, then imports a good one and re-imports it",
    async () => {
      const bad = await cli("import", "clients", fixture("clients-with-errors.csv"));
      expect(bad.code).toBe(2);
      expect(bad.err).toContain("nothing was imported");
      expect(bad.err).toContain("line 3, column profile: must be one of public, business, individual");
      expect(bad.err).toContain("line 5, column country:");
      expect(bad.err).toContain("line 6, column external_id: repeats line 2");
      expect(bad.err).not.toMatch(/at .*\.ts:\d+/);

      const dry = await cli("import", "clients", fixture("clients.csv"), "--dry-run");
      expect(dry.code).toBe(0);
      expect(dry.out).toMatch(/Dry run, nothing written: 4 clients row\(s\).*4 created/);

      const first = await cli("import", "clients", fixture("clients.csv"));
      expect(first.out).toContain("4 created, 0 updated, 0 unchanged");
      // The one unknown collector_email became a collector, not a PM: the summary says what it did.
      expect(first.out).toContain(
        "1 new member(s) from the e-mails in the file, named after their e-mail until you import them as people",
      );
      expect(first.out).not.toContain("as PM");
      const again = await cli("import", "clients", fixture("clients.csv"));
      expect(again.out).toContain("0 created, 0 updated, 4 unchanged");

      const semicolons = join(dataDir, "milestones.csv");
      writeFileSync(semicolons, "project_code;name;amount\nnope;Design;1.234,56\n");
      const missing = await cli("import", "milestones", semicolons, "--decimal-comma");
      expect(missing.code).toBe(2);
      expect(missing.err).toContain('line 2, column project_code: no project "nope" in this workspace');

      expect((await cli("import", "clients")).code).toBe(2);
      expect((await cli("import", "widgets", semicolons)).code).toBe(2);
      const noFile = await cli("import", "clients", join(dataDir, "absent.csv"));
      expect([noFile.code, noFile.err]).toEqual([2, expect.stringContaining("no such file")]);
    },
    SLOW,
  );

  it(
    "demo refuses the now non-empty workspace with exit code 2, and seeds with --force",
    async () => {
      const refused = await cli("demo");
      expect(refused.code).toBe(2);
      expect(refused.err).toContain("--force");
      const forced = await cli("demo", "--force");
      expect(forced.err).toBe("");
      expect(forced.code).toBe(0);
      expect(forced.out).toMatch(/open invoices by age: not due: \d+, 1-30: \d+/);
    },
    SLOW,
  );
});
