// A delivery's payload is JSON written by its claim; its handler reads it back through a zod schema,
// so a payload its handler cannot read fails that delivery with the reason, instead of a cast lying.
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";

export function readPayload<T extends z.ZodType>(
  delivery: { id: string; payload: unknown },
  schema: T,
): z.output<T> {
  const parsed = schema.safeParse(delivery.payload);
  if (parsed.success) return parsed.data;
  const problem = z.prettifyError(parsed.error).replaceAll("\n", " ");
  throw new DomainError("delivery.payload_unreadable", `delivery ${delivery.id}: ${problem}`, {
    userMessage: `Cobro cannot read what this delivery was to send (${problem}); it was not sent.`,
  });
}
