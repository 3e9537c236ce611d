import type { DeliveryHandler } from "./deliver.ts";

/**
 * One handler per delivery kind, dispatching on `payload.type` so each area (invoices,
 * collections, timesheets) renders its own messages: `slack_message: byPayloadType({...})`.
 */
export function byPayloadType(handlers: Record<string, DeliveryHandler>): DeliveryHandler {
  return (delivery) => {
    const type = (delivery.payload as { type?: unknown }).type;
    const handler = typeof type === "string" ? handlers[type] : undefined;
    if (!handler) {
      throw new Error(`no ${delivery.kind} handler for payload type ${String(type)}`);
    }
    return handler(delivery);
  };
}
