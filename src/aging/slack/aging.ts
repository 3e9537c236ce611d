// `/aging` and its buttons and menus: ack at once, call one service, render a pure view, respond.
// The workspace always comes from the verified team_id (context.workspaceId), never from a value.

import type { App, BlockAction, RespondFn, webApi } from "@slack/bolt";
import {
  buildClientPaymentModal,
  COLLECTION_ACTIONS,
  openCollectionModal,
  sendClientStatement,
  sendReminderNowFromSlack,
} from "../../collections/index.ts";
import { toAgingCsv } from "../../domain/aging.ts";
import { formatMoney, toDecimalString } from "../../domain/money.ts";
import { type Actor, assertAllowed, strangerMessage, whyNotAllowed } from "../../domain/permissions.ts";
import { listClientOpenInvoices } from "../../invoicing/index.ts";
import { slackText } from "../../slack/kit/blocks.ts";
import {
  AGING_ACTIONS,
  type AgingState,
  COMMANDS,
  decodeAgingMenuValue,
  decodeAgingState,
} from "../../slack/kit/ids.ts";
import {
  actorOf,
  type ListenerDeps,
  logReplyFailure,
  userMessageOf,
  workspaceIdOf,
} from "../../slack/kit/support.ts";
import { claimClick } from "../../workspace/index.ts";
import { type AgingReportResult, type AgingRequest, buildAgingReport } from "../build-aging-report.ts";
import { listAgingFilterChoices } from "../list-aging-filter-choices.ts";
import { listAgingInvoices } from "../list-aging-invoices.ts";
import { parseAgingArgs } from "./aging-args.ts";
import {
  AGING_ALL,
  buildAgingErrorMessage,
  buildAgingFilterOptions,
  buildAgingInvoicesMessage,
  buildAgingMessage,
  buildAgingSharedMessage,
  type SlackMessage,
  TOP_DEBTORS,
} from "./aging-report.ts";

export type AgingListenerDeps = ListenerDeps;

const ephemeral = (message: SlackMessage) => ({ response_type: "ephemeral" as const, ...message });
const replace = (message: SlackMessage) => ({
  response_type: "ephemeral" as const,
  replace_original: true,
  ...message,
});
const notice = (text: string) => ({ response_type: "ephemeral" as const, replace_original: false, text });

function stateOf(result: AgingReportResult): AgingState {
  const { report, filters } = result;
  return {
    a: report.asOf,
    b: report.basis,
    ...(filters.clientId ? { c: filters.clientId } : {}),
    ...(filters.projectId ? { p: filters.projectId } : {}),
    ...(filters.collectorMemberId ? { m: filters.collectorMemberId } : {}),
    ...(filters.currency ? { x: filters.currency } : {}),
    ...(Object.keys(report.metrics).length > 0 ? { d: 1 as const } : {}),
  };
}

/** The actor, not the button, decides the scope: a PM's report stays on their projects. */
function requestOf(workspaceId: string, state: AgingState, actor: Actor): AgingRequest {
  return {
    workspaceId,
    actor,
    asOf: state.a,
    basis: state.b,
    clientId: state.c,
    projectId: state.p,
    collectorMemberId: state.m,
    currency: state.x,
    withMetrics: state.d === 1,
  };
}

// The message shows the totals and at most TOP_DEBTORS debtors: the summary query ranks them in SQL.
async function renderReport(deps: AgingListenerDeps, request: AgingRequest) {
  const [result, collectors] = await Promise.all([
    buildAgingReport(deps, { ...request, topDebtors: TOP_DEBTORS }),
    listAgingFilterChoices(deps, { workspaceId: request.workspaceId, kind: "collector", limit: 10 }),
  ]);
  const model = {
    report: result.report,
    state: stateOf(result),
    labels: result.filters.labels,
    collectors: collectors.choices,
    collectorsTruncated: collectors.truncated,
    ownProjectsOnly: result.ownProjectsOnly,
    locale: result.locale,
  };
  return { result, model };
}

async function renderInvoices(deps: AgingListenerDeps, workspaceId: string, state: AgingState, actor: Actor) {
  const page = await listAgingInvoices(deps, {
    ...requestOf(workspaceId, state, actor),
    bucket: state.k ?? 0,
    page: state.n ?? 0,
  });
  const base = { a: state.a, b: state.b, c: state.c, p: state.p, m: state.m, x: state.x, d: state.d };
  return buildAgingInvoicesMessage({
    state: { ...base, k: page.bucket, n: page.page },
    labels: {},
    asOf: page.asOf,
    basis: page.basis,
    bucketLabel: page.bucketLabel,
    page: page.page,
    pageSize: page.pageSize,
    total: page.total,
    invoices: page.invoices,
    ownProjectsOnly: page.ownProjectsOnly,
    locale: page.locale,
  });
}

type ActionArgs = {
  body: BlockAction;
  respond: RespondFn;
  context: Record<string, unknown>;
  client: webApi.WebClient;
};

/**
 * Runs an action after its ack, for someone allowed to see receivables; refusals become an
 * ephemeral line, never a stack trace.
 */
async function guarded(
  deps: AgingListenerDeps,
  where: string,
  who: { body: BlockAction; respond: RespondFn; context: Record<string, unknown> },
  fn: (actor: Actor) => Promise<void>,
) {
  const { respond } = who;
  try {
    const actor = await actorOf(deps, who.context, who.body.user.id);
    assertAllowed(actor, { action: "viewAging" });
    await fn(actor);
  } catch (error) {
    await respond(notice(`:warning: ${userMessageOf(error, deps, where)}`)).catch(
      logReplyFailure(deps, "reply"),
    );
  }
}

function actionOf(body: BlockAction) {
  const action = body.actions[0] as
    | { block_id?: string; value?: string; action_ts?: string; selected_option?: { value: string } | null }
    | undefined;
  return {
    blockId: action?.block_id,
    value: action?.value,
    actionTs: action?.action_ts,
    selected: action?.selected_option?.value,
  };
}

const STALE = "This report is out of date: run `/aging` again.";

/** One share or export per report message and view: a double click on it does nothing more. */
function onceKey(body: BlockAction, what: string): string {
  const message = body.container?.message_ts ?? actionOf(body).actionTs;
  return `${body.team?.id ?? ""}:${what}:${body.user.id}:${message}:${actionOf(body).value ?? ""}`;
}

/** A payment or a reminder is for one invoice: when a debtor has several, say which to pick. */
function pickInvoiceText(
  verb: "pay" | "remind",
  open: Awaited<ReturnType<typeof listClientOpenInvoices>>,
): string {
  if (!open.clientName) return "That client no longer exists in this workspace.";
  if (open.invoices.length === 0) return slackText`${open.clientName} has nothing open: nothing to do.`;
  const shown = open.invoices.slice(0, 10).map((i) => {
    const amount = formatMoney({ amountMinor: i.openMinor, currency: i.currency }, open.locale);
    return slackText`• *${i.number ?? "draft"}* · ${amount} open · due ${i.dueDate ?? "?"}`;
  });
  const more = open.invoices.length > 10 ? "\n• …and more" : "";
  const what = verb === "pay" ? "A payment is recorded" : "A reminder goes";
  return `${slackText`${open.clientName}`} has ${open.invoices.length > 10 ? "more than 10" : open.invoices.length} open invoices. ${what} for one invoice: pick it with *View invoices* → a bucket → the invoice's menu.\n${shown.join("\n")}${more}`;
}

/** More open invoices than this and the client payment modal is not offered (the list is cut). */
const CLIENT_PAYMENT_MAX_INVOICES = 1000;

function clientPaymentModal(
  clientId: string,
  open: Awaited<ReturnType<typeof listClientOpenInvoices>>,
  now: Date,
) {
  const currency = open.invoices[0]?.currency ?? "EUR";
  const total = open.invoices.reduce((sum, i) => sum + i.openMinor, 0);
  return buildClientPaymentModal({
    clientId,
    clientName: open.clientName ?? "",
    currency,
    invoices: open.invoices.length,
    openText: formatMoney({ amountMinor: total, currency }, open.locale),
    openDecimal: toDecimalString(total, currency),
    today: now.toISOString().slice(0, 10),
  });
}

export function registerAgingListeners(app: App, deps: AgingListenerDeps): void {
  app.command(COMMANDS.aging, async ({ ack, command, respond, context }) => {
    await ack();
    const asker = await actorOf(deps, context, command.user_id)
      .then((actor) => ({ actor, refusal: whyNotAllowed(actor, { action: "viewAging" }) }))
      .catch((error: unknown) => ({ actor: null, refusal: userMessageOf(error, deps, "aging command") }));
    const { actor, refusal } = asker;
    if (refusal || !actor) {
      // Someone Cobro cannot place is told whom to ask, as every other command tells them.
      const why = actor?.stranger
        ? strangerMessage(actor.stranger)
        : `${refusal} An admin can give roles with \`/cobro setup\`.`;
      await respond(notice(`:no_entry: ${why}`));
      return;
    }
    const args = parseAgingArgs(command.text);
    if (!args.ok) {
      await respond(ephemeral(buildAgingErrorMessage(args.problem)));
      return;
    }
    try {
      const { model } = await renderReport(deps, {
        workspaceId: workspaceIdOf(context),
        actor,
        asOf: args.asOf,
        basis: args.basis,
        target: args.target,
        withMetrics: false,
      });
      await respond(ephemeral(buildAgingMessage(model)));
    } catch (error) {
      await respond(ephemeral(buildAgingErrorMessage(userMessageOf(error, deps, "aging command"))));
    }
  });

  const drill = async ({ body, respond, context }: ActionArgs) => {
    await guarded(deps, "aging drill-down", { body, respond, context }, async (actor) => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state || state.k === undefined) return void (await respond(notice(STALE)));
      await respond(replace(await renderInvoices(deps, workspaceIdOf(context), state, actor)));
    });
  };
  app.action<BlockAction>(new RegExp(`^${AGING_ACTIONS.bucket}`), async (args) => {
    await args.ack();
    await drill(args);
  });
  app.action<BlockAction>(AGING_ACTIONS.pageNext, async (args) => {
    await args.ack();
    await drill(args);
  });
  app.action<BlockAction>(AGING_ACTIONS.pagePrev, async (args) => {
    await args.ack();
    await drill(args);
  });

  const rerender = async ({ ack, body, respond, context }: ActionArgs & { ack: () => Promise<void> }) => {
    await ack();
    await guarded(deps, "aging back", { body, respond, context }, async (actor) => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state) return void (await respond(notice(STALE)));
      const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), state, actor));
      await respond(replace(buildAgingMessage(model)));
    });
  };
  app.action<BlockAction>(AGING_ACTIONS.back, rerender);
  app.action<BlockAction>(AGING_ACTIONS.metrics, rerender);

  const filters: [string, keyof AgingState][] = [
    [AGING_ACTIONS.filterClient, "c"],
    [AGING_ACTIONS.filterProject, "p"],
    [AGING_ACTIONS.filterCollector, "m"],
    [AGING_ACTIONS.filterCurrency, "x"],
  ];
  for (const [actionId, key] of filters) {
    app.action<BlockAction>(actionId, async ({ ack, body, respond, context }) => {
      await ack();
      await guarded(deps, "aging filter", { body, respond, context }, async (actor) => {
        const { blockId, selected } = actionOf(body);
        const state = decodeAgingState(blockId);
        if (!state || !selected) return void (await respond(notice(STALE)));
        const next: AgingState = {
          a: state.a,
          b: state.b,
          c: state.c,
          p: state.p,
          m: state.m,
          x: state.x,
          d: state.d,
        };
        if (selected === AGING_ALL) delete next[key];
        else (next as Record<string, unknown>)[key] = selected;
        const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), next, actor));
        await respond(replace(buildAgingMessage(model)));
      });
    });
  }

  for (const [actionId, kind, allLabel] of [
    [AGING_ACTIONS.filterClient, "client", "All clients"],
    [AGING_ACTIONS.filterProject, "project", "All projects"],
  ] as const) {
    app.options(actionId, async ({ ack, body, options, context }) => {
      try {
        const actor = await actorOf(deps, context, (body as { user: { id: string } }).user.id);
        if (whyNotAllowed(actor, { action: "viewAging" })) return void (await ack({ options: [] }));
        const { choices } = await listAgingFilterChoices(deps, {
          workspaceId: workspaceIdOf(context),
          actor,
          kind,
          query: (options as { value?: string }).value ?? "",
        });
        await ack(buildAgingFilterOptions(choices, allLabel));
      } catch (error) {
        userMessageOf(error, deps, "aging options");
        await ack({ options: [] });
      }
    });
  }

  const menu = async ({ body, respond, context, client }: ActionArgs) => {
    await guarded(deps, "aging menu", { body, respond, context }, async (actor) => {
      const { blockId, selected } = actionOf(body);
      const value = decodeAgingMenuValue(selected);
      const state = decodeAgingState(blockId);
      if (!value || !state) return void (await respond(notice(STALE)));
      const workspaceId = workspaceIdOf(context);
      if (value.verb === "invoices") {
        const { model } = await renderReport(deps, {
          ...requestOf(workspaceId, state, actor),
          clientId: value.id,
          projectId: undefined,
        });
        await respond(replace(buildAgingMessage(model)));
        return;
      }
      // Before listing the client's invoices: a PM may see the report but not act on collections.
      assertAllowed(actor, { action: "collect" });
      let invoiceId = value.id;
      if (value.target === "client") {
        const open = await listClientOpenInvoices(deps, {
          workspaceId,
          clientId: value.id,
          limit: value.verb === "pay" ? CLIENT_PAYMENT_MAX_INVOICES : 11,
        });
        const [only] = open.invoices;
        const currencies = new Set(open.invoices.map((i) => i.currency));
        // One transfer for several invoices in one currency: settled oldest due first.
        if (value.verb === "pay" && open.clientName && open.invoices.length > 1 && currencies.size === 1) {
          await client.views.open({
            trigger_id: body.trigger_id,
            view: clientPaymentModal(value.id, open, deps.now()),
          });
          return;
        }
        if (!only || open.invoices.length > 1) {
          await respond(notice(pickInvoiceText(value.verb, open)));
          return;
        }
        invoiceId = only.invoiceId;
      }
      if (value.verb === "pay") {
        await openCollectionModal(deps, client, {
          modal: COLLECTION_ACTIONS.recordPayment,
          triggerId: body.trigger_id,
          context,
          slackUserId: body.user.id,
          invoiceId,
        });
        return;
      }
      await respond(notice(await sendReminderNowFromSlack(deps, { workspaceId, invoiceId, actor })));
    });
  };
  app.action<BlockAction>(AGING_ACTIONS.debtorMenu, async (args) => {
    await args.ack();
    await menu(args);
  });
  app.action<BlockAction>(AGING_ACTIONS.invoiceMenu, async (args) => {
    await args.ack();
    await menu(args);
  });

  app.action<BlockAction>(AGING_ACTIONS.share, async ({ ack, body, respond, context, client }) => {
    await ack();
    await guarded(deps, "aging share", { body, respond, context }, async (actor) => {
      const state = decodeAgingState(actionOf(body).value);
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (!state || !channel) return void (await respond(notice(STALE)));
      const click = await claimClick(deps.db, onceKey(body, "share"));
      if (!click.claimed)
        return void (await respond(notice("This report is already shared in this channel.")));
      const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), state, actor));
      try {
        await client.chat.postMessage({ channel, ...buildAgingSharedMessage(model, body.user.id) });
      } catch (error) {
        await click.release();
        const code = (error as { data?: { error?: string } }).data?.error;
        if (code === "not_in_channel" || code === "channel_not_found") {
          await respond(
            notice("Cobro cannot post in this channel: invite it with `/invite @Cobro` and try again."),
          );
          return;
        }
        throw error;
      }
      await respond(notice(":white_check_mark: Shared in this channel."));
    });
  });

  // At most one statement a day per client: a double click or a second collector is told it went.
  app.action<BlockAction>(AGING_ACTIONS.statement, async ({ ack, body, respond, context }) => {
    await ack();
    await guarded(deps, "aging statement", { body, respond, context }, async (actor) => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state?.c) return void (await respond(notice(STALE)));
      assertAllowed(actor, { action: "collect" });
      const sent = await sendClientStatement(deps, {
        workspaceId: workspaceIdOf(context),
        client: state.c,
        actor: actor.memberId ?? `slack:${actor.slackUserId}`,
      });
      const to = sent.to.join(", ");
      await respond(
        notice(
          sent.alreadyDone
            ? slackText`The statement of account of ${sent.clientName} already went today to ${to}.`
            : slackText`:email: The statement of account of ${sent.clientName} is on its way to ${to}.`,
        ),
      );
    });
  });

  // The CSV goes to the user's DM with Cobro, not the channel: receivables are not for everyone.
  app.action<BlockAction>(AGING_ACTIONS.exportCsv, async ({ ack, body, respond, context, client }) => {
    await ack();
    await guarded(deps, "aging export", { body, respond, context }, async (actor) => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state) return void (await respond(notice(STALE)));
      const click = await claimClick(deps.db, onceKey(body, "export"));
      if (!click.claimed) return void (await respond(notice("This CSV is already in your direct messages.")));
      try {
        // The CSV lists every client balance: the full report, not the summary.
        const result = await buildAgingReport(deps, requestOf(workspaceIdOf(context), state, actor));
        const dm = await client.conversations.open({ users: body.user.id });
        const channelId = dm.channel?.id;
        if (!channelId) throw new Error("conversations.open returned no channel");
        await client.files.uploadV2({
          channel_id: channelId,
          filename: `aging-${result.report.asOf}.csv`,
          title: `Aged receivables as of ${result.report.asOf}`,
          content: toAgingCsv(result.report),
          initial_comment: `Aged receivables as of ${result.report.asOf} (${result.report.clients.length} client balances).`,
        });
      } catch (error) {
        await click.release();
        throw error;
      }
      await respond(notice(":page_facing_up: The CSV is in your direct messages with Cobro."));
    });
  });
}
