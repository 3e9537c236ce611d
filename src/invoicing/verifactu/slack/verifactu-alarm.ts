// The billing-channel alarm for a broken VERI*FACTU chain, in the workspace's language: which
// issuer, which record, what is wrong.
import { type ChainProblem, shortHash } from "../../../domain/verifactu-chain.ts";
import { type Locale, t } from "../../../i18n/index.ts";
import { escapeMrkdwn, truncate } from "../../../slack/kit/blocks.ts";
import { md } from "../../../slack/kit/support.ts";

export type ChainAlarm = {
  asOf: string;
  issuerNif: string;
  sequence: number;
  seriesNumber: string;
  kind: "alta" | "anulacion";
  problems: string[];
  facts?: ChainProblem[] | undefined;
};

export function buildVerifactuChainAlarm(
  locale: Locale,
  payload: ChainAlarm,
): {
  text: string;
  blocks: unknown[];
} {
  const { issuerNif: nif } = payload;
  const text = t(locale, "invoicing.verifactu_alarm.text", {
    nif,
    sequence: String(payload.sequence),
    series: payload.seriesNumber,
  });
  // An alarm claimed before its problems were facts says them as they were written (English).
  const problems = payload.facts
    ? payload.facts.map((fact) => problemLine(locale, fact))
    : payload.problems.map(escapeMrkdwn);
  const detail = problems.map((problem) => `• ${problem}`).join("\n");
  const what = t(locale, "invoicing.verifactu_alarm.what", { kind: payload.kind });
  return {
    text,
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: t(locale, "invoicing.verifactu_alarm.title"), emoji: true },
      },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(`:rotating_light: *${escapeMrkdwn(text)}*\n${escapeMrkdwn(what)}\n${detail}`, 3000),
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: truncate(
              md(locale, "invoicing.verifactu_alarm.context", { date: payload.asOf, nif }),
              3000,
            ),
          },
        ],
      },
    ],
  };
}

function problemLine(locale: Locale, p: ChainProblem): string {
  const none = t(locale, "invoicing.verifactu_alarm.none");
  const hash = (h: string | null) => shortHash(h, none);
  switch (p.kind) {
    case "missing_record":
      return md(locale, "invoicing.verifactu_alarm.problem.missing_record", {
        expected: String(p.expected),
        from: String(p.expected - 1),
        found: String(p.found),
      });
    case "hash_mismatch":
      return md(locale, "invoicing.verifactu_alarm.problem.hash_mismatch", {
        hash: hash(p.hash),
        recomputed: hash(p.recomputed),
      });
    case "hashed_field":
      return md(locale, "invoicing.verifactu_alarm.problem.hashed_field", {
        field: p.field,
        hashed: p.hashed ?? none,
        value: p.value,
      });
    case "wrong_link":
      return md(locale, "invoicing.verifactu_alarm.problem.wrong_link", {
        previous: hash(p.previous),
        beforeSequence: String(p.beforeSequence),
        beforeSeries: p.beforeSeries,
        beforeHash: hash(p.beforeHash),
      });
    case "first_links":
      return md(locale, "invoicing.verifactu_alarm.problem.first_links", { previous: hash(p.previous) });
    case "time_backwards":
      return md(locale, "invoicing.verifactu_alarm.problem.time_backwards", {
        at: p.at,
        beforeAt: p.beforeAt,
      });
    case "missing_at_end":
      return md(locale, "invoicing.verifactu_alarm.problem.missing_at_end", {
        headSequence: String(p.headSequence),
        headHash: hash(p.headHash),
        lastSequence: String(p.lastSequence),
        lastHash: hash(p.lastHash),
      });
  }
}
