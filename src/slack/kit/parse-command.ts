// Reads the text of `/milestone` and `/cobro` into a command; never throws, whatever was typed.
// Keywords are English; Spanish and French synonyms are accepted (`/milestone hecho`, `terminé`).
import { isCalendarDate } from "../../domain/calendar.ts";
import { tokenizeCommand } from "../../domain/match-project.ts";
import { DEFAULT_LOCALE, type Locale, localeFromTag, t } from "../../i18n/index.ts";

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
  | { verb: "language"; language: Locale | "auto" }
  | { verb: "help" }
  | { verb: "invalid"; problem: string };

const MAX_TEXT = 500;

/** Synonyms of each keyword, lower case and without accents (`terminé` is read as `termine`). */
const SYNONYMS: Record<string, string> = {
  hecho: "done",
  terminado: "done",
  termine: "done",
  fait: "done",
  fini: "done",
  lista: "list",
  listar: "list",
  liste: "list",
  anadir: "add",
  agregar: "add",
  ajouter: "add",
  deshacer: "undo",
  annuler: "undo",
  ayuda: "help",
  aide: "help",
  configurar: "setup",
  configurer: "setup",
  tiempo: "time",
  horas: "time",
  temps: "time",
  heures: "time",
  vincular: "link",
  lier: "link",
  cliente: "client",
  proyecto: "project",
  projet: "project",
  politica: "policy",
  politique: "policy",
  idioma: "language",
  langue: "language",
  lang: "language",
  "acerca-de": "about",
  "a-propos": "about",
  empresa: "business",
  entreprise: "business",
  publico: "public",
  particular: "individual",
  particulier: "individual",
};

/** A typed keyword as the English one it stands for. */
export function keywordOf(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  const plain = token
    .toLowerCase()
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "");
  return SYNONYMS[plain] ?? plain;
}

export function parseMilestoneCommand(text: string, locale: Locale = DEFAULT_LOCALE): MilestoneCommand {
  if (text.length > MAX_TEXT)
    return { verb: "invalid", problem: t(locale, "parse.too_long", { command: "/milestone" }) };
  const tokens = tokenizeCommand(text);
  const [verb, ...rest] = tokens;
  switch (keywordOf(verb)) {
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
      const [project, name, first, ...after] = rest;
      // "4 500,25" arrives as two words: the groups of three digits after the first are its thousands.
      const groups: string[] = [];
      while (after[0] !== undefined && /^\d{3}([.,]\d{1,3})?$/.test(after[0]))
        groups.push(String(after.shift()));
      const amount = first === undefined ? undefined : [first, ...groups].join(" ");
      const [date, ...extra] = after;
      if (!project || !name || !amount) {
        return { verb: "invalid", problem: t(locale, "parse.milestone.add_usage") };
      }
      if (extra.length > 0) {
        return { verb: "invalid", problem: t(locale, "parse.milestone.quote_name") };
      }
      if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        return { verb: "invalid", problem: t(locale, "parse.not_a_date", { text: date.slice(0, 40) }) };
      }
      // Date.parse rolls 2026-02-30 over to 2 March: only a date that survives the round trip is real.
      if (date !== undefined && !isCalendarDate(date)) {
        return { verb: "invalid", problem: t(locale, "parse.not_a_real_date", { date }) };
      }
      return { verb: "add", project, name, amount, ...(date ? { plannedDate: date } : {}) };
    }
    default:
      return {
        verb: "invalid",
        problem: t(locale, "parse.milestone.unknown_verb", { verb: String(verb).slice(0, 40) }),
      };
  }
}

export function parseCobroCommand(text: string, locale: Locale = DEFAULT_LOCALE): CobroCommand {
  if (text.length > MAX_TEXT)
    return { verb: "invalid", problem: t(locale, "parse.too_long", { command: "/cobro" }) };
  const [verb, ...rest] = tokenizeCommand(text);
  switch (keywordOf(verb)) {
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
        : { verb: "invalid", problem: t(locale, "parse.cobro.which_project_link") };
    case "client":
      return rest.length > 0
        ? { verb: "client", reference: rest.join(" ") }
        : { verb: "invalid", problem: t(locale, "parse.cobro.which_client") };
    case "project":
      return rest.length > 0
        ? { verb: "project", reference: rest.join(" ") }
        : { verb: "invalid", problem: t(locale, "parse.cobro.which_project") };
    case "policy": {
      const [kind, ...ref] = rest;
      const what = keywordOf(kind);
      if ((what === "client" || what === "project") && ref.length > 0) {
        return { verb: "policy", scope: { kind: what, reference: ref.join(" ") } };
      }
      if ((what === "business" || what === "public" || what === "individual") && ref.length === 0) {
        return { verb: "policy", scope: { kind: "profile", profile: what } };
      }
      return { verb: "invalid", problem: t(locale, "parse.cobro.which_policy") };
    }
    case "language": {
      const [choice, ...extra] = rest;
      const language = choice?.toLowerCase() === "auto" ? "auto" : localeFromTag(choice);
      if (
        !language ||
        extra.length > 0 ||
        (language !== "auto" && !/^[a-z]{2}([-_][a-z]{2})?$/i.test(choice ?? ""))
      ) {
        return { verb: "invalid", problem: t(locale, "parse.cobro.which_language") };
      }
      return { verb: "language", language };
    }
    default:
      return {
        verb: "invalid",
        problem: t(locale, "parse.cobro.unknown_verb", { verb: String(verb).slice(0, 40) }),
      };
  }
}
