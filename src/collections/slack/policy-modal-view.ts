// The `/cobro policy` modal: the reminder policy in force for a client, a project or a client
// profile, where it comes from, and its levels as editable lines (empty = inherit again), in the
// reader's language (the levels' keywords — due, email, slack, courteous, firm, formal — stay).

import type { ClientProfile } from "../../domain/dunning.ts";
import type { DunningLineError } from "../../domain/dunning-text.ts";
import type { DomainError } from "../../domain/errors.ts";
import { type Locale, t } from "../../i18n/index.ts";
import {
  type Block,
  context,
  LIMITS,
  type ModalView,
  modal,
  plain,
  section,
} from "../../slack/kit/blocks.ts";
import { CALLBACKS, encodeModalMetadata } from "../../slack/kit/ids.ts";
import { md, translatedUserMessage } from "../../slack/kit/support.ts";
import type { PolicyModel, PolicyScopeLabel, PolicySource } from "../load-dunning-policy.ts";

export const POLICY_FIELDS = {
  name: { block: "policy_name", action: "value" },
  levels: { block: "policy_levels", action: "value" },
} as const;

const group = (profile: ClientProfile, locale: Locale) => t(locale, "collections.policy.group", { profile });

function introText(model: PolicyModel, locale: Locale): string {
  const { scope, inForce } = model;
  const source = inForce.source;
  const profileOf = (s: PolicyScopeLabel | PolicySource) => ("profile" in s ? s.profile : "business");
  return md(locale, "collections.policy.intro", {
    scope: t(locale, "collections.policy.scope", {
      kind: scope.kind,
      name: "name" in scope ? scope.name : "",
      code: "code" in scope ? scope.code : "",
      group: group(profileOf(scope), locale),
    }),
    // Cobro's built-in policies are named in the reader's language; a team's own keep their name.
    policy:
      source.from === "builtin"
        ? t(locale, "collections.policy.builtin_name", { profile: source.profile })
        : inForce.name,
    source: t(locale, "collections.policy.source", {
      from: source.from,
      kind: scope.kind,
      client: "client" in source ? source.client : "",
      group: group(profileOf(source), locale),
    }),
  });
}

export function buildPolicyModal(model: PolicyModel, locale: Locale): ModalView {
  const blocks: Block[] = [
    section(introText(model, locale)),
    {
      type: "input",
      block_id: POLICY_FIELDS.name.block,
      optional: true,
      label: plain(t(locale, "collections.policy.name")),
      element: {
        type: "plain_text_input",
        action_id: POLICY_FIELDS.name.action,
        max_length: 80,
        ...(model.own ? { initial_value: model.inForce.name.slice(0, 80) } : {}),
      },
    },
    {
      type: "input",
      block_id: POLICY_FIELDS.levels.block,
      optional: true,
      label: plain(t(locale, "collections.policy.levels")),
      hint: plain(t(locale, "collections.policy.levels_hint"), LIMITS.inputLabel),
      element: {
        type: "plain_text_input",
        action_id: POLICY_FIELDS.levels.action,
        multiline: true,
        max_length: 2000,
        initial_value: model.inForce.levelsText.slice(0, 2000),
      },
    },
    context(t(locale, "collections.policy.legend")),
  ];
  return modal({
    locale,
    callbackId: CALLBACKS.editPolicy,
    title: t(locale, "collections.policy.title"),
    submit: t(locale, "collections.policy.save"),
    close: t(locale, "collections.modal.cancel"),
    blocks,
    privateMetadata: encodeModalMetadata(model.target),
  });
}

/** Why the levels were refused, under the levels field: each unreadable line, or the policy's flaw. */
export function policyRefusalText(
  refusal: { lines: DunningLineError[] } | { refusal: DomainError },
  locale: Locale,
): string {
  if ("refusal" in refusal) {
    return translatedUserMessage(refusal.refusal, locale) ?? refusal.refusal.userMessage;
  }
  return refusal.lines.map((line) => t(locale, "collections.policy.line_error", { ...line })).join("\n");
}
