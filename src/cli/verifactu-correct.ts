// `cobro verifactu correct NUMBER`: re-sends, corrected, the record of an invoice that the AEAT
// refused or accepted with errors (Subsanacion; RechazoPrevio when it was refused).
import { DomainError } from "../domain/errors.ts";
import { correctVerifactuRecord } from "../invoicing/index.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";

export const verifactuCorrect: VerifactuSubcommand = {
  usage: "correct NUMBER [--workspace W]",
  values: ["workspace"],
  positionals: 1,
  run: async ({ openApp, out }, parsed) => {
    const [, seriesNumber] = parsed.positional;
    if (!seriesNumber) {
      throw new DomainError("cli.usage", "correct needs an invoice number", {
        userMessage: "Say which invoice's record to correct: cobro verifactu correct F-2026-0042.",
      });
    }
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const result = await correctVerifactuRecord(cliCtx(app, workspace.id), { seriesNumber });
    out(
      result.alreadyDone
        ? `The corrected record of ${result.seriesNumber} is already waiting to be sent.`
        : `Corrected record of ${result.seriesNumber} added to the chain (Subsanacion S, RechazoPrevio ${result.rechazoPrevio}): it goes with the next submission.`,
    );
    return EXIT.ok;
  },
};
