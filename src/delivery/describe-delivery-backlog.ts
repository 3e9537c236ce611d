// The delivery backlog in a few lines of plain text: `cobro doctor` prints them (after
// "deliveries: "), the App Home shows them to admins.
import { type DeliveryBacklog, FAILURE_DAYS } from "./load-delivery-backlog.ts";

function age(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

export function describeDeliveryBacklog(backlog: DeliveryBacklog, now: Date): string[] {
  const lines = [
    backlog.waiting === 0
      ? "none waiting"
      : `${backlog.waiting} waiting, the oldest for ${age(now.getTime() - (backlog.oldestWaitingSince?.getTime() ?? now.getTime()))}`,
  ];
  if (backlog.unknown > 0) {
    lines.push(
      `${backlog.unknown} may have been sent before Cobro stopped; billing is asked in Slack (Send again / It arrived)`,
    );
  }
  for (const failure of backlog.failures) {
    lines.push(`failed in the last ${FAILURE_DAYS} days: ${failure.count} × ${failure.reason}`);
  }
  return lines;
}
