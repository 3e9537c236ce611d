// The setup modal's state read into the settings verb's input, and the verb's refusals placed next
// to their fields in the reader's language. Checking the values is the verb's (update-workspace-settings).
import type { ViewOutput } from "@slack/bolt";
import { isMessageKey, type Locale, t } from "../../i18n/index.ts";
import { FIELDS, ROLE_FIELDS } from "../../slack/kit/ids.ts";
import type { SettingsField } from "../update-workspace-settings.ts";

type StateValues = ViewOutput["state"]["values"];
type Field = { block: string; action: string };

const textOf = (values: StateValues, field: Field): string =>
  values[field.block]?.[field.action]?.value ?? "";
const channelOf = (values: StateValues, field: Field): string =>
  values[field.block]?.[field.action]?.selected_conversation ??
  values[field.block]?.[field.action]?.selected_channel ??
  "";
const usersOf = (values: StateValues, field: Field): string[] =>
  values[field.block]?.[field.action]?.selected_users ?? [];
const selectedOf = (values: StateValues, field: Field): string | undefined =>
  values[field.block]?.[field.action]?.selected_option?.value;

/** A radio choice as a yes/no; any value the modal never offered is passed on for the verb to refuse. */
function choiceOf(value: string | undefined, yes: string, no: string): boolean | string | undefined {
  return value === yes ? true : value === no ? false : value;
}

/** Reads the setup modal's state into the settings service's input (validation is the service's). */
export function readSetupValues(values: StateValues): Record<string, unknown> {
  return {
    billingChannelId: channelOf(values, FIELDS.billingChannel),
    collectionsChannelId: channelOf(values, FIELDS.collectionsChannel),
    timeZone: textOf(values, FIELDS.timeZone),
    baseCurrency: textOf(values, FIELDS.baseCurrency),
    locale: selectedOf(values, FIELDS.locale),
    legalName: textOf(values, FIELDS.legalName),
    addressLine1: textOf(values, FIELDS.addressLine1),
    postcode: textOf(values, FIELDS.postcode),
    city: textOf(values, FIELDS.city),
    country: textOf(values, FIELDS.country),
    vatId: textOf(values, FIELDS.vatId),
    siren: textOf(values, FIELDS.siren),
    nif: textOf(values, FIELDS.nif),
    iban: textOf(values, FIELDS.iban),
    autoIssueOnMilestone: choiceOf(selectedOf(values, FIELDS.autoIssue), "auto", "wait"),
    monthlyStatements: choiceOf(selectedOf(values, FIELDS.monthlyStatements), "monthly", "manual"),
    roles: {
      admin: usersOf(values, ROLE_FIELDS.admin),
      billing: usersOf(values, ROLE_FIELDS.billing),
      collector: usersOf(values, ROLE_FIELDS.collector),
      approver: usersOf(values, ROLE_FIELDS.approver),
      pm: usersOf(values, ROLE_FIELDS.pm),
    },
  };
}

const BLOCK_OF_FIELD: Record<string, string> = {
  billingChannelId: FIELDS.billingChannel.block,
  collectionsChannelId: FIELDS.collectionsChannel.block,
  timeZone: FIELDS.timeZone.block,
  baseCurrency: FIELDS.baseCurrency.block,
  locale: FIELDS.locale.block,
  legalName: FIELDS.legalName.block,
  addressLine1: FIELDS.addressLine1.block,
  postcode: FIELDS.postcode.block,
  city: FIELDS.city.block,
  country: FIELDS.country.block,
  vatId: FIELDS.vatId.block,
  siren: FIELDS.siren.block,
  nif: FIELDS.nif.block,
  iban: FIELDS.iban.block,
  autoIssueOnMilestone: FIELDS.autoIssue.block,
  monthlyStatements: FIELDS.monthlyStatements.block,
  "roles.admin": ROLE_FIELDS.admin.block,
  "roles.billing": ROLE_FIELDS.billing.block,
  "roles.collector": ROLE_FIELDS.collector.block,
  "roles.approver": ROLE_FIELDS.approver.block,
  "roles.pm": ROLE_FIELDS.pm.block,
};

/** Each refusal next to its input, in the reader's language when the verb gave a catalogue key. */
export function toFieldErrors(
  errors: Partial<Record<SettingsField, string>>,
  locale: Locale,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const block = BLOCK_OF_FIELD[field] ?? BLOCK_OF_FIELD[field.split(".").slice(0, 2).join(".")];
    if (block && message) out[block] ??= isMessageKey(message) ? t(locale, message) : message;
  }
  return out;
}
