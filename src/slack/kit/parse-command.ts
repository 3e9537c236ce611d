// Reads the text of `/milestone` and `/cobro` into a command; never throws, whatever was typed.
import { tokenizeCommand } from "../../domain/match-project.ts";

export type MilestoneCommand =
  | { verb: "done"; tokens: string[] }
  | { verb: "undo"; tokens: string[] }
  | { verb: "list"; project?: string }
  | { verb: "add"; project: string; name: string; amount: string; plannedDate?: string }
  | { verb: "help" }
  | { verb: "invalid"; problem: string };

export type CobroCommand =
  | { verb: "setup" }
  | { verb: "time" }
  | { verb: "link"; project: string }
  | { verb: "client"; reference: string }
  | { verb: "project"; reference: string }
  | {
      verb: "policy";
      scope:
        | { kind: "client" | "project"; reference: string }
        | { kind: "profile"; profile: "business" | "public" | "individual" };
    }
  | { verb: "about" }
  | { verb: "help" }
  | { verb: "invalid"; problem: string };

const MAX_TEXT = 500;

function isCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === date;
}

export function parseMilestoneCommand(text: string): MilestoneCommand {
  if (text.length > MAX_TEXT)
    return { verb: "invalid", problem: "That is too long for a milestone command." };
  const tokens = tokenizeCommand(text);
  const [verb, ...rest] = tokens;
  switch (verb?.toLowerCase()) {
    case undefined:
    case "help":
      return { verb: "help" };
    case "done":
      return { verb: "done", tokens: rest };
    case "undo":
      return { verb: "undo", tokens: rest };
    case "list":
      return rest.length > 0 ? { verb: "list", project: rest.join(" ") } : { verb: "list" };
    case "add": {
      const [project, name, amount, date, ...extra] = rest;
      if (!project || !name || !amount) {
        return {
          verb: "invalid",
          problem: 'To add a milestone: `/milestone add <project> "<name>" <amount> [YYYY-MM-DD]`.',
        };
      }
      if (extra.length > 0) {
        return {
          verb: "invalid",
          problem:
            'Put the milestone name in quotes when it has spaces: `/milestone add ATLAS "Phase 2" 5000`.',
        };
      }
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        return { verb: "invalid", problem: `"${date.slice(0, 40)}" is not a date: write it as YYYY-MM-DD.` };
      }
      // Date.parse rolls 2026-02-30 over to 2 March: only a date that survives the round trip is real.
      if (date !== undefined && !isCalendarDate(date)) {
        return { verb: "invalid", problem: `${date} is not a real date.` };
      }
      return { verb: "add", project, name, amount, ...(date ? { plannedDate: date } : {}) };
    }
    default:
      return {
        verb: "invalid",
        problem: `"${String(verb).slice(0, 40)}" is not a /milestone command. Use done, list, add or undo.`,
      };
  }
}

export function parseCobroCommand(text: string): CobroCommand {
  if (text.length > MAX_TEXT) return { verb: "invalid", problem: "That is too long for a /cobro command." };
  const [verb, ...rest] = tokenizeCommand(text);
  switch (verb?.toLowerCase()) {
    case undefined:
    case "help":
      return { verb: "help" };
    case "setup":
    case "settings":
      return { verb: "setup" };
    case "time":
      return { verb: "time" };
    case "about":
      return { verb: "about" };
    case "link":
      return rest.length > 0
        ? { verb: "link", project: rest.join(" ") }
        : { verb: "invalid", problem: "Say which project: `/cobro link <project>`." };
    case "client":
      return rest.length > 0
        ? { verb: "client", reference: rest.join(" ") }
        : { verb: "invalid", problem: "Say which client: `/cobro client <name or id>`." };
    case "project":
      return rest.length > 0
        ? { verb: "project", reference: rest.join(" ") }
        : { verb: "invalid", problem: "Say which project: `/cobro project <code>`." };
    case "policy": {
      const [kind, ...ref] = rest;
      const what = kind?.toLowerCase();
      if ((what === "client" || what === "project") && ref.length > 0) {
        return { verb: "policy", scope: { kind: what, reference: ref.join(" ") } };
      }
      if ((what === "business" || what === "public" || what === "individual") && ref.length === 0) {
        return { verb: "policy", scope: { kind: "profile", profile: what } };
      }
      return {
        verb: "invalid",
        problem:
          "Say whose reminder policy: `/cobro policy client <name>`, `/cobro policy project <code>` or `/cobro policy business|public|individual`.",
      };
    }
    default:
      return { verb: "invalid", problem: `"${String(verb).slice(0, 40)}" is not a /cobro command.` };
  }
}
