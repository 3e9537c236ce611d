// Timesheet buttons and modals: Approve / Reject (reason modal) on the approver's DM, Approve all
// from the App Home, and the `/cobro time` modal. Thin: ack, decode, one service, a pure view.
import type { App, BlockAction, ButtonAction, webApi } from "@slack/bolt";
import { isDomainError } from "../../domain/errors.ts";
import { localToday } from "../../domain/overdue.ts";
import { issueAndSendInvoices } from "../../invoicing/index.ts";
import { buildErrorReply, buildTextReply, type Reply } from "../../slack/kit/replies.ts";
import {
  actorOf,
  errorReply,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { buildLoadingModal, buildMessageModal } from "../../workspace/index.ts";
import { approveTimesheet } from "../approve-timesheet.ts";
import { approveTimesheets } from "../approve-timesheets.ts";
import { listTimeProjects } from "../list-time-projects.ts";
import { loadTimesheetSummary } from "../load-timesheet-summary.ts";
import { logTimeEntry, TimeEntryFieldErrors } from "../log-time-entry.ts";
import { rejectTimesheet } from "../reject-timesheet.ts";
import type { TimesheetActor } from "../timesheet-transition.ts";
import {
  decodeTimesheetRef,
  decodeTimesheetRefs,
  TIMESHEET_ACTIONS,
  TIMESHEET_CALLBACKS,
  TIMESHEET_FIELDS,
} from "./timesheet-ids.ts";
import { buildDecidedRequest, buildRejectModal, buildTimeEntryModal } from "./timesheet-messages.ts";

type ButtonBody = BlockAction<ButtonAction>;
type Respond = (message: Record<string, unknown>) => Promise<unknown>;

async function timesheetActor(
  deps: ListenerDeps,
  context: Record<string, unknown>,
  userId: string,
): Promise<TimesheetActor> {
  const actor = await actorOf(deps, context, userId);
  return { memberId: actor.memberId, label: `slack:${userId}`, roles: actor.roles };
}

async function tell(
  client: webApi.WebClient,
  body: ButtonBody,
  respond: Respond,
  reply: Reply,
): Promise<void> {
  if (body.response_url) {
    await respond({ response_type: "ephemeral", replace_original: false, ...reply });
    return;
  }
  await client.chat.postMessage({
    channel: body.user.id,
    text: reply.text,
    ...(reply.blocks ? { blocks: reply.blocks } : {}),
  });
}

/** Opens the `/cobro time` modal: at once (trigger_id lives 3 s), then fills it with the projects. */
export async function openTimeEntryModal(
  deps: ListenerDeps,
  client: webApi.WebClient,
  input: { triggerId: string; context: Record<string, unknown>; channelId?: string },
): Promise<void> {
  const opened = await client.views.open({
    trigger_id: input.triggerId,
    view: buildLoadingModal("Log time"),
  });
  const viewId = opened.view?.id;
  if (!viewId) return;
  try {
    const workspaceId = workspaceIdOf(input.context);
    const { projects, timeZone } = await listTimeProjects(deps.db, workspaceId);
    await client.views.update({
      view_id: viewId,
      view: buildTimeEntryModal({
        today: localToday(deps.now(), timeZone),
        projects,
        metadata: JSON.stringify({ channelId: input.channelId ?? null }),
      }),
    });
  } catch (error) {
    await client.views.update({
      view_id: viewId,
      view: buildMessageModal("Log time", `:no_entry: ${userMessageOf(error, deps, "/cobro time")}`),
    });
  }
}

export function registerTimesheetListeners(app: App, deps: ListenerDeps): void {
  app.action<ButtonBody>(
    TIMESHEET_ACTIONS.approve,
    async ({ ack, body, action, respond, context, client }) => {
      await ack();
      try {
        const ref = decodeTimesheetRef(action.value);
        if (!ref) return await tell(client, body, respond, buildErrorReply("This button is out of date."));
        const workspaceId = workspaceIdOf(context);
        const result = await approveTimesheet(deps, {
          workspaceId,
          timesheetId: ref.timesheetId,
          actor: await timesheetActor(deps, context, body.user.id),
          expectedVersion: ref.version,
        });
        if (body.container?.type === "message" && body.response_url) {
          const view = buildDecidedRequest(await loadTimesheetSummary(deps.db, workspaceId, ref.timesheetId));
          await respond({ replace_original: true, ...view });
        }
        if (result.alreadyDone) await tell(client, body, respond, buildTextReply(result.message));
      } catch (error) {
        await tell(client, body, respond, errorReply(error, deps, "approve timesheet")).catch(
          logReplyFailure(deps, "reply"),
        );
      }
    },
  );

  app.action<ButtonBody>(TIMESHEET_ACTIONS.reject, async ({ ack, body, action, respond, client }) => {
    await ack();
    try {
      const ref = decodeTimesheetRef(action.value);
      if (!ref) return await tell(client, body, respond, buildErrorReply("This button is out of date."));
      // trigger_id lives 3 s: the label comes from the message, not the database.
      const label = body.message?.text ?? "Timesheet";
      const metadata = JSON.stringify({
        ref,
        channel: body.container?.channel_id ?? body.channel?.id ?? null,
        ts: body.container?.message_ts ?? null,
      });
      await client.views.open({ trigger_id: body.trigger_id, view: buildRejectModal(label, metadata) });
    } catch (error) {
      await tell(client, body, respond, errorReply(error, deps, "reject timesheet")).catch(
        logReplyFailure(deps, "reply"),
      );
    }
  });

  app.view(TIMESHEET_CALLBACKS.reject, async ({ ack, view, body, context, client }) => {
    const reason =
      view.state.values[TIMESHEET_FIELDS.reason.block]?.[TIMESHEET_FIELDS.reason.action]?.value ?? "";
    if (reason.trim() === "") {
      await ack({
        response_action: "errors",
        errors: { [TIMESHEET_FIELDS.reason.block]: "Say why, so they can fix it." },
      });
      return;
    }
    const meta = JSON.parse(view.private_metadata || "{}") as {
      ref?: { timesheetId: string; version: number };
      channel?: string | null;
      ts?: string | null;
    };
    if (!meta.ref) {
      await ack({
        response_action: "errors",
        errors: { [TIMESHEET_FIELDS.reason.block]: "This request is out of date." },
      });
      return;
    }
    try {
      const workspaceId = workspaceIdOf(context);
      await rejectTimesheet(deps, {
        workspaceId,
        timesheetId: meta.ref.timesheetId,
        reason,
        expectedVersion: meta.ref.version,
        actor: await timesheetActor(deps, context, body.user.id),
      });
      await ack();
      if (meta.channel && meta.ts) {
        const decided = buildDecidedRequest(
          await loadTimesheetSummary(deps.db, workspaceId, meta.ref.timesheetId),
        );
        await client.chat.update({
          channel: meta.channel,
          ts: meta.ts,
          text: decided.text,
          blocks: decided.blocks,
        });
      }
    } catch (error) {
      if (isDomainError(error)) {
        await ack({
          response_action: "errors",
          errors: { [TIMESHEET_FIELDS.reason.block]: error.userMessage },
        });
        return;
      }
      await ack({
        response_action: "errors",
        errors: { [TIMESHEET_FIELDS.reason.block]: userMessageOf(error, deps, "reject") },
      });
    }
  });

  app.action<ButtonBody>(
    TIMESHEET_ACTIONS.approveAll,
    async ({ ack, body, action, respond, context, client }) => {
      await ack();
      try {
        const refs = decodeTimesheetRefs(action.value);
        const result = await approveTimesheets(deps, {
          workspaceId: workspaceIdOf(context),
          timesheets: refs.map((r) => ({ id: r.timesheetId, version: r.version })),
          actor: await timesheetActor(deps, context, body.user.id),
        });
        const skipped = result.skipped.length
          ? ` ${result.skipped.length} skipped (${[...new Set(result.skipped.map((s) => s.reason))].join("; ")}).`
          : "";
        await tell(
          client,
          body,
          respond,
          buildTextReply(`:white_check_mark: ${result.approved.length} timesheet(s) approved.${skipped}`),
        );
      } catch (error) {
        await tell(client, body, respond, errorReply(error, deps, "approve all")).catch(
          logReplyFailure(deps, "reply"),
        );
      }
    },
  );

  app.action<ButtonBody>(
    TIMESHEET_ACTIONS.issueAll,
    async ({ ack, body, action, respond, context, client }) => {
      await ack();
      const ids = (action.value ?? "").split(",").filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      let issued = 0;
      const problems: string[] = [];
      try {
        const actor = await actorOf(deps, context, body.user.id);
        const outcomes = await issueAndSendInvoices(deps, {
          workspaceId: workspaceIdOf(context),
          invoiceIds: ids,
          actor,
        });
        issued = outcomes.filter((o) => o.ok).length;
        for (const o of outcomes) if (!o.ok) problems.push(userMessageOf(o.error, deps, "issue all"));
      } catch (error) {
        problems.push(userMessageOf(error, deps, "issue all"));
      }
      const text = `:outbox_tray: ${issued} of ${ids.length} invoice(s) issued and sent.${problems.length ? ` ${[...new Set(problems)].join(" ")}` : ""}`;
      await tell(
        client,
        body,
        respond,
        problems.length && issued === 0 ? buildErrorReply(text) : buildTextReply(text),
      ).catch(logReplyFailure(deps, "reply"));
    },
  );

  app.view(TIMESHEET_CALLBACKS.log, async ({ ack, view, body, context }) => {
    const values = view.state.values;
    const read = (f: { block: string; action: string }) => {
      const v = values[f.block]?.[f.action];
      return v?.selected_option?.value ?? v?.selected_date ?? v?.value ?? "";
    };
    const options = (
      values[TIMESHEET_FIELDS.submitWeek.block]?.[TIMESHEET_FIELDS.submitWeek.action]?.selected_options ?? []
    ).map((o) => o.value);
    try {
      const result = await logTimeEntry(deps, {
        workspaceId: workspaceIdOf(context),
        slackUserId: body.user.id,
        project: read(TIMESHEET_FIELDS.project),
        date: read(TIMESHEET_FIELDS.date),
        hours: read(TIMESHEET_FIELDS.hours),
        description: read(TIMESHEET_FIELDS.description),
        billable: options.includes("non_billable") ? "no" : "yes",
        submitWeek: options.includes("submit"),
      });
      await ack({
        response_action: "update",
        view: {
          type: "modal",
          title: { type: "plain_text", text: "Time logged" },
          close: { type: "plain_text", text: "Done" },
          blocks: [
            {
              type: "section",
              text: {
                type: "mrkdwn",
                text: result.submitted
                  ? `:white_check_mark: Saved, and the week of ${result.periodStart} is ${result.submitted.status}.`
                  : `:white_check_mark: Saved in the week of ${result.periodStart}.`,
              },
            },
          ],
        },
      });
    } catch (error) {
      const fieldErrors =
        error instanceof TimeEntryFieldErrors
          ? Object.fromEntries(
              Object.entries(error.fieldErrors).map(([key, message]) => [
                TIMESHEET_FIELDS[key === "billable" ? "submitWeek" : (key as "project" | "date" | "hours")]
                  .block,
                message,
              ]),
            )
          : { [TIMESHEET_FIELDS.hours.block]: userMessageOf(error, deps, "log time") };
      await ack({ response_action: "errors", errors: fieldErrors });
    }
  });
}
