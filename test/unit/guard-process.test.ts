import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const guard = fileURLToPath(new URL("../../src/http/guard-process.ts", import.meta.url));

/** Runs a small ES module in a fresh Node process (through tsx); its exit code and output. */
async function runScript(source: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", source],
      { cwd: fileURLToPath(new URL("../..", import.meta.url)) },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const strayErrors = (install: string) => `
  import { pino } from "pino";
  import { guardProcess } from ${JSON.stringify(guard)};
  const logger = pino({ level: "info" }, pino.destination(2));
  ${install}
  setTimeout(() => { throw new Error("stray callback"); }, 10);
  setTimeout(() => { Promise.reject(new Error("nobody awaits this")); }, 20);
  setTimeout(() => { console.log("still serving"); process.exit(0); }, 200);
`;

describe("the process guard of cobro serve", () => {
  it("logs an uncaught exception and an unhandled rejection and keeps the process up", async () => {
    const guarded = await runScript(strayErrors("guardProcess(logger);"));
    expect(guarded.code).toBe(0);
    expect(guarded.stdout).toContain("still serving");
    expect(guarded.stderr).toContain("uncaught exception: logged, Cobro keeps serving");
    expect(guarded.stderr).toContain("stray callback");
    expect(guarded.stderr).toContain("unhandled rejection: logged, Cobro keeps serving");
    // The same errors without the guard stop the process.
    const bare = await runScript(strayErrors(""));
    expect(bare.code).toBe(1);
    expect(bare.stdout).not.toContain("still serving");
  });

  it("exits with code 1 after a burst of errors (a state the process cannot serve from)", async () => {
    const burst = await runScript(`
      import { pino } from "pino";
      import { guardProcess } from ${JSON.stringify(guard)};
      const logger = pino({ level: "info" }, pino.destination(2));
      guardProcess(logger, { burst: 3, windowMs: 60_000, exit: (code) => process.exit(code) });
      for (const n of [1, 2, 3, 4]) setTimeout(() => { throw new Error("again " + n); }, n * 5);
      setTimeout(() => { console.log("still serving"); process.exit(0); }, 300);
    `);
    expect(burst.code).toBe(1);
    expect(burst.stderr).toContain("3 uncaught errors within a minute: exiting");
    expect(burst.stdout).not.toContain("still serving");
  });
});
