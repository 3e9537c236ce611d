// Spanish invoices with their VERI*FACTU records in bulk, and the sending job's dependencies wired
// to the AEAT stand-in with the test client certificate.
import { readFileSync } from "node:fs";
import type { Clock } from "../../src/context.ts";
import { contextFor } from "../../src/context.ts";
import type { Db } from "../../src/db/client.ts";
import { invoices } from "../../src/db/schema/index.ts";
import { systemActor } from "../../src/domain/permissions.ts";
import { createAeatClient } from "../../src/invoicing/verifactu/aeat-client.ts";
import { appendVerifactuRecords } from "../../src/invoicing/verifactu/chain-repo.ts";
import type {
  VerifactuSendCtx,
  VerifactuSendDeps,
} from "../../src/invoicing/verifactu/send-verifactu-records.ts";
import type { AeatStandIn } from "./aeat-stand-in.ts";
import { serviceDeps } from "./deps.ts";
import { createClient } from "./factories.ts";
import type { TestPki } from "./test-pki.ts";

type Workspace = { id: string; seller: unknown };

/**
 * `count` issued invoices of the workspace's Spanish seller (F-0001…), 1,000.00 + 21 % each, and
 * their chained alta records, generated in one transaction as a bulk issue does.
 */
export async function issueSpanishRecords(db: Db, workspace: Workspace, count: number, now: Date) {
  const client = await createClient(db, workspace.id, {
    name: "Globex Ibérica SL",
    country: "ES",
    taxId: "ESB87654321",
  });
  const seller = workspace.seller as typeof invoices.$inferInsert.seller & { nif: string; legalName: string };
  const prefix = `F${Math.random().toString(36).slice(2, 6).toUpperCase()}-`;
  const rows = Array.from({ length: count }, (_, i) => ({
    workspaceId: workspace.id,
    clientId: client.id,
    status: "issued" as const,
    number: `${prefix}${String(i + 1).padStart(5, "0")}`,
    currency: "EUR",
    issueDate: now.toISOString().slice(0, 10),
    dueDate: now.toISOString().slice(0, 10),
    subtotalMinor: 100_000,
    vatMinor: 21_000,
    totalMinor: 121_000,
    openMinor: 121_000,
    vatBreakdown: [{ category: "S", rateBp: 2100, baseMinor: 100_000, vatMinor: 21_000 }],
    seller,
    buyer: {
      name: client.name,
      country: "ES",
      taxId: "ESB87654321",
      emails: [],
      language: "es" as const,
      profile: "business" as const,
    },
  }));
  const inserted: (typeof invoices.$inferSelect)[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    inserted.push(
      ...(await db
        .insert(invoices)
        .values(rows.slice(i, i + 500))
        .returning()),
    );
  }
  await db.transaction((tx) =>
    appendVerifactuRecords(
      tx,
      inserted.map((invoice) => ({
        workspaceId: workspace.id,
        invoiceId: invoice.id,
        issuerNif: seller.nif,
        issuerName: seller.legalName,
        seriesNumber: invoice.number ?? "",
        issueDate: invoice.issueDate ?? "",
        kind: "invoice" as const,
        vatMinor: invoice.vatMinor,
        totalMinor: invoice.totalMinor,
        currency: "EUR",
      })),
      now,
    ),
  );
  return inserted.map((i) => i.number ?? "");
}

/**
 * The sending job's dependencies: the stand-in's URL, its CA trusted, the test client certificate.
 * The client waits for an answer as long as in production unless told `timeoutMs` (a test of an
 * AEAT that never answers): the stand-in needs a second or more to check and answer 1,000 records
 * on a busy machine or under coverage.
 */
export function sendDeps(
  db: Db,
  standIn: AeatStandIn,
  pki: TestPki,
  clock: Clock,
  instanceId = "test-instance",
  timeoutMs?: number,
): VerifactuSendDeps {
  const post = createAeatClient({
    url: standIn.url,
    credentials: {
      format: "pkcs12",
      pfx: readFileSync(pki.clientP12File).toString("base64"),
      passphrase: pki.p12Password,
    },
    ca: pki.caPem,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return {
    ...serviceDeps(db, clock),
    aeatFor: async () => post,
    system: { version: "0.1.0" },
    instanceId,
  };
}

/** The sending ctx of one workspace, as the job builds it: the system acts, the ports stay. */
export function sendCtx(deps: VerifactuSendDeps, workspaceId: string): VerifactuSendCtx {
  return { ...deps, ...contextFor(deps, workspaceId, systemActor("verifactu-send")) };
}
