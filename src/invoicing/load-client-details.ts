// What `/cobro client <name>` shows: the client's details as the CSV columns name them.
import type { Ctx } from "../context.ts";
import { parseElectronicAddress } from "../domain/invoice-parties.ts";
import { assertAllowed } from "../domain/permissions.ts";
import { countOpenInvoicesOfClient, findClientByReference, memberEmails } from "./repo.ts";
import type { ClientModel } from "./slack/party-modals-view.ts";

const percent = (bp: number) => (bp === 0 ? "" : String(bp / 100));

export async function loadClientDetails(ctx: Ctx, input: { reference: string }): Promise<ClientModel> {
  const { db, workspaceId } = ctx;
  assertAllowed(ctx.actor, { action: "editParties" });
  const client = await findClientByReference(db, workspaceId, input.reference);
  const collectorId = client.collectorMemberId;
  const emails = await memberEmails(db, workspaceId, collectorId ? [collectorId] : []);
  const openInvoices = await countOpenInvoicesOfClient(db, workspaceId, client.id);
  const einvoice = parseElectronicAddress(client.electronicAddress) ?? { scheme: "", id: "" };
  const spanish = client.country === "ES" && client.taxId && !/^[A-Z]{2}/.test(client.taxId);
  return {
    id: client.id,
    externalId: client.externalId,
    profile: client.profile,
    currency: client.currency,
    openInvoices,
    values: {
      name: client.name,
      emails: client.emails.join("; "),
      country: client.country,
      language: client.language,
      payment_terms_days: String(client.paymentTermsDays),
      // A bare Spanish NIF is shown where it is typed; a VAT number in its own field.
      tax_id: spanish ? "" : (client.taxId ?? ""),
      nif: spanish ? (client.taxId ?? "") : "",
      siren: client.siren ?? "",
      address_line1: client.address?.line1 ?? "",
      address_line2: client.address?.line2 ?? "",
      postcode: client.address?.postcode ?? "",
      city: client.address?.city ?? "",
      purchase_order: client.poReference ?? "",
      irpf_rate: percent(client.withholdingRateBp),
      collector_email: collectorId ? (emails.get(collectorId) ?? "") : "",
      einvoice_scheme: einvoice.scheme,
      einvoice_id: einvoice.id,
      einvoice_attachments: client.einvoiceAttachments ?? "",
      delivery_line1: client.deliveryAddress?.line1 ?? "",
      delivery_line2: client.deliveryAddress?.line2 ?? "",
      delivery_postcode: client.deliveryAddress?.postcode ?? "",
      delivery_city: client.deliveryAddress?.city ?? "",
      delivery_country: client.deliveryAddress?.country ?? "",
      payment_method: client.paymentMethod ?? "",
    },
  };
}
