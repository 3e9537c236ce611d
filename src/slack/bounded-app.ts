// What Cobro refuses of a Slack request before a listener does any work, in the way Slack shows the
// user best: on POST /slack/events, before Bolt's receiver, a timestamp ahead of now and a body Bolt
// cannot work on; in the App, work beyond a per-process bound and text with a NUL byte.
//
// The bound: listeners keep Bolt's shape (`await ack()`, then the work): their ack resolves once the
// request's turn has come (the work gate), so at most `concurrency` requests run their work and a
// bounded number wait. When the backlog is full the request is refused before any work.
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  type AnyMiddlewareArgs,
  App,
  type AppOptions,
  type BufferedIncomingMessage,
  HTTPModuleFunctions,
  type Middleware,
  type ReceiverEvent,
} from "@slack/bolt";
import { hasNul } from "../domain/names.ts";
import type { RouteHandler } from "../http/server.ts";
import { DEFAULT_LOCALE, type Locale, t } from "../i18n/index.ts";
import type { Logger } from "../logger.ts";
import { localeOf } from "./kit/support.ts";

// --- the request guard, before Bolt's receiver ---------------------------------------------------
// The server has read the body within the route's limit. Bolt refuses only old timestamps, and a
// signed `null` body makes its receiver throw outside its error handling (never answered).

/** Slack's rule for request timestamps: within 5 minutes of now, either way. */
const TIMESTAMP_SKEW_SECONDS = 5 * 60;

export function datedAhead(header: string | string[] | undefined, nowMs: number): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > Math.floor(nowMs / 1000) + TIMESTAMP_SKEW_SECONDS;
}

function parsesToObject(req: BufferedIncomingMessage): boolean {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req);
    return typeof body === "object" && body !== null;
  } catch {
    // Unparsable bodies Bolt refuses itself, after the signature: 401 unsigned, 400 signed.
    return true;
  }
}

function refuse(res: ServerResponse, status: number): void {
  res.writeHead(status);
  res.end();
}

export function guardSlackEvents(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
  logger: Logger,
): RouteHandler {
  return (req, res, _params, body) => {
    // A request signed for later could be replayed until then.
    if (datedAhead(req.headers["x-slack-request-timestamp"], Date.now())) {
      logger.warn("Slack request refused: its timestamp is more than 5 minutes ahead");
      return refuse(res, 401);
    }
    // Bolt takes a body already read from `rawBody` (its BufferedIncomingMessage).
    const buffered = Object.assign(req, { rawBody: body });
    if (!parsesToObject(buffered)) return refuse(res, 400);
    listener(buffered, res);
  };
}

// --- the work gate ---------------------------------------------------------------------------------
// A per-process bound on the work Slack requests start after their ack: at most `concurrency` run at
// once and at most `backlog` wait their turn; beyond that a request is refused (shed) before its ack,
// so the ack can say "busy" instead of the process piling up work it cannot finish.
export type WorkTicket = {
  /** Resolves when this request may run its work. */
  turn: Promise<void>;
  /** Frees the place (running or waiting); call once the work is over, whatever happened. */
  leave: () => void;
};

export type WorkGate = {
  /** A place to run or to wait, or undefined when the backlog is full (shed the request). */
  enter: () => WorkTicket | undefined;
  running: () => number;
  waiting: () => number;
  /** Resolves once nothing runs or waits, or after `timeoutMs` (shutdown). */
  idle: (timeoutMs: number) => Promise<void>;
};

export type WorkGateLimits = { concurrency: number; backlog: number };

export function createWorkGate(limits: WorkGateLimits): WorkGate {
  if (limits.concurrency < 1 || limits.backlog < 0) throw new Error("work gate: bad limits");
  let running = 0;
  const queue: (() => void)[] = [];
  const idleWaiters = new Set<() => void>();

  const settleIdle = () => {
    if (running > 0 || queue.length > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters.clear();
  };

  const startNext = () => {
    const next = queue.shift();
    if (next) next();
  };

  return {
    enter: () => {
      if (running < limits.concurrency && queue.length === 0) {
        running++;
        let left = false;
        return {
          turn: Promise.resolve(),
          leave: () => {
            if (left) return;
            left = true;
            running--;
            startNext();
            settleIdle();
          },
        };
      }
      if (queue.length >= limits.backlog) return undefined;
      let started = false;
      let left = false;
      let resolveTurn: () => void = () => {};
      const turn = new Promise<void>((resolve) => {
        resolveTurn = resolve;
      });
      const start = () => {
        started = true;
        running++;
        resolveTurn();
      };
      queue.push(start);
      return {
        turn,
        leave: () => {
          if (left) return;
          left = true;
          if (started) {
            running--;
            startNext();
          } else {
            queue.splice(queue.indexOf(start), 1);
          }
          settleIdle();
        },
      };
    },
    running: () => running,
    waiting: () => queue.length,
    idle: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (running === 0 && queue.length === 0) return resolve();
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          resolve();
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.add(done);
      }),
  };
}

// --- the bounded app -------------------------------------------------------------------------------

/** The busy notice in English, for whom Cobro has not read a language yet. */
export const BUSY_TEXT = t(DEFAULT_LOCALE, "cobro.busy");

/**
 * The last language Cobro read for each person (team and user id), so that a request shed before
 * any database lookup still answers in it. Bounded: the oldest entries are forgotten first.
 */
export type LocaleMemory = {
  remember: (teamId: string, userId: string, locale: Locale) => void;
  recall: (body: Record<string, unknown>) => Locale;
};

export function createLocaleMemory(limit = 10_000): LocaleMemory {
  const known = new Map<string, Locale>();
  return {
    remember: (teamId, userId, locale) => {
      const key = `${teamId}:${userId}`;
      known.delete(key);
      known.set(key, locale);
      if (known.size > limit) known.delete(known.keys().next().value as string);
    },
    recall: (body) => {
      const team = body.team as { id?: unknown } | undefined;
      const user = body.user as { id?: unknown } | undefined;
      const teamId = typeof body.team_id === "string" ? body.team_id : team?.id;
      const userId = typeof body.user_id === "string" ? body.user_id : user?.id;
      return known.get(`${String(teamId)}:${String(userId)}`) ?? DEFAULT_LOCALE;
    },
  };
}

/** A request refused for load that Slack can retry (events) or that has no way to carry a message. */
export class BusyError extends Error {
  constructor() {
    super("Cobro is busy: request shed");
    this.name = "BusyError";
  }
}

export type ShedKind = "command" | "view" | "action" | "retry";

type Body = Record<string, unknown>;

function firstInputBlockId(view: unknown): string | undefined {
  const blocks = (view as { blocks?: { type?: string; block_id?: string }[] } | undefined)?.blocks ?? [];
  return blocks.find((block) => block.type === "input" && block.block_id)?.block_id;
}

export type BoundedAppOptions = AppOptions & {
  gate: WorkGate;
  /** Told about every shed request (for logs). */
  onShed: (kind: ShedKind) => void;
  /** Posts the busy notice to a block action's response_url. */
  postBusyNotice: (responseUrl: string, text: string) => Promise<void>;
  /** The languages read on earlier requests: the busy notice is said in the requester's. */
  locales?: LocaleMemory;
};

export class BoundedApp extends App {
  readonly #gate: WorkGate;
  readonly #onShed: BoundedAppOptions["onShed"];
  readonly #postBusyNotice: BoundedAppOptions["postBusyNotice"];
  readonly #locales: LocaleMemory | undefined;

  constructor({ gate, onShed, postBusyNotice, locales, ...options }: BoundedAppOptions) {
    super(options);
    this.#gate = gate;
    this.#onShed = onShed;
    this.#postBusyNotice = postBusyNotice;
    this.#locales = locales;
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const body = event.body as Body;
    // Options requests are answered in the ack itself: there is no work after it to bound.
    if (body.type === "block_suggestion") return super.processEvent(event);
    const ticket = this.#gate.enter();
    if (!ticket) return this.#shed(event, body);
    try {
      await super.processEvent({
        ...event,
        ack: async (response) => {
          await event.ack(response);
          await ticket.turn;
        },
      });
    } finally {
      ticket.leave();
    }
  }

  async #shed(event: ReceiverEvent, body: Body): Promise<void> {
    const locale = this.#locales?.recall(body) ?? DEFAULT_LOCALE;
    if (typeof body.command === "string") {
      this.#onShed("command");
      // The ack's body is shown to the user as an ephemeral message: no extra request needed.
      return event.ack({ response_type: "ephemeral", text: t(locale, "cobro.busy") });
    }
    const inputBlockId = body.type === "view_submission" ? firstInputBlockId(body.view) : undefined;
    if (inputBlockId) {
      this.#onShed("view");
      // The modal stays open with the message under its first field; submitting again retries.
      return event.ack({
        response_action: "errors",
        errors: { [inputBlockId]: t(locale, "cobro.busy_field") },
      });
    }
    if (body.type === "block_actions" && typeof body.response_url === "string") {
      this.#onShed("action");
      await event.ack();
      return this.#postBusyNotice(body.response_url, t(locale, "cobro.busy"));
    }
    // Events (Slack delivers them again later) and clicks with nowhere to write (App Home): an HTTP
    // 503, which Slack retries or shows on the element the user clicked.
    this.#onShed("retry");
    throw new BusyError();
  }
}

// --- NUL bytes ---------------------------------------------------------------------------------------
// A NUL byte typed or pasted into a command or a form is refused before any listener: no
// database can store it in text, and a lookup with it fails as "invalid byte sequence". The
// middleware runs after the reader's language is known (ids never hold a NUL), and answers in it.

function containsNul(value: unknown): boolean {
  if (typeof value === "string") return hasNul(value);
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === "object") return Object.values(value).some(containsNul);
  return false;
}

export function refuseNul(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Record<string, unknown>;
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (!ack || !containsNul(body)) return args.next();
    const refusal = t(localeOf(args.context), "cobro.nul_refused");
    if (typeof body.command === "string") return ack({ response_type: "ephemeral", text: refusal });
    const inputBlockId = body.type === "view_submission" ? firstInputBlockId(body.view) : undefined;
    if (inputBlockId) return ack({ response_action: "errors", errors: { [inputBlockId]: refusal } });
    return ack();
  };
}
