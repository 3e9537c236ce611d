// Time entries from CSV exports (Cobro's own columns, Harvest, Toggl Track, Clockify detailed
// reports) and API items: raw cells in, validated drafts or {line, column, message} errors out.
// Headers arrive normalised by readCsv: lower case, spaces as "_" ("Billable?" → "billable?").

import { readWrittenDate } from "./calendar.ts";
import { present } from "./errors.ts";
import type { RawRow, RowError } from "./import-rows.ts";

export const TIME_FORMATS = ["cobro", "harvest", "toggl", "clockify"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

export type TimeEntryDraft = {
  line: number;
  source: TimeFormat | "api" | "slack";
  /** Given by the source (Cobro CSV, API); otherwise the service hashes `identity`. */
  externalId: string | null;
  /** What identifies the row in its tool when the tool exports no id (stable across re-exports). */
  identity: string;
  projectCode: string | null;
  projectName: string | null;
  personEmail: string | null;
  personName: string | null;
  workDate: string;
  minutes: number;
  description: string;
  task: string | null;
  billable: boolean;
};

export type TimeParseOptions = { dayFirst?: boolean };

/** The columns each format is recognised by, and what it needs; shown in errors and docs/timesheets.md. */
export const TIME_FORMAT_COLUMNS: Record<TimeFormat, { required: string[][]; optional: string[] }> = {
  cobro: {
    required: [["project_code"], ["person_email"], ["date"], ["hours", "minutes"]],
    optional: ["external_id", "person_name", "description", "task", "billable"],
  },
  harvest: {
    required: [["date"], ["project", "project_code"], ["hours"], ["first_name"], ["last_name"]],
    optional: ["client", "task", "notes", "billable?", "hours_rounded", "invoiced?", "approved?"],
  },
  toggl: {
    required: [["email", "user"], ["project"], ["start_date"], ["duration"]],
    optional: ["user", "client", "task", "description", "billable", "start_time", "end_date", "end_time"],
  },
  clockify: {
    required: [["email", "user"], ["project"], ["start_date"], ["duration_(h)", "duration_(decimal)"]],
    optional: ["user", "client", "task", "description", "billable", "start_time", "end_date", "end_time"],
  },
};

/** Recognises the exporting tool from the (normalised) header, or null. */
export function detectTimeFormat(header: readonly string[]): TimeFormat | null {
  const has = (name: string) => header.includes(name);
  if (has("person_email") && (has("hours") || has("minutes"))) return "cobro";
  if (has("billable?") || (has("first_name") && has("last_name") && has("hours"))) return "harvest";
  if (has("duration_(h)") || has("duration_(decimal)")) return "clockify";
  if (has("start_date") && has("duration")) return "toggl";
  return null;
}

export function checkTimeHeader(format: TimeFormat, header: readonly string[]): RowError[] {
  const errors: RowError[] = [];
  for (const alternatives of TIME_FORMAT_COLUMNS[format].required) {
    if (!alternatives.some((name) => header.includes(name))) {
      errors.push({
        line: 1,
        column: alternatives.join(" or "),
        message: `required column is missing for a ${format} file`,
      });
    }
  }
  return errors;
}

// --- cell readers: value or a message ----------------------------------------------------------

/** What is wrong with a cell, for a transport that says it in the reader's language. */
export type ReadProblem =
  | "required"
  | "not_date"
  | "not_duration"
  | "not_minutes"
  | "under_a_minute"
  | "over_a_day"
  | "not_yes_no"
  | "not_email"
  | "too_long";
type Read<T> = { ok: true; value: T } | { ok: false; message: string; problem: ReadProblem };
const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = (message: string, problem: ReadProblem): Read<never> => ({ ok: false, message, problem });

const MAX_MINUTES = 24 * 60;

/** 2026-03-31, 3/31/2026 (or 31/03/2026 with dayFirst), 31.03.2026. */
export function readDate(input: string, options: TimeParseOptions = {}): Read<string> {
  if (input.trim() === "") return bad("is required", "required");
  const reading = readWrittenDate(input, options.dayFirst ? "day-first" : "month-first");
  if (reading.ok) return ok(reading.date);
  const example = options.dayFirst ? "31/03/2026" : "3/31/2026";
  return bad(`is not a date: write it like 2026-03-31 or ${example}`, "not_date");
}

/** Decimal hours ("7.5", "7,5") to whole minutes, exactly, rounded half up to the minute. */
function decimalHoursToMinutes(text: string): number | null {
  const match = /^(\d{1,4})(?:[.,](\d{1,6}))?$/.exec(text);
  if (!match) return null;
  const fraction = match[2] ?? "";
  const scale = 10 ** fraction.length;
  const scaled = Number(match[1]) * scale + Number(fraction || "0");
  // minutes = scaled × 60 / scale, rounded half up (integers only).
  return Math.floor((scaled * 60 * 2 + scale) / (2 * scale));
}

/** "01:30:00", "1:30" (h:mm) or decimal hours; seconds round to the nearest minute. */
export function readDuration(input: string, unit: "hours" | "minutes" = "hours"): Read<number> {
  const text = input.trim();
  if (text === "") return bad("is required", "required");
  let minutes: number | null = null;
  const clock = /^(\d{1,4}):([0-5]\d)(?::([0-5]\d))?$/.exec(text);
  if (clock) {
    const seconds = Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3] ?? "0");
    minutes = Math.floor((seconds + 30) / 60);
  } else if (unit === "minutes") {
    minutes = /^\d{1,5}$/.test(text) ? Number(text) : null;
  } else {
    minutes = decimalHoursToMinutes(text);
  }
  if (minutes === null) {
    return unit === "minutes"
      ? bad("is not a whole number of minutes", "not_minutes")
      : bad("is not a duration: write hours like 7.5 or 7:30, or 07:30:00", "not_duration");
  }
  if (minutes <= 0) return bad("must be at least one minute", "under_a_minute");
  if (minutes > MAX_MINUTES) return bad("is more than 24 hours in one entry", "over_a_day");
  return ok(minutes);
}

export function readBillable(input: string | undefined, fallback = true): Read<boolean> {
  const text = (input ?? "").trim().toLowerCase();
  if (text === "") return ok(fallback);
  if (["yes", "y", "true", "1", "billable", "sí", "si", "oui"].includes(text)) return ok(true);
  if (["no", "n", "false", "0", "non-billable", "non"].includes(text)) return ok(false);
  return bad("must be Yes or No", "not_yes_no");
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readEmail(input: string | undefined): Read<string> {
  const text = (input ?? "").trim().toLowerCase();
  if (text === "") return bad("is required", "required");
  return EMAIL.test(text) ? ok(text) : bad("is not an e-mail address", "not_email");
}

function readText(input: string | undefined, max: number, required: boolean): Read<string> {
  const text = (input ?? "").trim();
  if (required && text === "") return bad("is required", "required");
  if (text.length > max) return bad(`is longer than ${max} characters`, "too_long");
  return ok(text);
}

const blank = (v: string | undefined) => (v ?? "").trim() === "";
const orNull = (v: string | undefined) => (blank(v) ? null : (v ?? "").trim());

// --- per-format row mapping --------------------------------------------------------------------

type Cells = Record<string, string>;

class RowCollector {
  readonly errors: RowError[] = [];
  constructor(readonly line: number) {}
  take<T>(column: string, read: Read<T>): T | undefined {
    if (read.ok) return read.value;
    this.errors.push({ line: this.line, column, message: read.message });
    return undefined;
  }
}

type Mapper = (cells: Cells, row: RowCollector, options: TimeParseOptions) => TimeEntryDraft | null;

const mapCobro: Mapper = (c, row, options) => {
  const externalId = row.take("external_id", readText(c.external_id, 200, false));
  const projectCode = row.take("project_code", readText(c.project_code, 32, true));
  const personEmail = row.take("person_email", readEmail(c.person_email));
  const personName = row.take("person_name", readText(c.person_name, 200, false));
  const workDate = row.take("date", readDate(c.date ?? "", options));
  const hasHours = !blank(c.hours);
  const minutes =
    hasHours || blank(c.minutes)
      ? row.take("hours", readDuration(c.hours ?? "", "hours"))
      : row.take("minutes", readDuration(c.minutes ?? "", "minutes"));
  if (hasHours && !blank(c.minutes)) {
    row.errors.push({ line: row.line, column: "minutes", message: "give hours or minutes, not both" });
  }
  const description = row.take("description", readText(c.description, 2000, false));
  const task = row.take("task", readText(c.task, 200, false));
  const billable = row.take("billable", readBillable(c.billable));
  if (row.errors.length > 0) return null;
  return {
    line: row.line,
    source: "cobro",
    externalId: externalId || null,
    identity: ["cobro", personEmail, projectCode, workDate, minutes, description, task].join("\u001f"),
    projectCode: present(projectCode, "projectCode"),
    projectName: null,
    personEmail: present(personEmail, "personEmail"),
    personName: personName || null,
    workDate: present(workDate, "workDate"),
    minutes: present(minutes, "minutes"),
    description: present(description, "description"),
    task: task || null,
    billable: present(billable, "billable"),
  };
};

const mapHarvest: Mapper = (c, row, options) => {
  const workDate = row.take("date", readDate(c.date ?? "", options));
  const projectCode = orNull(c.project_code);
  const projectName = orNull(c.project);
  if (!projectCode && !projectName) {
    row.errors.push({ line: row.line, column: "project", message: "is required" });
  }
  const first = row.take("first_name", readText(c.first_name, 100, true));
  const last = row.take("last_name", readText(c.last_name, 100, false));
  // Harvest rounds in "Hours Rounded" only for display; the worked time is "Hours".
  const minutes = row.take("hours", readDuration(c.hours ?? "", "hours"));
  const notes = row.take("notes", readText(c.notes, 2000, false));
  const billable = row.take("billable?", readBillable(c["billable?"]));
  if (row.errors.length > 0) return null;
  const personName = `${first} ${last}`.trim();
  return {
    line: row.line,
    source: "harvest",
    externalId: null,
    identity: [
      "harvest",
      workDate,
      personName.toLowerCase(),
      projectCode ?? projectName,
      c.task ?? "",
      notes,
      c.hours,
    ]
      .map((v) => String(v ?? "").trim())
      .join("\u001f"),
    projectCode,
    projectName,
    personEmail: null,
    personName,
    workDate: present(workDate, "workDate"),
    minutes: present(minutes, "minutes"),
    description: present(notes, "notes"),
    task: orNull(c.task),
    billable: present(billable, "billable"),
  };
};

function mapTracker(source: "toggl" | "clockify"): Mapper {
  return (c, row, options) => {
    // An export without e-mails names people: matched to members by exact name, like Harvest.
    const personEmail = blank(c.email) && !blank(c.user) ? null : row.take("email", readEmail(c.email));
    const projectName = row.take("project", readText(c.project, 200, true));
    const workDate = row.take("start_date", readDate(c.start_date ?? "", options));
    let minutes: number | undefined;
    if (source === "toggl") minutes = row.take("duration", readDuration(c.duration ?? ""));
    else if (!blank(c["duration_(h)"]))
      minutes = row.take("duration_(h)", readDuration(c["duration_(h)"] ?? ""));
    else minutes = row.take("duration_(decimal)", readDuration(c["duration_(decimal)"] ?? ""));
    const description = row.take("description", readText(c.description, 2000, false));
    const billable = row.take("billable", readBillable(c.billable));
    if (row.errors.length > 0) return null;
    // Neither tool exports an entry id; the start instant of a person's entry identifies it.
    const identity = [
      source,
      personEmail ?? (c.user ?? "").trim().toLowerCase(),
      workDate,
      c.start_time ?? "",
      c.end_date ?? "",
      c.end_time ?? "",
      projectName,
      c.task ?? "",
      description,
      minutes,
    ]
      .map((v) => String(v ?? "").trim())
      .join("\u001f");
    return {
      line: row.line,
      source,
      externalId: null,
      identity,
      projectCode: null,
      projectName: present(projectName, "projectName"),
      personEmail: personEmail ?? null,
      personName: orNull(c.user),
      workDate: present(workDate, "workDate"),
      minutes: present(minutes, "minutes"),
      description: present(description, "description"),
      task: orNull(c.task),
      billable: present(billable, "billable"),
    };
  };
}

const MAPPERS: Record<TimeFormat, Mapper> = {
  cobro: mapCobro,
  harvest: mapHarvest,
  toggl: mapTracker("toggl"),
  clockify: mapTracker("clockify"),
};

/** What a file read in batches remembers from batch to batch: ids and identical rows seen. */
export type TimeParseMemory = { occurrences: Map<string, number>; firstLineById: Map<string, number> };
export const timeParseMemory = (): TimeParseMemory => ({ occurrences: new Map(), firstLineById: new Map() });

/**
 * Rows of one file to drafts. Identical rows in one file (same person, day, start, text) get an
 * occurrence suffix so each stays its own entry and a re-import of the file maps to the same ids.
 */
export function parseTimeEntryRows(
  format: TimeFormat,
  rows: readonly RawRow[],
  options: TimeParseOptions & { memory?: TimeParseMemory } = {},
): { rows: TimeEntryDraft[]; errors: RowError[] } {
  const drafts: TimeEntryDraft[] = [];
  const errors: RowError[] = [];
  const { occurrences, firstLineById } = options.memory ?? timeParseMemory();
  for (const raw of rows) {
    const collector = new RowCollector(raw.line);
    const draft = MAPPERS[format](raw.cells, collector, options);
    if (!draft) {
      errors.push(...collector.errors);
      continue;
    }
    if (draft.externalId) {
      const first = firstLineById.get(draft.externalId);
      if (first !== undefined) {
        errors.push({ line: raw.line, column: "external_id", message: `repeats line ${first}` });
        continue;
      }
      firstLineById.set(draft.externalId, raw.line);
    } else {
      const seen = (occurrences.get(draft.identity) ?? 0) + 1;
      occurrences.set(draft.identity, seen);
      if (seen > 1) draft.identity = `${draft.identity}\u001f#${seen}`;
    }
    drafts.push(draft);
  }
  return { rows: drafts, errors };
}

// --- API items ---------------------------------------------------------------------------------

export type ItemError = { index: number; field: string; message: string };

/** A JSON item of POST /api/v1/time-entries, validated with the same rules as Cobro's CSV. */
export function parseTimeEntryItems(items: readonly unknown[]): {
  rows: TimeEntryDraft[];
  errors: ItemError[];
} {
  const rows: TimeEntryDraft[] = [];
  const errors: ItemError[] = [];
  const firstIndexById = new Map<string, number>();
  items.forEach((item, index) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      errors.push({ index, field: "item", message: "must be an object" });
      return;
    }
    const cells: Cells = {};
    for (const [key, value] of Object.entries(item)) {
      if (value === null || value === undefined) continue;
      cells[key] = typeof value === "object" ? "\u0000" : String(value);
    }
    const collector = new RowCollector(index);
    if (blank(cells.external_id)) {
      collector.errors.push({
        line: index,
        column: "external_id",
        message: "is required (your id of the entry)",
      });
    }
    const draft = mapCobro(cells, collector, {});
    if (!draft || collector.errors.length > 0) {
      for (const e of collector.errors) errors.push({ index, field: e.column, message: e.message });
      return;
    }
    const first = firstIndexById.get(draft.externalId ?? "");
    if (first !== undefined) {
      errors.push({ index, field: "external_id", message: `repeats item ${first}` });
      return;
    }
    firstIndexById.set(draft.externalId ?? "", index);
    rows.push({ ...draft, line: index, source: "api" });
  });
  return { rows, errors };
}
