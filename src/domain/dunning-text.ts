// A dunning policy as lines a person can read and edit in a Slack text box, one level per line:
//
//   due-3  email  courteous  due_soon      (3 days before the due date)
//   due+3  email  courteous                 (3 days after it; the template follows from the tone)
//   +7     slack  firm                      (7 days after the previous level: a task in Slack)
//   +10    email  formal                    (the formal notice)
import type { DunningChannel, DunningLevel, DunningTone } from "./dunning.ts";

const CHANNELS: Record<string, DunningChannel> = {
  email: "email",
  slack: "slack_task",
  slack_task: "slack_task",
};
const TONES: readonly DunningTone[] = ["courteous", "firm", "formal"];

/** The template a level gets when its line names none. */
export function defaultTemplate(
  channel: DunningChannel,
  tone: DunningTone,
  offsetDays: number,
  relativeTo: string,
) {
  if (channel === "slack_task") return "call_client";
  if (tone === "formal") return "formal_notice";
  if (tone === "firm") return "overdue_firm";
  return relativeTo === "due" && offsetDays < 0 ? "due_soon" : "overdue_courteous";
}

export function formatDunningLevels(levels: readonly DunningLevel[]): string {
  return levels
    .map((l) => {
      const when =
        l.relativeTo === "previous" ? `+${l.offsetDays}` : `due${l.offsetDays < 0 ? "" : "+"}${l.offsetDays}`;
      const channel = l.channel === "slack_task" ? "slack" : "email";
      return [when, channel, l.tone, l.template].join(" ");
    })
    .join("\n");
}

/** A line that cannot be read: its number (1-based), its start, and which part is wrong. */
export type DunningLineError = {
  line: number;
  text: string;
  problem: "timing" | "channel" | "tone" | "template";
  templates: string;
};

/** Levels from the text, or every line that cannot be read with what is wrong in it. */
export function parseDunningLevels(
  text: string,
  knownTemplates: readonly string[],
): { ok: true; levels: DunningLevel[] } | { ok: false; errors: DunningLineError[] } {
  const levels: DunningLevel[] = [];
  const errors: DunningLineError[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  for (const [index, line] of lines.entries()) {
    const wrong = (problem: DunningLineError["problem"]) => {
      errors.push({
        line: index + 1,
        text: line.slice(0, 40),
        problem,
        templates: knownTemplates.join(", "),
      });
    };
    const [when = "", channelWord = "", toneWord = "", template, ...extra] = line.split(/\s+/);
    const timing = /^due([+-]\d{1,3})$/i.exec(when) ?? /^(\+\d{1,3})$/.exec(when);
    if (!timing?.[1]) {
      wrong("timing");
      continue;
    }
    const channel = CHANNELS[channelWord.toLowerCase()];
    if (!channel) {
      wrong("channel");
      continue;
    }
    const tone = toneWord.toLowerCase() as DunningTone;
    if (!TONES.includes(tone)) {
      wrong("tone");
      continue;
    }
    if (extra.length > 0 || (template !== undefined && !knownTemplates.includes(template))) {
      wrong("template");
      continue;
    }
    const relativeTo = when.toLowerCase().startsWith("due") ? "due" : "previous";
    const offsetDays = Number(timing[1]);
    levels.push({
      level: index + 1,
      offsetDays,
      relativeTo,
      channel,
      tone,
      template: template ?? defaultTemplate(channel, tone, offsetDays, relativeTo),
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, levels };
}
