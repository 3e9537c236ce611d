// What a name (client, project, milestone, member) may hold, and how project codes compare: one
// rule for every entry point (CSV imports, Slack commands and forms). Pure.

// Bidirectional embeddings, overrides and isolates can make "Acme" display as another name.
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;
// C0 and C1 controls (NUL, bell, escape…) and line or paragraph separators.
const isControl = (code: number) =>
  code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
const hasControl = (text: string) => [...text].some((ch) => isControl(ch.codePointAt(0) ?? 0));
// Characters that take no room: a name made only of them (and spaces) looks empty.
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF\u00AD\u180E]/gu;

/** Why `text` cannot be a name (a phrase to follow the field's name), or null when it can. */
export function nameProblem(text: string): string | null {
  const code = nameProblemCode(text);
  return code ? NAME_PROBLEMS[code] : null;
}

const NAME_PROBLEMS = {
  nul: "contains a NUL byte (\\0): retype it or save the file as UTF-8 text",
  line_break: "contains a line break: a name is one line",
  control: "contains a control character: retype it without it",
  bidi: "contains a text-direction override (U+202A–U+202E or U+2066–U+2069) that can disguise it: retype it without it",
  invisible: "has only invisible characters: give a visible name",
} as const;

/** What is wrong with a name, as a code a transport can say in the reader's language. */
export function nameProblemCode(text: string): keyof typeof NAME_PROBLEMS | null {
  if (text.includes("\u0000")) return "nul";
  if (/[\r\n]/.test(text)) return "line_break";
  if (hasControl(text)) return "control";
  if (BIDI_CONTROLS.test(text)) return "bidi";
  if (text.replace(INVISIBLE, "") === "") return "invisible";
  return null;
}

/** Whether typed text contains a NUL byte, which no database text can hold. */
export const hasNul = (text: string) => text.includes("\u0000");

/**
 * The form a project code is compared in. Codes are stored as written ("atlas", "ATLAS-2"); every
 * lookup compares this form on both sides, so a code offered anywhere is accepted everywhere.
 */
export function projectCodeKey(code: string): string {
  return code.trim().toLowerCase();
}

/** The form a name is matched in when a file names a project or a person: no accents, case or extra spaces. */
export function nameKey(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").trim().toLowerCase().replace(/\s+/g, " ");
}
