// The `/cobro setup` modal: channels, locale, seller identity, auto-issue and roles.

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

const LOCALES = [
  { value: "en", label: "English" },
  { value: "fr", label: "Français" },
  { value: "es", label: "Español" },
] as const;

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

export function buildSetupModal(model: SetupModel, privateMetadata?: string): ModalView {
  const s = model.seller;
  const localeOptions = LOCALES.map((l) => option(l.label, l.value));
  const autoOptions = [
    option("Wait for billing to click Issue & send", "wait"),
    option("Issue and send the invoice at once", "auto"),
  ];
  const statementOptions = [
    option("Only when someone sends one", "manual"),
    option("E-mail each client with overdue invoices its statement early each month", "monthly"),
  ];
  const blocks: Block[] = [
    header("Channels"),
    channelInput(
      FIELDS.billingChannel,
      "Billing channel",
      model.billingChannelId,
      "Drafts and issued invoices are posted here.",
    ),
    channelInput(
      FIELDS.collectionsChannel,
      "Collections channel",
      model.collectionsChannelId,
      "Overdue alerts and reminders are posted here.",
    ),
    header("Region"),
    textInput(FIELDS.timeZone, "Time zone", model.timeZone, { placeholder: "Europe/Paris", max: 64 }),
    textInput(FIELDS.baseCurrency, "Base currency", model.baseCurrency, { placeholder: "EUR", max: 3 }),
    {
      type: "input",
      block_id: FIELDS.locale.block,
      label: plain("Language of invoices and messages"),
      element: {
        type: "static_select",
        action_id: FIELDS.locale.action,
        options: localeOptions,
        initial_option: localeOptions.find((o) => o.value === model.locale) ?? localeOptions[0],
      },
    },
    header("Seller on invoices"),
    textInput(FIELDS.legalName, "Legal name", s.legalName, { max: 200 }),
    textInput(FIELDS.addressLine1, "Street address", s.addressLine1, { max: 200 }),
    textInput(FIELDS.postcode, "Postcode", s.postcode, { max: 20 }),
    textInput(FIELDS.city, "City", s.city, { max: 100 }),
    textInput(FIELDS.country, "Country code", s.country, { placeholder: "FR", max: 2 }),
    textInput(FIELDS.vatId, "VAT id", s.vatId, { optional: true, placeholder: "FR40303265045", max: 20 }),
    textInput(FIELDS.siren, "SIREN (France)", s.siren, { optional: true, max: 9 }),
    textInput(FIELDS.nif, "NIF / CIF (Spain)", s.nif, { optional: true, max: 9 }),
    textInput(FIELDS.iban, "IBAN for payments", s.iban, { optional: true, max: 42 }),
    section(
      "*Invoicing details*: late-payment law, ageing buckets, scan hour, number formats, payment link, legal form, share capital, RCS, BIC, trade name.",
      button("Invoicing details…", ACTIONS.openSettingsDetails, "details"),
    ),
    header("Milestone invoices"),
    {
      type: "input",
      block_id: FIELDS.autoIssue.block,
      label: plain("When a milestone is marked done"),
      element: {
        type: "radio_buttons",
        action_id: FIELDS.autoIssue.action,
        options: autoOptions,
        initial_option: model.autoIssueOnMilestone ? autoOptions[1] : autoOptions[0],
      },
    },
    {
      type: "input",
      block_id: FIELDS.monthlyStatements.block,
      label: plain("Statements of account"),
      element: {
        type: "radio_buttons",
        action_id: FIELDS.monthlyStatements.action,
        options: statementOptions,
        initial_option: model.monthlyStatements ? statementOptions[1] : statementOptions[0],
      },
    },
    header("Roles"),
    context("People without a role can use `/milestone list` and `/cobro help` only."),
    usersInput(ROLE_FIELDS.admin, "Admins", model.roles.admin, "Change these settings and roles."),
    usersInput(
      ROLE_FIELDS.billing,
      "Billing",
      model.roles.billing,
      "Issue, edit and hold invoices; record payments.",
    ),
    usersInput(ROLE_FIELDS.collector, "Collectors", model.roles.collector, "Chase overdue invoices."),
    usersInput(ROLE_FIELDS.approver, "Approvers", model.roles.approver, "Approve timesheets."),
    usersInput(
      ROLE_FIELDS.pm,
      "Project managers",
      model.roles.pm,
      "Mark milestones of their own projects done.",
    ),
  ];
  return modal({
    callbackId: CALLBACKS.setup,
    title: "Cobro setup",
    submit: "Save",
    blocks,
    ...(privateMetadata ? { privateMetadata } : {}),
  });
}

/** Opened at once (trigger_id lives 3 s), then replaced by the real view once data is loaded. */
export function buildLoadingModal(title: string): ModalView {
  return modal({
    callbackId: "loading",
    title,
    close: "Close",
    blocks: [section(":hourglass_flowing_sand: Loading…")],
  });
}

/** A modal that only says something (a refusal after the modal was already open). */
export function buildMessageModal(title: string, text: string): ModalView {
  return modal({ callbackId: "message", title, close: "Close", blocks: [section(text)] });
}
