import type { webApi } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { createSlackUserEmails } from "../../src/slack/kit/support.ts";

function fakeClient(email: string | undefined) {
  const asked: string[] = [];
  const client = {
    users: {
      info: async ({ user }: { user: string }) => {
        asked.push(user);
        return { ok: true, user: { id: user, real_name: "Ana García", profile: email ? { email } : {} } };
      },
    },
  } as unknown as webApi.WebClient;
  return { client, asked };
}

describe("Slack e-mails of users (users.info), cached per process", () => {
  it("asks Slack once per user and team until the entry is older than the TTL", async () => {
    let now = 0;
    const emails = createSlackUserEmails({ ttlMs: 1000, now: () => now });
    const { client, asked } = fakeClient("Ana.Garcia@Nube.example");
    expect(await emails.profileOf(client, "T1", "UANA")).toEqual({
      email: "ana.garcia@nube.example",
      name: "Ana García",
      locale: null,
    });
    now = 999;
    await emails.profileOf(client, "T1", "UANA");
    await emails.profileOf(client, "T2", "UANA");
    expect(asked).toEqual(["UANA", "UANA"]);
    now = 1001;
    await emails.profileOf(client, "T1", "UANA");
    expect(asked).toHaveLength(3);
  });

  it("after a failure (missing scope, outage) asks again only a minute later", async () => {
    let now = 0;
    const emails = createSlackUserEmails({ now: () => now });
    let calls = 0;
    const client = {
      users: {
        info: async () => {
          calls++;
          throw new Error("missing_scope");
        },
      },
    } as unknown as webApi.WebClient;
    await expect(emails.profileOf(client, "T1", "UANA")).rejects.toThrow("missing_scope");
    expect((await emails.profileOf(client, "T1", "UANA")).email).toBeNull();
    now = 60_001;
    await expect(emails.profileOf(client, "T1", "UANA")).rejects.toThrow("missing_scope");
    expect(calls).toBe(2);
  });

  it("remembers that Slack gave no e-mail (a bot, or the scope missing) too", async () => {
    const emails = createSlackUserEmails();
    const { client, asked } = fakeClient(undefined);
    expect((await emails.profileOf(client, "T1", "UBOT")).email).toBeNull();
    await emails.profileOf(client, "T1", "UBOT");
    expect(asked).toHaveLength(1);
  });
});
