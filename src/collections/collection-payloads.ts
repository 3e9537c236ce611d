// Every delivery payload of collections, declared once: its type tag and its zod schema. The verb
// that claims a delivery writes it (typed by the schema's input), the job reads it back with
// readPayload: a payload its job cannot read fails that delivery with the reason, and sends nothing.
import { z } from "zod";

const uuid = z.uuid();
const calendarDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date YYYY-MM-DD");
/** Where a Slack notice goes (a channel or a user id); "" for an imported member found by e-mail when sent. */
const slackTarget = z.string().max(40);
const level = z.int().min(1).max(20);
const tone = z.enum(["courteous", "firm", "formal"]);

export const OVERDUE_DIGEST_PAYLOAD = "overdue_digest";
export const REMINDER_EMAIL_PAYLOAD = "reminder";
export const HEADS_UP_PAYLOAD = "reminder_heads_up";
export const FORMAL_APPROVAL_PAYLOAD = "formal_notice_approval";
export const COLLECTION_TASK_PAYLOAD = "collection_task";
export const PROMISE_BROKEN_PAYLOAD = "promise_broken";
export const PAYMENT_ON_ITS_WAY_PAYLOAD = "payment_on_its_way";
export const DISPUTE_NOTICE_PAYLOAD = "dispute_notice";
export const STATEMENT_EMAIL_PAYLOAD = "statement_email";

export const DigestRole = z.enum(["collector", "pm", "collections", "project"]);
export type DigestRole = z.output<typeof DigestRole>;

export const DigestRecipient = z.discriminatedUnion("kind", [
  /** slackUserId null: an imported person, found in Slack by e-mail when the digest is sent. */
  z.object({
    kind: z.literal("dm"),
    memberId: uuid,
    slackUserId: z.string().nullable(),
    roles: z.array(DigestRole),
  }),
  z.object({ kind: z.literal("channel"), channelId: z.string().min(1), roles: z.array(DigestRole) }),
]);
export type DigestRecipient = z.output<typeof DigestRecipient>;

export const OverdueDigestPayload = z.object({
  type: z.literal(OVERDUE_DIGEST_PAYLOAD),
  runDate: calendarDay,
  channel: slackTarget,
  recipient: DigestRecipient,
  invoiceIds: z.array(uuid).min(1),
});
export type OverdueDigestPayload = z.output<typeof OverdueDigestPayload>;

/** Late interest and the fixed compensation owed at the formal notice (or why they could not be computed). */
export const LateInterestFigures = z.object({
  interestMinor: z.int(),
  compensationMinor: z.int(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  asOf: calendarDay,
  problem: z.string().optional(),
  /** The half-year whose rate is missing, said in the reader's language. */
  missingRate: z.object({ jurisdiction: z.string(), year: z.string(), half: z.int() }).optional(),
});
export type LateInterestFigures = z.output<typeof LateInterestFigures>;

export const ReminderEmailPayload = z.object({
  type: z.literal(REMINDER_EMAIL_PAYLOAD),
  invoiceId: uuid,
  reminderId: uuid,
  level,
  tone,
  template: z.string().min(1),
  language: z.enum(["es", "fr", "en"]),
  to: z.array(z.string()),
  interest: LateInterestFigures.optional(),
});
export type ReminderEmailPayload = z.output<typeof ReminderEmailPayload>;

/** A PM's heads-up: the reminders that go out on `sendOn` for their projects, in one DM. */
const FoldedHeadsUp = z.object({
  type: z.literal(HEADS_UP_PAYLOAD),
  channel: slackTarget,
  memberId: uuid.optional(),
  sendOn: calendarDay,
  reminders: z.array(z.object({ invoiceId: uuid, level, tone })).min(1),
});

/** A heads-up of one invoice, as claimed before heads-ups were folded per PM (still read if queued). */
const OneHeadsUp = z
  .object({
    type: z.literal(HEADS_UP_PAYLOAD),
    invoiceId: uuid,
    level,
    tone,
    channel: slackTarget,
    memberId: uuid.optional(),
    sendOn: calendarDay,
  })
  .transform(({ invoiceId, level, tone, ...rest }) => ({ ...rest, reminders: [{ invoiceId, level, tone }] }));

export const HeadsUpPayload = z.union([FoldedHeadsUp, OneHeadsUp]);

export const FormalApprovalPayload = z.object({
  type: z.literal(FORMAL_APPROVAL_PAYLOAD),
  invoiceId: uuid,
  level,
  channel: slackTarget,
  interest: LateInterestFigures.optional(),
});

export const CollectionTaskPayload = z.object({
  type: z.literal(COLLECTION_TASK_PAYLOAD),
  invoiceId: uuid,
  level,
  template: z.string().optional(),
  channel: slackTarget,
});

export const PromiseBrokenPayload = z.object({
  type: z.literal(PROMISE_BROKEN_PAYLOAD),
  invoiceId: uuid,
  promisedOn: calendarDay,
  channel: slackTarget,
});

export const PaymentOnItsWayPayload = z.object({
  type: z.literal(PAYMENT_ON_ITS_WAY_PAYLOAD),
  invoiceId: uuid,
  source: z.enum(["client", "card", "sepa_debit"]).optional(),
  holdUntil: calendarDay.optional(),
  /** The hold ended without the money: the payment failed or never came. */
  failed: z.boolean().optional(),
  channel: slackTarget,
});

export const DisputeNoticePayload = z.object({
  type: z.literal(DISPUTE_NOTICE_PAYLOAD),
  invoiceId: uuid,
  reason: z.string(),
  actor: z.string(),
  channel: slackTarget,
});

export const StatementEmailPayload = z.object({
  type: z.literal(STATEMENT_EMAIL_PAYLOAD),
  clientId: uuid,
  to: z.array(z.string()).min(1),
  sendRequestId: z.string(),
  /** A monthly statement chases overdue money: paid by the time it goes, it is not sent. */
  onlyIfOverdue: z.boolean().optional(),
});
export type StatementEmailPayload = z.output<typeof StatementEmailPayload>;
