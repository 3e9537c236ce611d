// Cobro's version, as package.json says: named in VERI*FACTU records (SistemaInformatico/Version).
import { readFileSync } from "node:fs";

export const COBRO_VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
