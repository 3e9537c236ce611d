// Records where a Spanish seller files (common territory, Canary Islands, País Vasco, Navarra) and
// whether it files through the SII: together they decide whether its invoices get VERI*FACTU records.
import { z } from "zod";
import type { Ctx } from "../../context.ts";
import { recordAudit } from "../../db/audit.ts";
import { DomainError, parseInput } from "../../domain/errors.ts";
import { assertAllowed, auditActorOf } from "../../domain/permissions.ts";
import { TAX_TERRITORIES, type VerifactuScope, verifactuScope } from "../../domain/verifactu.ts";
import { lockWorkspace, updateWorkspace } from "../../workspace/index.ts";

export const SetVerifactuScopeInput = z.object({
  taxTerritory: z.enum(TAX_TERRITORIES).optional(),
  siiFiler: z.boolean().optional(),
});
export type SetVerifactuScopeInput = z.input<typeof SetVerifactuScopeInput>;

export async function setVerifactuScope(ctx: Ctx, rawInput: SetVerifactuScopeInput): Promise<VerifactuScope> {
  assertAllowed(ctx.actor, { action: "configure" });
  const { workspaceId } = ctx;
  const input = parseInput(SetVerifactuScopeInput, rawInput);
  return ctx.db.transaction(async (tx) => {
    const workspace = await lockWorkspace(tx, workspaceId);
    if (!workspace.seller) {
      throw new DomainError("verifactu.no_seller", "workspace has no seller identity", {
        userMessage:
          "Set up your company first (/cobro setup in Slack): legal name, address and NIF or VAT id.",
      });
    }
    if (input.taxTerritory === undefined && input.siiFiler === undefined)
      return verifactuScope(workspace.seller);
    const seller = {
      ...workspace.seller,
      ...(input.taxTerritory !== undefined ? { taxTerritory: input.taxTerritory } : {}),
      ...(input.siiFiler !== undefined ? { siiFiler: input.siiFiler } : {}),
    };
    await updateWorkspace(tx, workspace.id, { seller });
    await recordAudit(tx, {
      workspaceId: workspace.id,
      actor: auditActorOf(ctx.actor),
      action: "workspace.verifactu_scope",
      entity: "workspace",
      entityId: workspace.id,
      before: {
        taxTerritory: workspace.seller.taxTerritory ?? null,
        siiFiler: workspace.seller.siiFiler ?? null,
      },
      after: { taxTerritory: seller.taxTerritory ?? null, siiFiler: seller.siiFiler ?? null },
    });
    return verifactuScope(seller);
  });
}
