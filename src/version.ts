// Cobro's version, as released (package.json): the VERI*FACTU system version and its declaración.
import { readFileSync } from "node:fs";

export const COBRO_VERSION = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** The day this version's declaración responsable was signed (Orden HAC/1177/2024 art. 15.1.l). */
export const DECLARACION_SIGNED_ON = "2026-12-03";
