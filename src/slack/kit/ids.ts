// Every slash command, action_id, callback_id and block_id Cobro uses, and the codecs of button values.
// Button values never carry a workspace id: the workspace always comes from the verified team_id.
import { z } from "zod";

export const COMMANDS = {
  milestone: "/milestone",
  aging: "/aging",
  cobro: "/cobro",
} as const;

export const ACTIONS = {
  issueAndSend: "invoice_issue_send",
  editDraft: "invoice_edit",
  holdDraft: "invoice_hold",
  openSetup: "home_open_setup",
  openSettingsDetails: "setup_open_details",
  markMilestoneDone: "milestone_mark_done",
  deliverySendAgain: "delivery_send_again",
  deliveryArrived: "delivery_arrived",
} as const;

export const CALLBACKS = {
  setup: "cobro_setup",
  pickMilestone: "milestone_pick",
  editDraft: "invoice_edit_submit",
  editClient: "client_edit",
  editPolicy: "policy_edit",
  settingsDetails: "cobro_setup_details",
  editProject: "project_edit",
} as const;

/** block_id / action_id pairs of modal inputs, read back from view.state.values. */
export const FIELDS = {
  billingChannel: { block: "billing_channel", action: "value" },
  collectionsChannel: { block: "collections_channel", action: "value" },
  timeZone: { block: "time_zone", action: "value" },
  baseCurrency: { block: "base_currency", action: "value" },
  locale: { block: "locale", action: "value" },
  legalName: { block: "seller_legal_name", action: "value" },
  addressLine1: { block: "seller_address_line1", action: "value" },
  postcode: { block: "seller_postcode", action: "value" },
  city: { block: "seller_city", action: "value" },
  country: { block: "seller_country", action: "value" },
  vatId: { block: "seller_vat_id", action: "value" },
  siren: { block: "seller_siren", action: "value" },
  nif: { block: "seller_nif", action: "value" },
  iban: { block: "seller_iban", action: "value" },
  autoIssue: { block: "auto_issue", action: "value" },
  monthlyStatements: { block: "monthly_statements", action: "value" },
  roleAdmin: { block: "role_admin", action: "value" },
  roleBilling: { block: "role_billing", action: "value" },
  roleCollector: { block: "role_collector", action: "value" },
  roleApprover: { block: "role_approver", action: "value" },
  rolePm: { block: "role_pm", action: "value" },
  milestone: { block: "milestone", action: "value" },
  draftDescription: { block: "draft_description", action: "value" },
  draftAmount: { block: "draft_amount", action: "value" },
  draftNotes: { block: "draft_notes", action: "value" },
  draftPeriodStart: { block: "draft_period_start", action: "value" },
  draftPeriodEnd: { block: "draft_period_end", action: "value" },
} as const;

export type DraftLineKey = "description" | "quantity" | "unitPrice" | "vatRate";

/** Inputs of line `index` (0-based) in the Edit draft modal. */
export function draftLineField(index: number, key: DraftLineKey): { block: string; action: string } {
  return { block: `draft_line_${index}_${key}`, action: "value" };
}

export const ROLE_FIELDS = {
  admin: FIELDS.roleAdmin,
  billing: FIELDS.roleBilling,
  collector: FIELDS.roleCollector,
  approver: FIELDS.roleApprover,
  pm: FIELDS.rolePm,
} as const;

const uuid = z.uuid();

/** A button that acts on one invoice: `i:<uuid>`. */
export const InvoiceButtonValue = z.object({ invoiceId: uuid });
export type InvoiceButtonValue = z.infer<typeof InvoiceButtonValue>;

/** A button (or modal option) that acts on one milestone: `m:<uuid>`. */
export const MilestoneButtonValue = z.object({ milestoneId: uuid });
export type MilestoneButtonValue = z.infer<typeof MilestoneButtonValue>;

export function encodeInvoiceValue(value: InvoiceButtonValue): string {
  return `i:${value.invoiceId}`;
}

export function decodeInvoiceValue(raw: string | undefined): InvoiceButtonValue | null {
  const parsed = InvoiceButtonValue.safeParse({ invoiceId: raw?.startsWith("i:") ? raw.slice(2) : "" });
  return parsed.success ? parsed.data : null;
}

export function encodeMilestoneValue(value: MilestoneButtonValue): string {
  return `m:${value.milestoneId}`;
}

export function decodeMilestoneValue(raw: string | undefined): MilestoneButtonValue | null {
  const parsed = MilestoneButtonValue.safeParse({ milestoneId: raw?.startsWith("m:") ? raw.slice(2) : "" });
  return parsed.success ? parsed.data : null;
}

/** Modal private_metadata: where to answer once the modal is submitted (channel of the command). */
export const ModalMetadata = z.object({
  channelId: z.string().max(40).optional(),
  invoiceId: uuid.optional(),
  /** Edit draft: how many lines the modal shows (the first ones; the rest are kept as they are). */
  lines: z.int().min(0).max(1000).optional(),
  clientId: uuid.optional(),
  projectId: uuid.optional(),
  profile: z.enum(["public", "business", "individual"]).optional(),
});
export type ModalMetadata = z.infer<typeof ModalMetadata>;

export function encodeModalMetadata(value: ModalMetadata): string {
  return JSON.stringify(value);
}

export function decodeModalMetadata(raw: string | undefined): ModalMetadata {
  try {
    const parsed = ModalMetadata.safeParse(JSON.parse(raw ?? "{}"));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

/** The setup modal's private_metadata: the channel of `/cobro setup`, none from the App Home. */
export const SetupMetadata = z
  .string()
  .max(3000)
  .transform((raw) => (raw === "" ? {} : parseJson(raw)))
  .pipe(
    z.strictObject({
      channelId: z
        .string()
        .regex(/^[CGD][A-Z0-9]{2,39}$/)
        .optional(),
    }),
  );

// --- collections: overdue alerts, heads-ups, formal notice, and their modals ----------------------

export const COLLECTION_ACTIONS = {
  recordPayment: "collection_record_payment",
  sendReminderNow: "collection_send_reminder_now",
  promiseToPay: "collection_promise_to_pay",
  pause: "collection_pause",
  dispute: "collection_dispute",
  assignToMe: "collection_assign_to_me",
  approveFormal: "collection_approve_formal",
} as const;

export const COLLECTION_CALLBACKS = {
  recordPayment: "collection_record_payment_submit",
  clientPayment: "collection_client_payment_submit",
  promiseToPay: "collection_promise_submit",
  pause: "collection_pause_submit",
  dispute: "collection_dispute_submit",
} as const;

export const COLLECTION_FIELDS = {
  amount: { block: "collection_amount", action: "value" },
  paidOn: { block: "collection_paid_on", action: "value" },
  reference: { block: "collection_reference", action: "value" },
  promisedOn: { block: "collection_promised_on", action: "value" },
  until: { block: "collection_until", action: "value" },
  reason: { block: "collection_reason", action: "value" },
} as const;

// --- bank lines: the card of an unmatched line, its buttons --------------------------------------

export const BANK_ACTIONS = {
  confirm: "bank_line_confirm",
  pick: "bank_line_pick",
  notOurs: "bank_line_not_ours",
} as const;

// --- timesheets: the approval request, the App Home's pending approvals, `/cobro time` ------------

export const TIMESHEET_ACTIONS = {
  approve: "timesheet_approve",
  reject: "timesheet_reject",
  approveAll: "timesheet_approve_all",
  issueAll: "billing_issue_send_all",
} as const;

export const TIMESHEET_CALLBACKS = {
  reject: "timesheet_reject_submit",
  log: "timesheet_log_submit",
} as const;

export const TIMESHEET_FIELDS = {
  reason: { block: "reject_reason", action: "value" },
  project: { block: "time_project", action: "value" },
  date: { block: "time_date", action: "value" },
  hours: { block: "time_hours", action: "value" },
  description: { block: "time_description", action: "value" },
  billable: { block: "time_billable", action: "value" },
  submitWeek: { block: "time_submit_week", action: "value" },
} as const;

/** A timesheet as its request showed it: the version makes a click on an outdated request harmless. */
export const TimesheetRef = z.object({ timesheetId: uuid, version: z.int().min(1).max(1_000_000) });
export type TimesheetRef = z.infer<typeof TimesheetRef>;

/** `t:<uuid>:<version>` (≤ 45 characters: about 40 fit in one Approve all button). */
export function encodeTimesheetRef(ref: TimesheetRef): string {
  return `t:${ref.timesheetId}:${ref.version}`;
}

export function decodeTimesheetRef(raw: string | undefined): TimesheetRef | null {
  const [tag, timesheetId, version, ...rest] = (raw ?? "").split(":");
  if (tag !== "t" || rest.length > 0 || !/^\d{1,7}$/.test(version ?? "")) return null;
  const parsed = TimesheetRef.safeParse({ timesheetId, version: Number(version) });
  return parsed.success ? parsed.data : null;
}

// --- /aging (issue 7) ---------------------------------------------------------------------------

export const AGING_ACTIONS = {
  bucket: "aging_bucket",
  pagePrev: "aging_page_prev",
  pageNext: "aging_page_next",
  back: "aging_back",
  debtorMenu: "aging_debtor_menu",
  invoiceMenu: "aging_invoice_menu",
  filterClient: "aging_filter_client",
  filterProject: "aging_filter_project",
  filterCollector: "aging_filter_collector",
  filterCurrency: "aging_filter_currency",
  exportCsv: "aging_export_csv",
  share: "aging_share",
  metrics: "aging_metrics",
  statement: "aging_statement",
  statementSend: "aging_statement_send",
  statementCancel: "aging_statement_cancel",
  trend: "aging_trend",
} as const;

/**
 * The report a button or menu belongs to: as-of date, basis, filters and (drill-down) bucket and
 * page. Short keys keep it well under the 255 characters of a block_id.
 */
export const AgingState = z.object({
  a: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  b: z.enum(["due", "issue"]),
  c: uuid.optional(),
  p: uuid.optional(),
  m: uuid.optional(),
  x: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  k: z.int().min(0).max(9).optional(),
  n: z.int().min(0).max(100_000).optional(),
  /** 1 when DSO, ADD and CEI are shown (they cost a read of six months of sales). */
  d: z.literal(1).optional(),
});
export type AgingState = z.infer<typeof AgingState>;

export function encodeAgingState(state: AgingState): string {
  return JSON.stringify(AgingState.parse(state));
}

export function decodeAgingState(raw: string | undefined): AgingState | null {
  try {
    // block_ids of repeated blocks carry a "<n>|" prefix to stay unique in one message.
    const json = raw?.replace(/^\d+\|/, "") ?? "";
    const parsed = AgingState.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Overflow options of a debtor or an invoice: `<verb>:<uuid>` (≤ 75 characters). */
export const AgingMenuValue = z.object({
  verb: z.enum(["remind", "pay", "invoices"]),
  target: z.enum(["client", "invoice"]),
  id: uuid,
});
export type AgingMenuValue = z.infer<typeof AgingMenuValue>;

export function encodeAgingMenuValue(value: AgingMenuValue): string {
  return `${value.verb}:${value.target === "client" ? "c" : "i"}:${value.id}`;
}

export function decodeAgingMenuValue(raw: string | undefined): AgingMenuValue | null {
  const [verb, target, id] = (raw ?? "").split(":");
  const parsed = AgingMenuValue.safeParse({ verb, target: target === "c" ? "client" : "invoice", id });
  return parsed.success ? parsed.data : null;
}

// --- codecs of what handlers read from a payload (zod: a value that does not parse is stale) -----

/** A string that must decode with `decode`; the issue names what it should have been. */
function decoded<T>(decode: (raw: string) => T | null, what: string) {
  return z.string().transform((raw, ctx) => {
    const value = decode(raw);
    if (value === null) {
      ctx.addIssue({ code: "custom", message: `not ${what}`, input: raw });
      return z.NEVER;
    }
    return value;
  });
}

export const AgingStateText = decoded(decodeAgingState, "an /aging report state");
export const AgingMenuText = decoded(decodeAgingMenuValue, "an /aging menu choice");

/** A button of the report (drill-down, pages, back, metrics, share, export, statement). */
export const AgingButton = z.object({ action_id: z.string(), value: AgingStateText });
/** A filter select of the report: the report's state rides on its block_id. */
export const AgingFilterPick = z.object({
  action_id: z.string(),
  block_id: AgingStateText,
  selected_option: z.object({ value: z.string().min(1) }),
});
/** A debtor's or an invoice's overflow menu in the report. */
export const AgingMenuPick = z.object({
  block_id: AgingStateText,
  selected_option: z.object({ value: AgingMenuText }),
});

/**
 * Where a click came from: its team, person, message (or action time) and channel. A click whose
 * effect must happen once is claimed under a key made of these (see clickKeyOf).
 */
export const ClickOrigin = z.object({
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string() }),
  channel: z.object({ id: z.string() }).nullish(),
  container: z.object({ message_ts: z.string().optional(), channel_id: z.string().optional() }).nullish(),
  actions: z.array(z.object({ value: z.string().optional(), action_ts: z.string().optional() })).min(1),
});
export type ClickOrigin = z.infer<typeof ClickOrigin>;

/** One effect per person, message and button value: a double click on it does nothing more. */
export function clickKeyOf(origin: ClickOrigin, what: string): string {
  const [action] = origin.actions;
  const message = origin.container?.message_ts ?? action?.action_ts;
  return `${origin.team?.id ?? ""}:${what}:${origin.user.id}:${message}:${action?.value ?? ""}`;
}

export function channelOf(origin: ClickOrigin): string | undefined {
  return origin.channel?.id ?? origin.container?.channel_id;
}

export const InvoiceValueText = decoded(
  (raw) => decodeInvoiceValue(raw)?.invoiceId ?? null,
  "an invoice button",
);

/** A button that acts on one invoice (`i:<uuid>`). */
export const InvoiceButton = z.object({ action_id: z.string(), value: InvoiceValueText });

/** A collections button that opens the invoice's modal. */
export const CollectionModalButton = z.object({
  action_id: z.enum([
    COLLECTION_ACTIONS.recordPayment,
    COLLECTION_ACTIONS.promiseToPay,
    COLLECTION_ACTIONS.pause,
    COLLECTION_ACTIONS.dispute,
  ]),
  value: InvoiceValueText,
});

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

/** The private_metadata of the client payment modal: the client and the currency of the transfer. */
export const ClientPaymentMetadata = z
  .string()
  .transform(parseJson)
  .pipe(z.object({ c: z.uuid(), x: z.string().regex(/^[A-Z]{3}$/) }));

export const MilestoneValueText = decoded(
  (raw) => decodeMilestoneValue(raw)?.milestoneId ?? null,
  "a milestone",
);

/** A button that acts on one milestone (`m:<uuid>`): Mark done on the App Home. */
export const MilestoneButton = z.object({ value: MilestoneValueText });

export const TimesheetRefText = decoded(decodeTimesheetRef, "a timesheet of an approval request");

/** Approve or Reject on an approval request (or a row of the App Home). */
export const TimesheetButton = z.object({ value: TimesheetRefText });

/** Approve all on the App Home: the refs of the timesheets listed, comma-separated. */
export const TimesheetsButton = z.object({
  value: z
    .string()
    .max(2000)
    .transform((raw) => raw.split(","))
    .pipe(z.array(TimesheetRefText).min(1)),
});

/** Issue & send all on the billing digest: the draft invoices' ids, comma-separated. */
export const InvoicesButton = z.object({
  value: z
    .string()
    .max(2000)
    .transform((raw) => raw.split(","))
    .pipe(z.array(uuid).min(1)),
});

/** The reject modal's private_metadata: the request it answers and the message to update once decided. */
export const RejectMetadata = z
  .string()
  .transform(parseJson)
  .pipe(
    z.object({
      ref: TimesheetRef,
      channel: z.string().max(40).nullable(),
      ts: z.string().max(40).nullable(),
    }),
  );

// --- invoicing: the invoice posts' buttons, Edit draft, the client and project modals ------------

/** The Edit draft modal's private_metadata: the draft, and how many of its first lines the modal shows. */
export const EditDraftMetadata = z
  .string()
  .transform(parseJson)
  .pipe(z.object({ invoiceId: uuid, lines: z.int().min(0).max(1000) }));

/** The `/cobro client` modal's private_metadata. */
export const ClientModalMetadata = z
  .string()
  .transform(parseJson)
  .pipe(z.object({ clientId: uuid }));

/** The `/cobro project` modal's private_metadata. */
export const ProjectModalMetadata = z
  .string()
  .transform(parseJson)
  .pipe(z.object({ projectId: uuid }));

/** The `/cobro policy` modal's private_metadata: the one client, project or profile the policy is for. */
export const PolicyModalMetadata = z
  .string()
  .transform(parseJson)
  .pipe(
    z.union([
      z.strictObject({ clientId: uuid }),
      z.strictObject({ projectId: uuid }),
      z.strictObject({ profile: z.enum(["public", "business", "individual"]) }),
    ]),
  );

/** Send again / It arrived on the question about a send whose outcome Cobro cannot know: the delivery. */
export const UnknownDeliveryButton = z.object({
  action_id: z.enum([ACTIONS.deliverySendAgain, ACTIONS.deliveryArrived]),
  value: uuid,
});
