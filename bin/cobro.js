#!/usr/bin/env node
// Entry of the `cobro` command: runs the TypeScript sources through tsx (no build step).
import { register } from "tsx/esm/api";

register();
const { runCli } = await import("../src/main.ts");
process.exitCode = await runCli(process.argv.slice(2), process.env);
