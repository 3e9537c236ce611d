// `cobro doctor`'s VERI*FACTU lines: per workspace that sends records, the certificate and its
// expiry, and the warnings (records not sent, records to correct, certificate expiring).
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import { verifactuWarnings } from "../domain/verifactu-backlog.ts";
import { AEAT_ENDPOINTS, loadVerifactuOverview } from "../invoicing/index.ts";

export async function describeVerifactu(db: Db, now: Date, aeat: Config["verifactuAeat"]): Promise<string[]> {
  const overview = await loadVerifactuOverview(db);
  if (overview.length === 0) return [];
  const lines = [
    `verifactu: records go to ${aeat.url ?? `the AEAT ${aeat.environment} service (${AEAT_ENDPOINTS[aeat.environment]})`}`,
  ];
  for (const { workspaceName, backlog } of overview) {
    const cert = backlog.certificate;
    lines.push(
      `  ${workspaceName}: ${cert ? `certificate of ${cert.subject} valid until ${cert.notAfter.toISOString().slice(0, 10)}` : "no certificate"}; ${backlog.unsent} record(s) waiting, ${backlog.rejected} refused, ${backlog.withErrors} accepted with errors`,
    );
    for (const warning of verifactuWarnings(backlog, now))
      lines.push(`warning: ${workspaceName}: ${warning}`);
  }
  return lines;
}
