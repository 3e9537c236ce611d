// `cobro doctor`'s line per Spanish seller: whether its invoices get VERI*FACTU records, and why not.
import type { Db } from "../db/client.ts";
import { verifactuScope } from "../domain/verifactu.ts";
import { listWorkspaces } from "../workspace/index.ts";
import { describeVerifactuScope } from "./verifactu-scope.ts";

export async function describeVerifactuScopes(db: Db): Promise<string[]> {
  const rows = await listWorkspaces(db);
  return rows.flatMap((row) => {
    const scope = verifactuScope(row.seller);
    return scope.applies || scope.spanish ? [`${row.name}: ${describeVerifactuScope(scope)}`] : [];
  });
}
