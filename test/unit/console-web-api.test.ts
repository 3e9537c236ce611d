import { describe, expect, it } from "vitest";
import { messageLimitError, viewLimitError, withIds } from "../../src/console/block-kit-limits.ts";
import { createConsoleStore } from "../../src/console/console-store.ts";
import { parseOutboxMail } from "../../src/console/read-outbox.ts";
import { stateValues } from "../../src/console/state-values.ts";
import { renderEml } from "../../src/delivery/email/render-eml.ts";

const plain = (text: string) => ({ type: "plain_text", text });
const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("the console's Slack refuses what Slack refuses", () => {
  it("answers invalid_blocks with Slack's messages for a message over a Block Kit limit", () => {
    expect(messageLimitError({ text: "ok", blocks: [section("fine")] })).toBeNull();
    expect(messageLimitError({ blocks: Array.from({ length: 51 }, () => section("x")) })).toEqual({
      error: "invalid_blocks",
      messages: ["[ERROR] must be less than 51 items [json-pointer:/blocks]"],
    });
    expect(messageLimitError({ blocks: [section("x".repeat(3001))] })?.messages).toEqual([
      "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
    ]);
    const longButton = {
      type: "actions",
      elements: [{ type: "button", text: plain("b".repeat(76)), action_id: "a" }],
    };
    expect(messageLimitError({ blocks: [longButton] })?.messages).toEqual([
      "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
    ]);
    expect(messageLimitError({ blocks: [{ type: "header", text: plain("h".repeat(151)) }] })?.error).toBe(
      "invalid_blocks",
    );
    expect(
      messageLimitError({
        blocks: [
          { ...section("a"), block_id: "same" },
          { ...section("b"), block_id: "same" },
        ],
      })?.messages,
    ).toEqual(["[ERROR] duplicate block_id: same [json-pointer:/blocks/1/block_id]"]);
    expect(messageLimitError({ text: "x".repeat(40_001) })?.error).toBe("msg_too_long");
    expect(messageLimitError({})?.error).toBe("no_text");
  });

  it("answers invalid_arguments for a modal over a limit or with inputs and no submit", () => {
    const input = {
      type: "input",
      label: plain("Amount"),
      element: { type: "plain_text_input", action_id: "v" },
    };
    expect(
      viewLimitError({
        type: "modal",
        title: plain("Record payment"),
        submit: plain("Record"),
        blocks: [input],
      }),
    ).toBeNull();
    expect(
      viewLimitError({ type: "modal", title: plain("A title that is far too long"), blocks: [] })?.messages,
    ).toEqual(["[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]);
    expect(viewLimitError({ type: "modal", title: plain("Log"), blocks: [input] })?.messages[0]).toMatch(
      /submit is required/,
    );
    expect(
      viewLimitError({ type: "home", blocks: Array.from({ length: 101 }, () => section("x")) })?.error,
    ).toBe("invalid_arguments");
  });

  it("lets a trigger id open one view within 3 seconds: later or twice is refused", () => {
    let now = 1_000_000;
    const store = createConsoleStore(() => now);
    const fresh = store.issueTrigger("U1");
    expect(store.useTrigger(fresh)).toEqual({ userId: "U1" });
    expect(store.useTrigger(fresh)).toEqual({ error: "exchanged_trigger_id" });
    const late = store.issueTrigger("U1");
    now += 3_001;
    expect(store.useTrigger(late)).toEqual({ error: "expired_trigger_id" });
    expect(store.useTrigger("123.forged")).toEqual({ error: "invalid_trigger_id" });
  });

  it("fills in the block_id and action_id a block was sent without, as Slack does", () => {
    let n = 0;
    const [block] = withIds(
      [{ type: "actions", elements: [{ type: "button", text: plain("Go") }] }],
      () => `id${++n}`,
    );
    expect(block).toMatchObject({ block_id: "id1", elements: [{ action_id: "id2" }] });
  });
});

describe("the console sends Slack's state.values", () => {
  it("gives back each element's own option objects, dates, texts and checked boxes", () => {
    const option = (text: string, value: string) => ({ text: plain(text), value });
    const blocks = [
      {
        type: "input",
        block_id: "p",
        element: { type: "static_select", action_id: "v", options: [option("Atlas", "atlas")] },
      },
      { type: "input", block_id: "d", element: { type: "datepicker", action_id: "v" } },
      { type: "input", block_id: "h", element: { type: "plain_text_input", action_id: "v" } },
      {
        type: "input",
        block_id: "o",
        element: { type: "checkboxes", action_id: "v", options: [option("Submit", "submit")] },
      },
    ];
    expect(
      stateValues(blocks, [
        { blockId: "p", actionId: "v", value: "atlas" },
        { blockId: "d", actionId: "v", value: "2026-12-03" },
        { blockId: "h", actionId: "v", value: "" },
        { blockId: "o", actionId: "v", values: ["submit"] },
      ]),
    ).toEqual({
      p: { v: { type: "static_select", selected_option: option("Atlas", "atlas") } },
      d: { v: { type: "datepicker", selected_date: "2026-12-03" } },
      h: { v: { type: "plain_text_input", value: null } },
      o: { v: { type: "checkboxes", selected_options: [option("Submit", "submit")] } },
    });
  });
});

describe("the console's outbox", () => {
  it("reads back what the outbox mailer wrote: recipient, subject, text and the PDF", () => {
    const pdf = Buffer.from("%PDF-1.7 fake");
    const eml = renderEml(
      {
        from: { email: "billing@cobro.invalid", name: "Norte & Loire" },
        to: ["factures@client.example"],
        subject: "Facture F-2026-00023 — Norte & Loire",
        text: "Bonjour,\nVeuillez trouver ci-joint la facture.",
        html: "<p>Bonjour</p>",
        attachments: [{ filename: "F-2026-00023.pdf", contentType: "application/pdf", content: pdf }],
        categories: [],
        customArgs: { delivery_id: "d1" },
      },
      "d1@cobro.outbox",
      new Date("2026-12-03T10:00:00Z"),
    );
    const mail = parseOutboxMail("2026-12-03-d1.eml", eml);
    expect(mail).toMatchObject({
      to: "factures@client.example",
      subject: "Facture F-2026-00023 — Norte & Loire",
      text: "Bonjour,\nVeuillez trouver ci-joint la facture.",
    });
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]?.filename).toBe("F-2026-00023.pdf");
    expect(mail.attachments[0]?.content.equals(pdf)).toBe(true);
  });
});
