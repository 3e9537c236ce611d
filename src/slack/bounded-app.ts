// Bolt's App with a per-process bound on the work listeners do after their ack (see work-gate.ts).
// Listeners keep Bolt's shape (`await ack()`, then the work): their ack resolves once the request's
// turn has come, so at most `concurrency` requests run their work and a bounded number wait. When the
// backlog is full the request is refused before any work, in the way Slack shows the user best.
import { App, type AppOptions, type ReceiverEvent } from "@slack/bolt";
import type { WorkGate } from "./work-gate.ts";

export const BUSY_TEXT =
  ":hourglass_flowing_sand: Cobro is busy right now and did not do this. Nothing was changed: try again in a minute.";
const BUSY_FIELD_ERROR = "Cobro is busy right now and saved nothing: submit again in a minute.";

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
  postBusyNotice: (responseUrl: string) => Promise<void>;
};

export class BoundedApp extends App {
  readonly #gate: WorkGate;
  readonly #onShed: BoundedAppOptions["onShed"];
  readonly #postBusyNotice: BoundedAppOptions["postBusyNotice"];

  constructor({ gate, onShed, postBusyNotice, ...options }: BoundedAppOptions) {
    super(options);
    this.#gate = gate;
    this.#onShed = onShed;
    this.#postBusyNotice = postBusyNotice;
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
    if (typeof body.command === "string") {
      this.#onShed("command");
      // The ack's body is shown to the user as an ephemeral message: no extra request needed.
      return event.ack({ response_type: "ephemeral", text: BUSY_TEXT });
    }
    const inputBlockId = body.type === "view_submission" ? firstInputBlockId(body.view) : undefined;
    if (inputBlockId) {
      this.#onShed("view");
      // The modal stays open with the message under its first field; submitting again retries.
      return event.ack({ response_action: "errors", errors: { [inputBlockId]: BUSY_FIELD_ERROR } });
    }
    if (body.type === "block_actions" && typeof body.response_url === "string") {
      this.#onShed("action");
      await event.ack();
      return this.#postBusyNotice(body.response_url);
    }
    // Events (Slack delivers them again later) and clicks with nowhere to write (App Home): an HTTP
    // 503, which Slack retries or shows on the element the user clicked.
    this.#onShed("retry");
    throw new BusyError();
  }
}
