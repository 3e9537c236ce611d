// `cobro verifactu send`: sends the waiting records now, as the job of `cobro serve` does, and says
// how it went (the AEAT's pacing still applies: records wait out TiempoEsperaEnvio).
import { hostname } from "node:os";
import { aeatClients, sendWaitingVerifactuRecords } from "../invoicing/index.ts";
import { createCipher, resolveEncryptionKey } from "../secrets.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";
import { COBRO_VERSION } from "./version.ts";

export const verifactuSend: VerifactuSubcommand = {
  usage: "send [--workspace W]",
  values: ["workspace"],
  run: async ({ openApp, out, config }, parsed) => {
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const ctx = {
      ...cliCtx(app, workspace.id),
      aeatFor: aeatClients(app.db, createCipher(resolveEncryptionKey(config)), config.verifactuAeat),
      system: { version: COBRO_VERSION, producer: config.verifactuProducer },
      instanceId: `cli:${hostname()}:${process.pid}`,
    };
    const results = await sendWaitingVerifactuRecords(ctx, {});
    if (results.length === 0) {
      out("No VERI*FACTU record is waiting to be sent.");
      return EXIT.ok;
    }
    let failed = false;
    for (const { issuerNif, outcome } of results) {
      const line = {
        nothing: () => "nothing to send",
        busy: () => "another instance is sending them right now",
        noCertificate: () =>
          "not sent: import the taxpayer's certificate first (cobro verifactu cert import FILE)",
        waiting: (o: {
          until: Date;
          waiting: number;
          failing?: { since: Date; lastError: string | null };
        }) =>
          o.failing
            ? `sending fails since ${o.failing.since.toISOString()} (${o.failing.lastError ?? "no answer"}); ${o.waiting} record(s) wait, next try at ${o.until.toISOString()}`
            : `${o.waiting} record(s) wait until ${o.until.toISOString()} (the AEAT's TiempoEsperaEnvio)`,
        sent: (o: {
          records: number;
          accepted: number;
          withErrors: number;
          rejected: number;
          waiting: number;
        }) =>
          `${o.records} record(s) sent: ${o.accepted} accepted, ${o.withErrors} accepted with errors, ${o.rejected} refused; ${o.waiting} still waiting`,
        failed: (o: { error: string; retryAt: Date; waiting: number }) =>
          `sending failed (${o.error}); ${o.waiting} record(s) wait, next try at ${o.retryAt.toISOString()}`,
      }[outcome.status](outcome as never);
      failed ||=
        outcome.status === "failed" ||
        outcome.status === "noCertificate" ||
        (outcome.status === "waiting" && outcome.failing !== undefined);
      out(`${issuerNif}: ${line}.`);
    }
    return failed ? EXIT.failed : EXIT.ok;
  },
};
