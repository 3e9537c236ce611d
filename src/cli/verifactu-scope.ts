// `cobro verifactu scope`: shows whether the seller's invoices get VERI*FACTU records and why;
// --territory and --sii change it.
import { DomainError } from "../domain/errors.ts";
import type { VerifactuScope } from "../domain/verifactu.ts";
import { setVerifactuScope } from "../invoicing/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";

const TERRITORIES = {
  common: "common",
  canarias: "canarias",
  "pais-vasco": "pais_vasco",
  navarra: "navarra",
} as const;

export const verifactuScopeCommand: VerifactuSubcommand = {
  usage: "scope [--territory common|canarias|pais-vasco|navarra] [--sii yes|no] [--workspace W]",
  values: ["territory", "sii", "workspace"],
  run: async ({ openApp, out }, parsed) => {
    const territoryFlag = stringFlag(parsed, "territory");
    const siiFlag = stringFlag(parsed, "sii");
    const territory = territoryFlag ? TERRITORIES[territoryFlag as keyof typeof TERRITORIES] : undefined;
    if (territoryFlag && !territory) {
      throw refuse(`Unknown territory "${territoryFlag}": use ${Object.keys(TERRITORIES).join(", ")}.`);
    }
    if (siiFlag && siiFlag !== "yes" && siiFlag !== "no")
      throw refuse(`--sii takes yes or no, not "${siiFlag}".`);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const scope = await setVerifactuScope(cliCtx(app, workspace.id), {
      ...(territory ? { taxTerritory: territory } : {}),
      ...(siiFlag ? { siiFiler: siiFlag === "yes" } : {}),
    });
    out(describeVerifactuScope(scope));
    return EXIT.ok;
  },
};

export function describeVerifactuScope(scope: VerifactuScope): string {
  if (scope.applies) {
    return `VERI*FACTU: on for NIF ${scope.nif}; records timed in ${scope.timeZone}${scope.canarias ? ", tax IGIC" : ""}.`;
  }
  return `VERI*FACTU: off: ${scope.reason}.`;
}

function refuse(message: string): DomainError {
  return new DomainError("cli.usage", message, { userMessage: message });
}
