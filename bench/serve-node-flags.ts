// The node flags `npm start` gives `cobro serve` (package.json's start script: V8's heap bound), so
// a bench's Cobro processes run as the server does and its peak RSS is the server's.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  scripts: { start: string };
};

export const SERVE_NODE_FLAGS = packageJson.scripts.start.split(" ").filter((word) => word.startsWith("--"));

/** Runs this bench again with the server's node flags unless it already has them; returns when it has. */
export function runWithServeFlags(): void {
  if (SERVE_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) return;
  const rerun = spawnSync(
    process.execPath,
    [...process.execArgv, ...SERVE_NODE_FLAGS, ...process.argv.slice(1)],
    {
      stdio: "inherit",
    },
  );
  process.exit(rerun.status ?? 1);
}
