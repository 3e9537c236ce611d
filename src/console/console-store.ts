// What the console's Slack holds while it runs: the messages of each conversation (threads and
// ephemeral ones included), each person's modal stack and App Home, uploaded files, the trigger ids
// and response_urls handed out. In memory, like a chat client's view of a workspace; every change
// is pushed to the open pages as a server-sent event.
import { randomBytes } from "node:crypto";

type Json = Record<string, unknown>;

export type ConsoleMessage = {
  channel: string;
  ts: string;
  threadTs?: string;
  /** The Slack user id of the author: Cobro's bot or a person typing a command. */
  user: string;
  text: string;
  blocks: Json[];
  /** Shown only to this person (chat.postEphemeral, ephemeral response_url replies). */
  ephemeralTo?: string;
  files?: { id: string; name: string; title: string }[];
  edited?: boolean;
};

export type ConsoleView = {
  id: string;
  hash: string;
  userId: string;
  externalId?: string;
  rootViewId: string;
  previousViewId: string | null;
  /** The view as Cobro sent it (type, title, blocks, callback_id, private_metadata…). */
  view: Json;
};

export type ConsoleFile = { id: string; name: string; title: string; bytes: Buffer; userId?: string };

export type ResponseTarget = { userId: string; channel: string; messageTs?: string; ephemeral?: boolean };

export type ConsoleEvent =
  | { type: "message"; message: ConsoleMessage }
  | { type: "message_deleted"; channel: string; ts: string }
  | { type: "modal"; userId: string }
  | { type: "home"; userId: string }
  | { type: "reset" };

/** Slack lets a trigger id open one view, within 3 seconds of the interaction. */
export const TRIGGER_TTL_MS = 3_000;

export const BOT_USER_ID = "UCOBROBOT";

export type ConsoleStore = ReturnType<typeof createConsoleStore>;

export function createConsoleStore(now: () => number = Date.now) {
  const messages: ConsoleMessage[] = [];
  const modals = new Map<string, ConsoleView[]>();
  const homes = new Map<string, ConsoleView>();
  const files = new Map<string, ConsoleFile>();
  const triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  const responses = new Map<string, ResponseTarget>();
  const listeners = new Set<(event: ConsoleEvent) => void>();
  let lastTs = 0;
  const randomId = (prefix: string, bytes = 5) =>
    `${prefix}${randomBytes(bytes).toString("hex").toUpperCase()}`;
  const emit = (event: ConsoleEvent) => {
    for (const listener of listeners) listener(event);
  };
  const nextTs = () => {
    // Unique and increasing, like Slack's message timestamps.
    lastTs = Math.max(lastTs + 1, now() * 1000);
    return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, "0")}`;
  };
  const viewOf = (userId: string, id: string) =>
    [...(modals.get(userId) ?? []), ...[homes.get(userId)].flatMap((home) => (home ? [home] : []))].find(
      (v) => v.id === id,
    );
  return {
    subscribe(listener: (event: ConsoleEvent) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    randomId,
    messages: () => [...messages],
    findMessage: (channel: string, ts: string) => messages.find((m) => m.channel === channel && m.ts === ts),
    post(message: Omit<ConsoleMessage, "ts"> & { ts?: string }): ConsoleMessage {
      const stored = { ...message, ts: message.ts ?? nextTs() };
      messages.push(stored);
      emit({ type: "message", message: stored });
      return stored;
    },
    update(channel: string, ts: string, change: Partial<Pick<ConsoleMessage, "text" | "blocks">>) {
      const found = messages.find((m) => m.channel === channel && m.ts === ts);
      if (!found) return undefined;
      Object.assign(found, change, { edited: true });
      emit({ type: "message", message: found });
      return found;
    },
    remove(channel: string, ts: string): boolean {
      const index = messages.findIndex((m) => m.channel === channel && m.ts === ts);
      if (index < 0) return false;
      messages.splice(index, 1);
      emit({ type: "message_deleted", channel, ts });
      return true;
    },
    issueTrigger(userId: string): string {
      const id = `${Math.floor(now() / 1000)}.${randomBytes(6).toString("hex")}`;
      triggers.set(id, { userId, issuedAt: now(), used: false });
      return id;
    },
    /** Slack's answer to a trigger id: usable once, for 3 seconds. */
    useTrigger(id: string): { userId: string } | { error: string } {
      const trigger = triggers.get(id);
      if (!trigger) return { error: "invalid_trigger_id" };
      if (trigger.used) return { error: "exchanged_trigger_id" };
      if (now() - trigger.issuedAt > TRIGGER_TTL_MS) return { error: "expired_trigger_id" };
      trigger.used = true;
      return { userId: trigger.userId };
    },
    responseUrlId(target: ResponseTarget): string {
      const id = randomBytes(12).toString("hex");
      responses.set(id, target);
      return id;
    },
    responseTarget: (id: string) => responses.get(id),
    modalStack: (userId: string) => [...(modals.get(userId) ?? [])],
    home: (userId: string) => homes.get(userId),
    findView(id: string | undefined, externalId?: string): ConsoleView | undefined {
      for (const view of [...[...modals.values()].flat(), ...homes.values()]) {
        if ((id && view.id === id) || (externalId && view.externalId === externalId)) return view;
      }
      return undefined;
    },
    viewOf,
    openModal(userId: string, view: Json, mode: "open" | "push"): ConsoleView {
      const stack = mode === "open" ? [] : (modals.get(userId) ?? []);
      const id = randomId("V");
      const opened: ConsoleView = {
        id,
        hash: `${Math.floor(now() / 1000)}.${randomBytes(4).toString("hex")}`,
        userId,
        ...(typeof view.external_id === "string" ? { externalId: view.external_id } : {}),
        rootViewId: stack[0]?.id ?? id,
        previousViewId: stack.at(-1)?.id ?? null,
        view,
      };
      modals.set(userId, [...stack, opened]);
      emit({ type: "modal", userId });
      return opened;
    },
    replaceView(existing: ConsoleView, view: Json): ConsoleView {
      existing.view = view;
      existing.hash = `${Math.floor(now() / 1000)}.${randomBytes(4).toString("hex")}`;
      if (view.type === "home") emit({ type: "home", userId: existing.userId });
      else emit({ type: "modal", userId: existing.userId });
      return existing;
    },
    closeModal(userId: string, all: boolean) {
      const stack = modals.get(userId) ?? [];
      modals.set(userId, all ? [] : stack.slice(0, -1));
      emit({ type: "modal", userId });
    },
    publishHome(userId: string, view: Json): ConsoleView {
      const existing = homes.get(userId);
      if (existing) return this.replaceView(existing, view);
      const id = randomId("V");
      const home: ConsoleView = {
        id,
        hash: `${Math.floor(now() / 1000)}.${randomBytes(4).toString("hex")}`,
        userId,
        rootViewId: id,
        previousViewId: null,
        view,
      };
      homes.set(userId, home);
      emit({ type: "home", userId });
      return home;
    },
    addFile(file: Omit<ConsoleFile, "id"> & { id?: string }): ConsoleFile {
      const stored = { ...file, id: file.id ?? randomId("F") };
      files.set(stored.id, stored);
      return stored;
    },
    file: (id: string) => files.get(id),
    reset() {
      messages.length = 0;
      modals.clear();
      homes.clear();
      files.clear();
      emit({ type: "reset" });
    },
  };
}
