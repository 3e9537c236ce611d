// Modal submissions: setup (field errors shown next to the fields).

import type { App, ViewOutput } from "@slack/bolt";
import { CALLBACKS, FIELDS, ROLE_FIELDS } from "../../slack/kit/ids.ts";
import {
  actorOf,
  type ListenerDeps,
  slackProfileOf,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { type SettingsField, updateWorkspaceSettings } from "../update-workspace-settings.ts";
import { buildMessageModal } from "./setup-modal.ts";

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
    autoIssueOnMilestone: selectedOf(values, FIELDS.autoIssue) === "auto",
    monthlyStatements: selectedOf(values, FIELDS.monthlyStatements) === "monthly",
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

export function toFieldErrors(errors: Partial<Record<SettingsField, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const block = BLOCK_OF_FIELD[field] ?? BLOCK_OF_FIELD[field.split(".").slice(0, 2).join(".")];
    if (block && message) out[block] ??= message;
  }
  return out;
}

export function registerModals(app: App, deps: ListenerDeps): void {
  // Saved before the ack (one short transaction) so that field errors can be shown in the modal.
  app.view(CALLBACKS.setup, async ({ ack, body, view, context }) => {
    try {
      const actor = await actorOf(deps, context, body.user.id);
      const result = await updateWorkspaceSettings(deps, {
        workspaceId: workspaceIdOf(context),
        actor,
        settings: readSetupValues(view.state.values),
        profileOf: slackProfileOf(context),
      });
      if (!result.ok) {
        await ack({ response_action: "errors", errors: toFieldErrors(result.errors) });
        return;
      }
      await ack({
        response_action: "update",
        view: buildMessageModal("Cobro setup", ":white_check_mark: Settings saved. They apply from now on."),
      });
    } catch (error) {
      await ack({
        response_action: "update",
        view: buildMessageModal("Cobro setup", `:no_entry: ${userMessageOf(error, deps, "setup submit")}`),
      });
    }
  });
}
