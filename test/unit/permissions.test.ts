import { describe, expect, it } from "vitest";
import { agingScopeOf, assertAllowed, canDo, type Role } from "../../src/domain/permissions.ts";

const actor = (roles: Role[], memberId = "me") => ({ memberId, slackUserId: "U1", roles });

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
    for (const refused of [actor(["approver"]), actor([]), actor(["pm"], null as unknown as string)]) {
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
    expect(
      canDo(actor(["pm"], null as unknown as string), { action: "pauseOrDispute", projectPmMemberId: null }),
    ).toBe(false);
  });
});
