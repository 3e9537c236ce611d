// The `/cobro policy` modal: the reminder policy in force for a client, a project or a client
// profile, where it comes from, and its levels as editable lines (empty = inherit again).

import {
  type Block,
  context,
  LIMITS,
  type ModalView,
  modal,
  plain,
  section,
  slackText,
} from "../../slack/kit/blocks.ts";
import { CALLBACKS, encodeModalMetadata, type ModalMetadata } from "../../slack/kit/ids.ts";

export const POLICY_FIELDS = {
  name: { block: "policy_name", action: "value" },
  levels: { block: "policy_levels", action: "value" },
} as const;

export type PolicyModel = {
  /** "client Acme SA (C-ACME)", "project atlas", "business clients" */
  scopeLabel: string;
  target: Pick<ModalMetadata, "clientId" | "projectId" | "profile">;
  inForce: { name: string; source: string; levelsText: string };
  /** Whether this scope has its own policy (else it inherits the one in force). */
  own: boolean;
};

export function buildPolicyModal(model: PolicyModel): ModalView {
  const blocks: Block[] = [
    section(
      slackText`Reminders for *${model.scopeLabel}* follow *${model.inForce.name}* (${model.inForce.source}).`,
    ),
    {
      type: "input",
      block_id: POLICY_FIELDS.name.block,
      optional: true,
      label: plain("Policy name"),
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
      label: plain("Levels, one a line"),
      hint: plain(
        "when channel tone [template]: due-3 email courteous · due+5 email courteous · +7 email firm · +7 slack firm · +10 email formal. At least 3 reminders before the formal notice. Empty: follow the policy above it again.",
        LIMITS.inputLabel,
      ),
      element: {
        type: "plain_text_input",
        action_id: POLICY_FIELDS.levels.action,
        multiline: true,
        max_length: 2000,
        initial_value: model.inForce.levelsText.slice(0, 2000),
      },
    },
    context(
      "`due±N`: days from the due date · `+N`: days after the previous level · `slack`: a task for the collector.",
    ),
  ];
  return modal({
    callbackId: CALLBACKS.editPolicy,
    title: "Reminder policy",
    submit: "Save",
    blocks,
    privateMetadata: encodeModalMetadata(model.target),
  });
}
