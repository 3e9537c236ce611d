// The declaración responsable shown in the system itself (RD 1007/2023 art. 13.2): for this
// version, by its producer: whoever runs Cobro for others (COBRO_VERIFACTU_PRODUCER_*), else the
// company running its own Cobro, which is then its own system's producer.
import type { Ctx } from "../../context.ts";
import { buildDeclaracionResponsable, type Declaracion } from "../../domain/declaracion-responsable.ts";
import { spanishNif } from "../../domain/verifactu.ts";
import { VERIFACTU_SYSTEM } from "../../einvoice/verifactu-submission.ts";
import { COBRO_VERSION, DECLARACION_SIGNED_ON } from "../../version.ts";
import { findWorkspaceById } from "../../workspace/index.ts";

export type VerifactuProducer = { name: string; nif: string; address?: string | undefined };

/** Anyone may read it (no permission check): the law wants it shown in the system itself. */
export async function loadDeclaracionResponsable(
  ctx: Ctx,
  input: { producer?: VerifactuProducer | undefined },
): Promise<Declaracion & { complete: boolean }> {
  const workspace = await findWorkspaceById(ctx.db, ctx.workspaceId);
  const seller = workspace?.seller;
  const sellerAddress = seller?.address
    ? [
        seller.address.line1,
        seller.address.line2,
        `${seller.address.postcode} ${seller.address.city}`,
        "España",
      ]
        .filter(Boolean)
        .join(", ")
    : undefined;
  const producer = input.producer
    ? { name: input.producer.name, nif: input.producer.nif, address: input.producer.address }
    : { name: seller?.legalName, nif: seller ? spanishNif(seller) : undefined, address: sellerAddress };
  const missing = "(sin declarar: complételo en la configuración de Cobro)";
  const city = input.producer ? undefined : seller?.address?.city;
  const declaration = buildDeclaracionResponsable({
    system: { name: VERIFACTU_SYSTEM.name, id: VERIFACTU_SYSTEM.id, version: COBRO_VERSION },
    producer: {
      name: producer.name ?? missing,
      nif: producer.nif ?? missing,
      address: producer.address ?? missing,
    },
    signed: { date: DECLARACION_SIGNED_ON, place: city ? `${city} (España)` : "España" },
  });
  return { ...declaration, complete: Boolean(producer.name && producer.nif && producer.address) };
}
