import { describe, expect, it } from "vitest";
import { assertAllowed, canDo, type Role } from "../../src/domain/permissions.ts";

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
});
