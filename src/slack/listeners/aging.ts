// `/aging` and its buttons and menus: ack at once, call one service, render a pure view, respond.
// The workspace always comes from the verified team_id (context.workspaceId), never from a value.
import type { App, BlockAction, RespondFn, webApi } from "@slack/bolt";
import { toAgingCsv } from "../../domain/aging.ts";
import {
  type AgingReportResult,
  type AgingRequest,
  buildAgingReport,
} from "../../services/build-aging-report.ts";
import { listAgingFilterChoices } from "../../services/list-aging-filter-choices.ts";
import { listAgingInvoices } from "../../services/list-aging-invoices.ts";
import {
  AGING_ACTIONS,
  type AgingMenuValue,
  type AgingState,
  COMMANDS,
  decodeAgingMenuValue,
  decodeAgingState,
} from "../ids.ts";
import { parseAgingArgs } from "../views/aging-args.ts";
import {
  AGING_ALL,
  buildAgingErrorMessage,
  buildAgingFilterOptions,
  buildAgingInvoicesMessage,
  buildAgingMessage,
  buildAgingSharedMessage,
  type SlackMessage,
} from "../views/aging-report.ts";
import { type ListenerDeps, userMessageOf, workspaceIdOf } from "./support.ts";

/**
 * What the aging report forwards to other areas. "Record payment" and "Send reminder" belong to
 * the payments and collections work: when a hook is absent the user is told it is coming,
 * nothing is faked.
 */
export type AgingHooks = {
  recordPayment?: (args: AgingHookArgs) => Promise<void>;
  sendReminder?: (args: AgingHookArgs) => Promise<string>;
};
export type AgingHookArgs = {
  client: webApi.WebClient;
  workspaceId: string;
  slackUserId: string;
  triggerId: string;
  target: AgingMenuValue["target"];
  id: string;
  respond: RespondFn;
};

export type AgingListenerDeps = ListenerDeps & { aging?: AgingHooks };

const LOCALE = "en";

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

function requestOf(workspaceId: string, state: AgingState): AgingRequest {
  return {
    workspaceId,
    asOf: state.a,
    basis: state.b,
    clientId: state.c,
    projectId: state.p,
    collectorMemberId: state.m,
    currency: state.x,
    withMetrics: state.d === 1,
  };
}

async function renderReport(deps: AgingListenerDeps, request: AgingRequest) {
  const [result, collectors] = await Promise.all([
    buildAgingReport(deps, request),
    listAgingFilterChoices(deps, { workspaceId: request.workspaceId, kind: "collector", limit: 10 }),
  ]);
  const model = {
    report: result.report,
    state: stateOf(result),
    labels: result.filters.labels,
    collectors: collectors.choices,
    collectorsTruncated: collectors.truncated,
    locale: LOCALE,
  };
  return { result, model };
}

async function renderInvoices(deps: AgingListenerDeps, workspaceId: string, state: AgingState) {
  const page = await listAgingInvoices(deps, {
    ...requestOf(workspaceId, state),
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
    locale: LOCALE,
  });
}

type ActionArgs = {
  body: BlockAction;
  respond: RespondFn;
  context: Record<string, unknown>;
  client: webApi.WebClient;
};

/** Runs an action after its ack; refusals become an ephemeral line, never a stack trace. */
async function guarded(deps: AgingListenerDeps, where: string, respond: RespondFn, fn: () => Promise<void>) {
  try {
    await fn();
  } catch (error) {
    await respond(notice(`:warning: ${userMessageOf(error, deps, where)}`)).catch(() => {});
  }
}

function actionOf(body: BlockAction) {
  const action = body.actions[0] as
    | { block_id?: string; value?: string; selected_option?: { value: string } | null }
    | undefined;
  return {
    blockId: action?.block_id,
    value: action?.value,
    selected: action?.selected_option?.value,
  };
}

const STALE = "This report is out of date: run `/aging` again.";

export function registerAgingListeners(app: App, deps: AgingListenerDeps): void {
  app.command(COMMANDS.aging, async ({ ack, command, respond, context }) => {
    await ack();
    const args = parseAgingArgs(command.text);
    if (!args.ok) {
      await respond(ephemeral(buildAgingErrorMessage(args.problem)));
      return;
    }
    try {
      const { model } = await renderReport(deps, {
        workspaceId: workspaceIdOf(context),
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
    await guarded(deps, "aging drill-down", respond, async () => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state || state.k === undefined) return void (await respond(notice(STALE)));
      await respond(replace(await renderInvoices(deps, workspaceIdOf(context), state)));
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
    await guarded(deps, "aging back", respond, async () => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state) return void (await respond(notice(STALE)));
      const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), state));
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
      await guarded(deps, "aging filter", respond, async () => {
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
        const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), next));
        await respond(replace(buildAgingMessage(model)));
      });
    });
  }

  for (const [actionId, kind, allLabel] of [
    [AGING_ACTIONS.filterClient, "client", "All clients"],
    [AGING_ACTIONS.filterProject, "project", "All projects"],
  ] as const) {
    app.options(actionId, async ({ ack, options, context }) => {
      try {
        const { choices } = await listAgingFilterChoices(deps, {
          workspaceId: workspaceIdOf(context),
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
    await guarded(deps, "aging menu", respond, async () => {
      const { blockId, selected } = actionOf(body);
      const value = decodeAgingMenuValue(selected);
      const state = decodeAgingState(blockId);
      if (!value || !state) return void (await respond(notice(STALE)));
      const workspaceId = workspaceIdOf(context);
      if (value.verb === "invoices") {
        const { model } = await renderReport(deps, {
          ...requestOf(workspaceId, state),
          clientId: value.id,
          projectId: undefined,
        });
        await respond(replace(buildAgingMessage(model)));
        return;
      }
      const hook = value.verb === "pay" ? deps.aging?.recordPayment : deps.aging?.sendReminder;
      if (!hook) {
        const what = value.verb === "pay" ? "Recording a payment" : "Sending a reminder";
        await respond(
          notice(
            `${what} from the aging report is not available yet: it comes with the ${value.verb === "pay" ? "payments" : "collections"} feature. Nothing was changed.`,
          ),
        );
        return;
      }
      const hookArgs = {
        client,
        workspaceId,
        slackUserId: body.user.id,
        triggerId: body.trigger_id,
        target: value.target,
        id: value.id,
        respond,
      };
      const reply = await hook(hookArgs);
      if (typeof reply === "string") await respond(notice(reply));
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
    await guarded(deps, "aging share", respond, async () => {
      const state = decodeAgingState(actionOf(body).value);
      const channel = body.channel?.id ?? body.container?.channel_id;
      if (!state || !channel) return void (await respond(notice(STALE)));
      const { model } = await renderReport(deps, requestOf(workspaceIdOf(context), state));
      try {
        await client.chat.postMessage({ channel, ...buildAgingSharedMessage(model, body.user.id) });
      } catch (error) {
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

  // The CSV goes to the user's DM with Cobro, not the channel: receivables are not for everyone.
  app.action<BlockAction>(AGING_ACTIONS.exportCsv, async ({ ack, body, respond, context, client }) => {
    await ack();
    await guarded(deps, "aging export", respond, async () => {
      const state = decodeAgingState(actionOf(body).value);
      if (!state) return void (await respond(notice(STALE)));
      const { result } = await renderReport(deps, requestOf(workspaceIdOf(context), state));
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
      await respond(notice(":page_facing_up: The CSV is in your direct messages with Cobro."));
    });
  });
}
