import { describe, expect, it } from "vitest";
import {
  type Actor,
  agingScopeOf,
  assertAllowed,
  auditActorOf,
  CLI_ACTOR,
  canDo,
  externalActor,
  type Permission,
  type Role,
  systemActor,
} from "../../src/domain/permissions.ts";

const actor = (roles: Role[], memberId: string | null = "me"): Actor =>
  memberId === null
    ? {
        kind: "stranger",
        memberId,
        slackUserId: "U1",
        roles,
        stranger: { email: null, adminSlackUserIds: [] },
      }
    : { kind: "member", memberId, slackUserId: "U1", roles };

describe("who may do what", () => {
  it("lets a PM manage milestones of their own projects only", () => {
    expect(canDo(actor(["pm"]), { action: "manageMilestones", projectPmMemberId: "me" })).toBe(true);
    expect(canDo(actor(["pm"]), { action: "manageMilestones", projectPmMemberId: "someone" })).toBe(false);
    expect(canDo(actor(["billing"]), { action: "manageMilestones", projectPmMemberId: "someone" })).toBe(
      true,
    );
    expect(canDo(actor([], "me"), { action: "manageMilestones", projectPmMemberId: "me" })).toBe(false);
  });

  it("lets only billing issue, edit and hold invoices, and only admins configure", () => {
    for (const role of ["admin", "pm", "collector", "approver"] as const) {
      expect(canDo(actor([role]), { action: "issueInvoice" })).toBe(false);
    }
    expect(canDo(actor(["billing"]), { action: "issueInvoice" })).toBe(true);
    expect(canDo(actor(["billing"]), { action: "configure" })).toBe(false);
    expect(canDo(actor(["admin"]), { action: "configure" })).toBe(true);
  });

  it("explains a refusal and how to get the role", () => {
    expect(() => assertAllowed(actor(["pm"]), { action: "issueInvoice" })).toThrow(
      expect.objectContaining({ userMessage: expect.stringMatching(/billing role.*\/cobro setup/) }),
    );
  });

  it("opens /aging to collectors, billing and admins on everything, and to a PM on their own projects", () => {
    for (const role of ["admin", "billing", "collector"] as const) {
      expect(agingScopeOf(actor([role]))).toEqual({ kind: "all" });
    }
    expect(agingScopeOf(actor(["pm", "collector"]))).toEqual({ kind: "all" });
    expect(agingScopeOf(actor(["pm"], "me"))).toEqual({ kind: "ownProjects", pmMemberId: "me" });
    expect(canDo(actor(["pm"], null), { action: "viewAging" })).toBe(false);
    for (const refused of [actor(["approver"]), actor([])]) {
      expect(canDo(refused, { action: "viewAging" })).toBe(false);
      expect(() => agingScopeOf(refused)).toThrow(
        expect.objectContaining({
          userMessage: expect.stringContaining("project managers (their own projects)"),
        }),
      );
    }
  });

  it("lets collectors, billing and admins act on collections, and the project's PM pause or dispute", () => {
    for (const role of ["admin", "billing", "collector"] as const) {
      expect(canDo(actor([role]), { action: "collect" })).toBe(true);
      expect(canDo(actor([role]), { action: "pauseOrDispute", projectPmMemberId: null })).toBe(true);
    }
    expect(canDo(actor(["pm"]), { action: "collect" })).toBe(false);
    expect(canDo(actor(["approver"]), { action: "collect" })).toBe(false);
    expect(canDo(actor(["pm"]), { action: "pauseOrDispute", projectPmMemberId: "me" })).toBe(true);
    expect(canDo(actor(["pm"]), { action: "pauseOrDispute", projectPmMemberId: "other" })).toBe(false);
    expect(canDo(actor(["pm"]), { action: "pauseOrDispute", projectPmMemberId: null })).toBe(false);
    expect(canDo(actor([], "me"), { action: "pauseOrDispute", projectPmMemberId: "me" })).toBe(false);
    expect(canDo(actor(["pm"], null), { action: "pauseOrDispute", projectPmMemberId: null })).toBe(false);
  });
});

describe("who may do what, by kind of actor", () => {
  const apiKey: Actor = { kind: "apiKey", keyId: "k1", prefix: "0123456789ab" };
  const everything: Permission[] = [
    { action: "configure" },
    { action: "issueInvoice" },
    { action: "editParties" },
    { action: "viewAging" },
    { action: "collect" },
    { action: "pauseOrDispute", projectPmMemberId: null },
    { action: "manageMilestones", projectPmMemberId: null },
    { action: "recordTime" },
    { action: "confirmReceipt" },
    { action: "recordPaymentEvent" },
    { action: "recordEmailEvent" },
  ];
  const allowed = (who: Actor) => everything.filter((p) => canDo(who, p)).map((p) => p.action);

  it("gives the CLI operator and the scheduler every right, and a member exactly their roles'", () => {
    expect(allowed(CLI_ACTOR)).toEqual(everything.map((p) => p.action));
    expect(allowed(systemActor("reminders"))).toEqual(everything.map((p) => p.action));
    expect(allowed(actor(["collector"]))).toEqual(["viewAging", "collect", "pauseOrDispute", "recordTime"]);
    expect(agingScopeOf(CLI_ACTOR)).toEqual({ kind: "all" });
  });

  it("lets an API key only record time, and each webhook only its own event", () => {
    expect(allowed(apiKey)).toEqual(["recordTime"]);
    expect(allowed(externalActor("client"))).toEqual(["confirmReceipt"]);
    expect(allowed(externalActor("stripe"))).toEqual(["recordPaymentEvent"]);
    expect(allowed(externalActor("sendgrid"))).toEqual(["recordEmailEvent"]);
    expect(() => assertAllowed(apiKey, { action: "issueInvoice" })).toThrow(
      expect.objectContaining({
        code: "permission.denied",
        userMessage: "api:0123456789ab may not issueInvoice.",
      }),
    );
  });

  it("tells a stranger how to join instead of which role they lack, and lets no Slack user post webhook events", () => {
    expect(allowed(actor([], null))).toEqual([]);
    expect(() => assertAllowed(actor([], null), { action: "recordTime" })).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining("Cobro does not know you yet") }),
    );
    expect(canDo(actor(["admin", "billing"]), { action: "recordPaymentEvent" })).toBe(false);
  });

  it("names each actor in the audit log as the rows written before it did", () => {
    expect(
      [
        actor(["pm"], "m-1"),
        actor([], null),
        apiKey,
        CLI_ACTOR,
        systemActor("reminders"),
        systemActor("billing-cycle"),
        systemActor("import"),
        externalActor("client"),
        externalActor("stripe"),
      ].map(auditActorOf),
    ).toEqual([
      "m-1",
      "slack:U1",
      "api:0123456789ab",
      "cli",
      "system",
      "billing-cycle",
      "import",
      "client",
      "stripe",
    ]);
  });
});
