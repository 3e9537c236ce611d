// The `/cobro client` and `/cobro project` modals: what Cobro knows, editable, in the reader's
// language. Each input's block_id is the CSV column of the same value, so the verb's field errors
// land next to their field.

import { type Locale, type MessageKey, t } from "../../i18n/index.ts";
import {
  type Block,
  context,
  fields,
  header,
  LIMITS,
  type ModalView,
  modal,
  option,
  type PlainOption,
  plain,
} from "../../slack/kit/blocks.ts";
import { CALLBACKS, encodeModalMetadata } from "../../slack/kit/ids.ts";
import { md } from "../../slack/kit/support.ts";

export const PARTY_FIELD_ACTION = "value";

/** What both modals show: the row, its currency and its current values by CSV column name. */
type PartyModel = { id: string; currency: string; values: Record<string, string> };
export type ClientModel = PartyModel & { externalId: string; profile: string; openInvoices: number };
export type ProjectModel = PartyModel & { code: string; clientName: string; billingMode: string };

type FieldSpec = { column: string; label: string; hint?: MessageKey; placeholder?: string; max: number };

function textField(spec: FieldSpec, value: string, optional: boolean, locale: Locale): Block {
  return {
    type: "input",
    block_id: spec.column,
    optional,
    label: plain(spec.label, LIMITS.inputLabel),
    ...(spec.hint ? { hint: plain(t(locale, spec.hint), LIMITS.inputLabel) } : {}),
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
const PAYMENT_METHODS = ["transfer", "card", "direct_debit", "cheque", "cash", "other"];
const EINVOICE_ATTACHMENTS = ["facturx", "ubl", "both"];

function selectField(
  input: { column: string; label: string; hint?: MessageKey },
  options: PlainOption[],
  value: string,
  locale: Locale,
): Block {
  const initial = options.find((o) => o.value === value);
  return {
    type: "input",
    block_id: input.column,
    // A select without a value left unset keeps Cobro's default.
    ...(input.hint ? { optional: true, hint: plain(t(locale, input.hint), LIMITS.inputLabel) } : {}),
    label: plain(input.label),
    element: {
      type: "static_select",
      action_id: PARTY_FIELD_ACTION,
      options,
      ...(initial ? { initial_option: initial } : {}),
    },
  };
}

/** A text input of the client modal, labelled by its column's catalogue entry. */
type ClientColumn =
  | "name"
  | "emails"
  | "address_line1"
  | "address_line2"
  | "postcode"
  | "city"
  | "country"
  | "tax_id"
  | "siren"
  | "nif"
  | "payment_terms_days"
  | "purchase_order"
  | "irpf_rate"
  | "einvoice_scheme"
  | "einvoice_id"
  | "delivery_line1"
  | "delivery_line2"
  | "delivery_postcode"
  | "delivery_city"
  | "delivery_country"
  | "collector_email";

export function buildClientModal(model: ClientModel, locale: Locale): ModalView {
  const v = model.values;
  const text = (
    column: ClientColumn,
    spec: { max: number; hint?: MessageKey; placeholder?: string },
    optional = true,
  ) =>
    textField(
      { column, label: t(locale, `invoicing.client.field.${column}`), ...spec },
      v[column] ?? "",
      optional,
      locale,
    );
  const options = (
    values: string[],
    key: "invoicing.client.payment_method" | "invoicing.client.attachments",
  ) => values.map((value) => option(t(locale, key, { method: value, what: value }), value));
  const blocks: Block[] = [
    fields([
      md(locale, "invoicing.client.facts.id", { id: model.externalId }),
      md(locale, "invoicing.client.facts.profile", { profile: model.profile }),
      md(locale, "invoicing.client.facts.currency", { currency: model.currency }),
      md(locale, "invoicing.client.facts.open", { count: model.openInvoices }),
    ]),
    text("name", { max: 200 }, false),
    text("emails", { hint: "invoicing.client.hint.emails", max: 2000 }),
    header(t(locale, "invoicing.client.header.address")),
    text("address_line1", { max: 200 }),
    text("address_line2", { max: 200 }),
    text("postcode", { max: 20 }),
    text("city", { max: 100 }),
    text("country", { placeholder: "ES", max: 2 }, false),
    header(t(locale, "invoicing.client.header.legal")),
    text("tax_id", { placeholder: "FR40303265045", max: 32 }),
    text("siren", { placeholder: "732829320", max: 11 }),
    text("nif", { placeholder: "B12345674", max: 12 }),
    header(t(locale, "invoicing.client.header.invoicing")),
    selectField(
      { column: "language", label: t(locale, "invoicing.client.field.language") },
      LANGUAGES,
      v.language ?? "en",
      locale,
    ),
    text("payment_terms_days", { max: 3 }),
    selectField(
      { column: "payment_method", label: t(locale, "invoicing.client.field.payment_method") },
      options(PAYMENT_METHODS, "invoicing.client.payment_method"),
      v.payment_method || "transfer",
      locale,
    ),
    text("purchase_order", { max: 100 }),
    text("irpf_rate", { hint: "invoicing.client.hint.irpf_rate", max: 6 }),
    text("einvoice_scheme", { hint: "invoicing.client.hint.einvoice_scheme", max: 4 }),
    text("einvoice_id", { max: 100 }),
    selectField(
      {
        column: "einvoice_attachments",
        label: t(locale, "invoicing.client.field.einvoice_attachments"),
        hint: "invoicing.client.hint.einvoice_attachments",
      },
      options(EINVOICE_ATTACHMENTS, "invoicing.client.attachments"),
      v.einvoice_attachments ?? "",
      locale,
    ),
    header(t(locale, "invoicing.client.header.delivery")),
    text("delivery_line1", { max: 200 }),
    text("delivery_line2", { max: 200 }),
    text("delivery_postcode", { max: 20 }),
    text("delivery_city", { max: 100 }),
    text("delivery_country", { placeholder: "FR", max: 2 }),
    header(t(locale, "invoicing.client.header.collections")),
    text("collector_email", { hint: "invoicing.client.hint.collector_email", max: 254 }),
    context(t(locale, "invoicing.client.footer")),
  ];
  return partyModal("client", blocks, { clientId: model.id }, locale);
}

export function buildProjectModal(model: ProjectModel, locale: Locale): ModalView {
  const v = model.values;
  const text = (
    column: string,
    label: string,
    spec: { max: number; placeholder?: string },
    optional = true,
  ) => textField({ column, label, ...spec }, v[column] ?? "", optional, locale);
  const blocks: Block[] = [
    fields([
      md(locale, "invoicing.project.facts.code", { code: model.code }),
      md(locale, "invoicing.post.client", { client: model.clientName }),
      md(locale, "invoicing.project.facts.billing", { mode: model.billingMode }),
      md(locale, "invoicing.client.facts.currency", { currency: model.currency }),
    ]),
    text("name", t(locale, "invoicing.project.field.name"), { max: 200 }, false),
    text("pm_email", t(locale, "invoicing.project.field.pm_email"), { max: 254 }),
    text("approver_email", t(locale, "invoicing.project.field.approver_email"), { max: 254 }),
    text("hourly_rate", t(locale, "invoicing.project.field.hourly_rate", { currency: model.currency }), {
      placeholder: "85.50",
      max: 20,
    }),
    text("slack_channel", t(locale, "invoicing.project.field.slack_channel"), {
      placeholder: "C0123ABCD",
      max: 20,
    }),
    context(t(locale, "invoicing.project.footer")),
  ];
  return partyModal("project", blocks, { projectId: model.id }, locale);
}

/** The client or project modal around its blocks: Save, Cancel, and the row's id to save it to. */
function partyModal(
  kind: "client" | "project",
  blocks: Block[],
  row: { clientId: string } | { projectId: string },
  locale: Locale,
): ModalView {
  return modal({
    locale,
    callbackId: kind === "client" ? CALLBACKS.editClient : CALLBACKS.editProject,
    title: t(locale, `invoicing.${kind}.title`),
    submit: t(locale, "invoicing.edit.save"),
    close: t(locale, "invoicing.edit.cancel"),
    blocks,
    privateMetadata: encodeModalMetadata(row),
  });
}
