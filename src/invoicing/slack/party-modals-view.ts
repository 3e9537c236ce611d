// The `/cobro client` and `/cobro project` modals: what Cobro knows, editable. Each input's block_id
// is the CSV column of the same value, so the service's field errors land next to their field.

import {
  type Block,
  context,
  fields,
  header,
  LIMITS,
  type ModalView,
  modal,
  option,
  plain,
  slackText,
} from "../../slack/kit/blocks.ts";
import { CALLBACKS, encodeModalMetadata } from "../../slack/kit/ids.ts";

export const PARTY_FIELD_ACTION = "value";

export type ClientModel = {
  id: string;
  externalId: string;
  profile: string;
  currency: string;
  openInvoices: number;
  /** Current values by CSV column name. */
  values: Record<string, string>;
};

export type ProjectModel = {
  id: string;
  code: string;
  clientName: string;
  billingMode: string;
  currency: string;
  values: Record<string, string>;
};

type FieldSpec = { column: string; label: string; hint?: string; placeholder?: string; max: number };

function textField(spec: FieldSpec, value: string, optional: boolean): Block {
  return {
    type: "input",
    block_id: spec.column,
    optional,
    label: plain(spec.label, LIMITS.inputLabel),
    ...(spec.hint ? { hint: plain(spec.hint, LIMITS.inputLabel) } : {}),
    element: {
      type: "plain_text_input",
      action_id: PARTY_FIELD_ACTION,
      max_length: spec.max,
      ...(value ? { initial_value: value.slice(0, spec.max) } : {}),
      ...(spec.placeholder ? { placeholder: plain(spec.placeholder, LIMITS.placeholder) } : {}),
    },
  };
}

const LANGUAGES = [option("English", "en"), option("Français", "fr"), option("Español", "es")];
const PAYMENT_METHODS = [
  option("Bank transfer", "transfer"),
  option("Card", "card"),
  option("Direct debit", "direct_debit"),
  option("Cheque", "cheque"),
  option("Cash", "cash"),
  option("Other", "other"),
];

const EINVOICE_ATTACHMENTS = [
  option("Factur-X PDF (CII inside)", "facturx"),
  option("PDF and a UBL file", "ubl"),
  option("Factur-X PDF and a UBL file", "both"),
];

function selectField(
  column: string,
  label: string,
  options: typeof LANGUAGES,
  value: string,
  hint?: string,
): Block {
  const initial = options.find((o) => o.value === value);
  return {
    type: "input",
    block_id: column,
    // A select without a value left unset keeps Cobro's default.
    ...(hint ? { optional: true, hint: plain(hint, LIMITS.inputLabel) } : {}),
    label: plain(label),
    element: {
      type: "static_select",
      action_id: PARTY_FIELD_ACTION,
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

export function buildClientModal(model: ClientModel): ModalView {
  const v = model.values;
  const t = (spec: FieldSpec, optional = true) => textField(spec, v[spec.column] ?? "", optional);
  const blocks: Block[] = [
    fields([
      slackText`*Id*\n${model.externalId}`,
      `*Profile*\n${model.profile}`,
      `*Currency*\n${model.currency}`,
      `*Open invoices*\n${model.openInvoices}`,
    ]),
    t({ column: "name", label: "Name on invoices", max: 200 }, false),
    t({ column: "emails", label: "Billing e-mails", hint: "Separated by ; or spaces.", max: 2000 }),
    header("Address"),
    t({ column: "address_line1", label: "Street address", max: 200 }),
    t({ column: "address_line2", label: "Address line 2", max: 200 }),
    t({ column: "postcode", label: "Postcode", max: 20 }),
    t({ column: "city", label: "City", max: 100 }),
    t({ column: "country", label: "Country code", placeholder: "ES", max: 2 }, false),
    header("Legal ids"),
    t({ column: "tax_id", label: "VAT number", placeholder: "FR40303265045", max: 32 }),
    t({ column: "siren", label: "SIREN (France)", placeholder: "732829320", max: 11 }),
    t({ column: "nif", label: "NIF / CIF / NIE (Spain)", placeholder: "B12345674", max: 12 }),
    header("Invoicing"),
    selectField("language", "Language of invoices", LANGUAGES, v.language ?? "en"),
    t({ column: "payment_terms_days", label: "Payment terms (days)", max: 3 }),
    selectField("payment_method", "Payment method", PAYMENT_METHODS, v.payment_method || "transfer"),
    t({ column: "purchase_order", label: "Purchase order", max: 100 }),
    t({ column: "irpf_rate", label: "IRPF withheld (%)", hint: "Spanish business clients: 15, 7…", max: 6 }),
    t({
      column: "einvoice_scheme",
      label: "E-invoicing scheme",
      hint: "EAS code: 0009 SIRET, 0002 SIREN, 0225 French directory, 0088 GLN, 9920 Spanish NIF, EM e-mail.",
      max: 4,
    }),
    t({ column: "einvoice_id", label: "E-invoicing address", max: 100 }),
    selectField(
      "einvoice_attachments",
      "Invoice e-mails carry",
      EINVOICE_ATTACHMENTS,
      v.einvoice_attachments ?? "",
      "Unset: Factur-X from a French company, a UBL file for businesses.",
    ),
    header("Delivery address (if not the address above)"),
    t({ column: "delivery_line1", label: "Delivery street address", max: 200 }),
    t({ column: "delivery_line2", label: "Delivery address line 2", max: 200 }),
    t({ column: "delivery_postcode", label: "Delivery postcode", max: 20 }),
    t({ column: "delivery_city", label: "Delivery city", max: 100 }),
    t({ column: "delivery_country", label: "Delivery country code", placeholder: "FR", max: 2 }),
    header("Collections"),
    t({ column: "collector_email", label: "Collector's e-mail", hint: "Who chases this client.", max: 254 }),
    context("Each value is checked like the client CSV (`cobro import clients`)."),
  ];
  return modal({
    callbackId: CALLBACKS.editClient,
    title: "Client",
    submit: "Save",
    blocks,
    privateMetadata: encodeModalMetadata({ clientId: model.id }),
  });
}

export function buildProjectModal(model: ProjectModel): ModalView {
  const v = model.values;
  const t = (spec: FieldSpec, optional = true) => textField(spec, v[spec.column] ?? "", optional);
  const blocks: Block[] = [
    fields([
      slackText`*Code*\n${model.code}`,
      slackText`*Client*\n${model.clientName}`,
      `*Billing*\n${model.billingMode === "time" ? "time and materials" : "fixed (milestones)"}`,
      `*Currency*\n${model.currency}`,
    ]),
    t({ column: "name", label: "Project name", max: 200 }, false),
    t({ column: "pm_email", label: "Project manager's e-mail", max: 254 }),
    t({ column: "approver_email", label: "Timesheet approver's e-mail", max: 254 }),
    t({ column: "hourly_rate", label: `Hourly rate (${model.currency})`, placeholder: "85.50", max: 20 }),
    t({ column: "slack_channel", label: "Slack channel id", placeholder: "C0123ABCD", max: 20 }),
    context("Each value is checked like the project CSV (`cobro import projects`)."),
  ];
  return modal({
    callbackId: CALLBACKS.editProject,
    title: "Project",
    submit: "Save",
    blocks,
    privateMetadata: encodeModalMetadata({ projectId: model.id }),
  });
}
