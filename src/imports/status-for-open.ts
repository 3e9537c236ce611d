import type { InvoiceStatus } from "../db/schema/index.ts";

export function statusForOpen(totalMinor: number, openMinor: number): InvoiceStatus {
  if (openMinor === 0) return "paid";
  return openMinor === totalMinor ? "issued" : "partially_paid";
}
