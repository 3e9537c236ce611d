// Parses the text of `/aging [client|project|@collector] [as-of YYYY-MM-DD] [by issue|due]`. Pure.
import { isCalendarDate } from "../../domain/calendar.ts";

export type AgingArgs =
  | { ok: true; target?: string; asOf?: string; basis: "due" | "issue" }
  | { ok: false; problem: string };

export function parseAgingArgs(text: string | undefined): AgingArgs {
  const tokens = (text ?? "").trim().split(/\s+/).filter(Boolean);
  let asOf: string | undefined;
  let basis: "due" | "issue" = "due";
  const rest: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const lower = token.toLowerCase();
    if (lower === "as-of" || lower === "asof" || lower.startsWith("as-of=")) {
      const value = lower.startsWith("as-of=") ? token.slice(6) : tokens[++i];
      if (!value) return { ok: false, problem: "`as-of` needs a date after it, like `as-of 2026-03-31`." };
      if (!isCalendarDate(value)) {
        return {
          ok: false,
          problem: `"${value}" is not a date: write it as YYYY-MM-DD, e.g. \`as-of 2026-03-31\`.`,
        };
      }
      asOf = value;
    } else if (lower === "by") {
      const value = tokens[++i]?.toLowerCase();
      if (value !== "issue" && value !== "due") {
        return {
          ok: false,
          problem: `\`by\` is followed by \`issue\` or \`due\`${value ? `, not "${value}"` : ""}.`,
        };
      }
      basis = value;
    } else {
      rest.push(token);
    }
  }
  const target = rest.join(" ");
  const mentions = target.match(/<@[^>]+>/g) ?? [];
  if (mentions.length > 1 || (mentions.length === 1 && target !== mentions[0])) {
    return { ok: false, problem: "Filter by one client, project or @collector at a time." };
  }
  if (target.length > 200)
    return { ok: false, problem: "That filter is too long: use the client's id or a project code." };
  return { ok: true, basis, ...(target ? { target } : {}), ...(asOf ? { asOf } : {}) };
}
