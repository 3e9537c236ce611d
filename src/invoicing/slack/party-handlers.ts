// `/cobro client <name>` and `/cobro project <code>`: a modal showing the details in the reader's
// language, saved with the CSV's rules; a bad value comes back next to its field (errors).
import type { webApi } from "@slack/bolt";
import type { z } from "zod";
import type { Ctx } from "../../context.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import type { CommandArgs, ViewArgs } from "../../slack/kit/handler.ts";
import { ClientModalMetadata, ProjectModalMetadata } from "../../slack/kit/ids.ts";
import {
  ctxOf,
  type ListenerDeps,
  localeOf,
  md,
  openModalAndFill,
  userMessageOf,
} from "../../slack/kit/support.ts";
import { buildMessageModal } from "../../workspace/index.ts";
import { loadClientDetails } from "../load-client-details.ts";
import { loadProjectDetails } from "../load-project-details.ts";
import { updateClientDetails } from "../update-client-details.ts";
import { updateProjectDetails } from "../update-project-details.ts";
import { buildClientModal, buildProjectModal, PARTY_FIELD_ACTION } from "./party-modals-view.ts";

type Kind = "client" | "project";
const TITLE = { client: "invoicing.client.title", project: "invoicing.project.title" } as const;

/** Opens the modal at once (trigger_id lives 3 s), then fills it in the reader's language or says why not. */
export async function openPartyModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { kind: Kind; reference: string; command: CommandArgs["command"]; context: Record<string, unknown> },
): Promise<void> {
  const { kind, command, context } = input;
  await openModalAndFill(deps, client, {
    triggerId: command.trigger_id,
    context,
    title: TITLE[kind],
    where: `/cobro ${kind}`,
    fill: async (locale) => {
      const ctx = ctxOf(deps, context);
      const query = { reference: input.reference };
      return kind === "client"
        ? buildClientModal(await loadClientDetails(ctx, query), locale)
        : buildProjectModal(await loadProjectDetails(ctx, query), locale);
    },
  });
}

/** Every input's value by its block_id (the CSV column): text, or the selected option. */
function formValues(values: ViewArgs["view"]["state"]["values"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [block, actions] of Object.entries(values)) {
    const input = actions[PARTY_FIELD_ACTION];
    out[block] = input?.value ?? input?.selected_option?.value ?? "";
  }
  return out;
}

type Saved = { ok: true } | { ok: false; errors: Record<string, string> };

/** Saved before the ack (one short transaction) so that a bad value shows next to its field. */
async function submitParty<Meta>(
  deps: ListenerDeps,
  { ack, view, context }: ViewArgs,
  spec: { kind: Kind; metadata: z.ZodType<Meta>; save: (input: SaveInput<Meta>) => Promise<Saved> },
) {
  const locale: Locale = localeOf(context);
  const say = (text: string) =>
    ack({ response_action: "update", view: buildMessageModal(t(locale, TITLE[spec.kind]), text, locale) });
  const meta = spec.metadata.safeParse(view.private_metadata);
  if (!meta.success) return await say(md(locale, "invoicing.party.out_of_date", { kind: spec.kind }));
  const fields = formValues(view.state.values);
  try {
    const result = await spec.save({ ctx: ctxOf(deps, context), meta: meta.data, fields });
    if (!result.ok) return await ack({ response_action: "errors", errors: result.errors });
    await say(md(locale, "invoicing.party.saved", { name: fields.name ?? "" }));
  } catch (error) {
    await say(slackText`:no_entry: ${userMessageOf(error, deps, `${spec.kind} submit`, locale)}`);
  }
}

type SaveInput<Meta> = {
  ctx: Ctx;
  meta: Meta;
  fields: Record<string, string>;
};

export async function clientEditSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitParty(deps, args, {
    kind: "client",
    metadata: ClientModalMetadata,
    save: ({ ctx, meta, fields }) => updateClientDetails(ctx, { clientId: meta.clientId, fields }),
  });
}

export async function projectEditSubmit(deps: ListenerDeps, args: ViewArgs) {
  await submitParty(deps, args, {
    kind: "project",
    metadata: ProjectModalMetadata,
    save: ({ ctx, meta, fields }) => updateProjectDetails(ctx, { projectId: meta.projectId, fields }),
  });
}
