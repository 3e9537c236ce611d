// A NUL byte typed or pasted into a command or a form is refused before any listener: no
// database can store it in text, and a lookup with it fails as "invalid byte sequence".
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { hasNul } from "../domain/names.ts";

export const NUL_REFUSAL =
  "That text contains a NUL byte (\\0), an invisible character Cobro cannot store: retype it instead of pasting it.";

function firstInputBlockId(view: unknown): string | undefined {
  const blocks = (view as { blocks?: { type?: string; block_id?: string }[] } | undefined)?.blocks ?? [];
  return blocks.find((block) => block.type === "input" && block.block_id)?.block_id;
}

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
    if (typeof body.command === "string") return ack({ response_type: "ephemeral", text: NUL_REFUSAL });
    const inputBlockId = body.type === "view_submission" ? firstInputBlockId(body.view) : undefined;
    if (inputBlockId) return ack({ response_action: "errors", errors: { [inputBlockId]: NUL_REFUSAL } });
    return ack();
  };
}
