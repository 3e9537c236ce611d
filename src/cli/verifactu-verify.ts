// `cobro verifactu verify [--nif X]`: walks each chain and reports its first broken record.

import { verifyVerifactuChains } from "../invoicing/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";

export const verifactuVerify: VerifactuSubcommand = {
  usage: "verify [--nif NIF] [--workspace W]",
  values: ["nif", "workspace"],
  run: async ({ openApp, out }, parsed) => {
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const nif = stringFlag(parsed, "nif");
    const chains = await verifyVerifactuChains(cliCtx(app, workspace.id), { issuerNif: nif });
    if (chains.length === 0) {
      out(nif ? `No VERI*FACTU record for NIF ${nif.toUpperCase()}.` : "No VERI*FACTU record yet.");
      return EXIT.ok;
    }
    for (const chain of chains) {
      if (!chain.broken) {
        out(
          `Chain of ${chain.issuerNif}: ${chain.records} record(s), intact (every hash recomputed, every link and the time order checked).`,
        );
        continue;
      }
      const { sequence, seriesNumber, kind, problems } = chain.broken;
      out(
        `Chain of ${chain.issuerNif}: BROKEN at record ${sequence} (${kind} of ${seriesNumber || "no invoice"}):`,
      );
      for (const problem of problems) out(`  - ${problem}`);
    }
    return chains.some((chain) => chain.broken) ? EXIT.failed : EXIT.ok;
  },
};
