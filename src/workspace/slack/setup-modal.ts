// The `/cobro setup` modal: channels, locale, seller identity, auto-issue and roles, in the reader's language.
import { LANGUAGE_NAMES, LOCALES, type Locale, type MessageKey, t } from "../../i18n/index.ts";
import type { PlainOption } from "../../slack/kit/blocks.ts";
import {
  type Block,
  button,
  context,
  header,
  LIMITS,
  type ModalView,
  modal,
  option,
  plain,
  section,
} from "../../slack/kit/blocks.ts";
import { ACTIONS, CALLBACKS, FIELDS, ROLE_FIELDS } from "../../slack/kit/ids.ts";

export type SetupModel = {
  billingChannelId: string | null;
  collectionsChannelId: string | null;
  timeZone: string;
  baseCurrency: string;
  locale: "en" | "fr" | "es";
  seller: {
    legalName: string;
    addressLine1: string;
    postcode: string;
    city: string;
    country: string;
    vatId: string;
    siren: string;
    nif: string;
    iban: string;
  };
  autoIssueOnMilestone: boolean;
  monthlyStatements: boolean;
  roles: Record<"admin" | "billing" | "collector" | "approver" | "pm", string[]>;
};

function textInput(
  field: { block: string; action: string },
  label: string,
  value: string,
  options: { optional?: boolean; hint?: string; placeholder?: string; max?: number } = {},
): Block {
  return {
    type: "input",
    block_id: field.block,
    optional: options.optional ?? false,
    label: plain(label, LIMITS.inputLabel),
    ...(options.hint ? { hint: plain(options.hint, LIMITS.inputLabel) } : {}),
    element: {
      type: "plain_text_input",
      action_id: field.action,
      ...(value ? { initial_value: value.slice(0, options.max ?? 3000) } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder, LIMITS.placeholder) } : {}),
      ...(options.max ? { max_length: options.max } : {}),
    },
  };
}

function channelInput(
  field: { block: string; action: string },
  label: string,
  value: string | null,
  hint: string,
) {
  return {
    type: "input" as const,
    block_id: field.block,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: "conversations_select" as const,
      action_id: field.action,
      filter: { include: ["public" as const, "private" as const], exclude_bot_users: true },
      ...(value ? { initial_conversation: value } : {}),
    },
  };
}

/** Two radio buttons, off then on: the second is picked when `on`. */
function onOffInput(
  field: { block: string; action: string },
  label: string,
  options: [PlainOption, PlainOption],
  on: boolean,
): Block {
  return {
    type: "input",
    block_id: field.block,
    label: plain(label),
    element: {
      type: "radio_buttons",
      action_id: field.action,
      options,
      initial_option: on ? options[1] : options[0],
    },
  };
}

function usersInput(
  field: { block: string; action: string },
  label: string,
  users: string[],
  hint: string,
): Block {
  return {
    type: "input",
    block_id: field.block,
    optional: field.block !== ROLE_FIELDS.admin.block,
    label: plain(label),
    hint: plain(hint),
    element: {
      type: "multi_users_select",
      action_id: field.action,
      ...(users.length > 0 ? { initial_users: users.slice(0, 100) } : {}),
    },
  };
}

export function buildSetupModal(model: SetupModel, locale: Locale, privateMetadata?: string): ModalView {
  const s = model.seller;
  const say = (key: MessageKey) => t(locale, key);
  const localeOptions = LOCALES.map((l) => option(LANGUAGE_NAMES[l], l));
  const autoOptions: [PlainOption, PlainOption] = [
    option(say("workspace.setup.auto_issue_wait"), "wait"),
    option(say("workspace.setup.auto_issue_auto"), "auto"),
  ];
  const statementOptions: [PlainOption, PlainOption] = [
    option(say("workspace.setup.statements_manual"), "manual"),
    option(say("workspace.setup.statements_monthly"), "monthly"),
  ];
  const role = (r: keyof typeof ROLE_FIELDS, label: MessageKey, hint: MessageKey) =>
    usersInput(ROLE_FIELDS[r], say(label), model.roles[r], say(hint));
  const blocks: Block[] = [
    header(say("workspace.setup.channels")),
    channelInput(
      FIELDS.billingChannel,
      say("workspace.setup.billing_channel"),
      model.billingChannelId,
      say("workspace.setup.billing_channel_hint"),
    ),
    channelInput(
      FIELDS.collectionsChannel,
      say("workspace.setup.collections_channel"),
      model.collectionsChannelId,
      say("workspace.setup.collections_channel_hint"),
    ),
    header(say("workspace.setup.region")),
    textInput(FIELDS.timeZone, say("workspace.setup.time_zone"), model.timeZone, {
      placeholder: "Europe/Paris",
      max: 64,
    }),
    textInput(FIELDS.baseCurrency, say("workspace.setup.base_currency"), model.baseCurrency, {
      placeholder: "EUR",
      max: 3,
    }),
    {
      type: "input",
      block_id: FIELDS.locale.block,
      label: plain(say("workspace.setup.language")),
      element: {
        type: "static_select",
        action_id: FIELDS.locale.action,
        options: localeOptions,
        initial_option: localeOptions.find((o) => o.value === model.locale) ?? localeOptions[0],
      },
    },
    header(say("workspace.setup.seller")),
    textInput(FIELDS.legalName, say("workspace.setup.legal_name"), s.legalName, { max: 200 }),
    textInput(FIELDS.addressLine1, say("workspace.setup.address"), s.addressLine1, { max: 200 }),
    textInput(FIELDS.postcode, say("workspace.setup.postcode"), s.postcode, { max: 20 }),
    textInput(FIELDS.city, say("workspace.setup.city"), s.city, { max: 100 }),
    textInput(FIELDS.country, say("workspace.setup.country"), s.country, { placeholder: "FR", max: 2 }),
    textInput(FIELDS.vatId, say("workspace.setup.vat_id"), s.vatId, {
      optional: true,
      placeholder: "FR40303265045",
      max: 20,
    }),
    textInput(FIELDS.siren, say("workspace.setup.siren"), s.siren, { optional: true, max: 9 }),
    textInput(FIELDS.nif, say("workspace.setup.nif"), s.nif, { optional: true, max: 9 }),
    textInput(FIELDS.iban, say("workspace.setup.iban"), s.iban, { optional: true, max: 42 }),
    section(
      say("workspace.setup.details"),
      button(say("workspace.setup.details_button"), ACTIONS.openSettingsDetails, "details"),
    ),
    header(say("workspace.setup.milestones")),
    onOffInput(FIELDS.autoIssue, say("workspace.setup.auto_issue"), autoOptions, model.autoIssueOnMilestone),
    onOffInput(
      FIELDS.monthlyStatements,
      say("workspace.setup.statements"),
      statementOptions,
      model.monthlyStatements,
    ),
    header(say("workspace.setup.roles")),
    context(say("workspace.setup.roles_context")),
    role("admin", "workspace.setup.role_admin", "workspace.setup.role_admin_hint"),
    role("billing", "workspace.setup.role_billing", "workspace.setup.role_billing_hint"),
    role("collector", "workspace.setup.role_collector", "workspace.setup.role_collector_hint"),
    role("approver", "workspace.setup.role_approver", "workspace.setup.role_approver_hint"),
    role("pm", "workspace.setup.role_pm", "workspace.setup.role_pm_hint"),
  ];
  return modal({
    locale,
    callbackId: CALLBACKS.setup,
    title: say("workspace.setup.title"),
    submit: say("workspace.setup.save"),
    blocks,
    ...(privateMetadata ? { privateMetadata } : {}),
  });
}

/** Opened at once (trigger_id lives 3 s), then replaced by the real view once data is loaded. */
export function buildLoadingModal(title: string, locale: Locale): ModalView {
  return modal({
    locale,
    callbackId: "loading",
    title,
    close: t(locale, "workspace.setup.close"),
    blocks: [section(`:hourglass_flowing_sand: ${t(locale, "workspace.setup.loading")}`)],
  });
}

/** A modal that only says something (a refusal after the modal was already open). */
export function buildMessageModal(title: string, text: string, locale: Locale): ModalView {
  const close = t(locale, "workspace.setup.close");
  return modal({ locale, callbackId: "message", title, close, blocks: [section(text)] });
}
