import { describe, expect, it } from "vitest";
import { renderBlock, renderBlocks, renderElement, renderMrkdwn } from "../../src/console/render-blocks.ts";

const names = { users: { U1: "Lucía Fernández" }, channels: { CBILLING: "billing" } };
const plain = (text: string) => ({ type: "plain_text", text, emoji: true });
const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
/** What a reader sees: the HTML without its tags, entities decoded. */
const seen = (html: string) =>
  html
    .replace(/<[^>]+>/g, "")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

describe("console renderer: mrkdwn", () => {
  it("renders bold, italics, strike, code, quotes and preformatted text", () => {
    expect(renderMrkdwn("*Paid* _late_ ~twice~ `F-1`")).toBe(
      "<b>Paid</b> <i>late</i> <s>twice</s> <code>F-1</code>",
    );
    expect(renderMrkdwn("&gt; quoted\nnext")).toBe("<blockquote>quoted</blockquote>next");
    expect(renderMrkdwn("```a *b*```")).toBe("<pre>a *b*</pre>");
  });

  it("renders links, user and channel mentions, specials and emoji", () => {
    const html = renderMrkdwn(
      "<https://example.com/i?a=1&amp;b=2|the invoice> by <@U1> in <#CBILLING> <!here> :white_check_mark: :double_vertical_bar: :no_such_emoji:",
      names,
    );
    expect(html).toContain(
      '<a href="https://example.com/i?a=1&amp;b=2" target="_blank" rel="noopener">the invoice</a>',
    );
    expect(html).toContain('data-user="U1">@Lucía Fernández</span>');
    expect(html).toContain('data-channel="CBILLING">#billing</span>');
    expect(html).toContain("@here");
    expect(html).toContain("✅");
    expect(html).toContain("⏸️");
    expect(html).toContain(":no_such_emoji:");
  });

  it("never makes a link of a script URL", () => {
    expect(renderMrkdwn("<javascript:alert(1)|click>")).toContain('href="#"');
  });

  it("shows a client named <script> or *bold* as typed where Slack would", () => {
    // Cobro escapes values for mrkdwn (&lt; &gt;): the page shows the characters, runs nothing.
    const html = renderBlocks([
      { type: "section", text: mrkdwn("Client: &lt;script&gt;alert(1)&lt;/script&gt;") },
      { type: "header", text: plain("*bold* <script>") },
      {
        type: "actions",
        elements: [{ type: "button", text: plain("*bold*"), action_id: "a", value: '"><img>' }],
      },
      { type: "section", text: { type: "mrkdwn", text: "*bold*", verbatim: true } },
    ]);
    expect(html).not.toMatch(/<script|<img/);
    expect(seen(html)).toContain("Client: <script>alert(1)</script>");
    expect(html).toContain("*bold* &lt;script&gt;</h3>");
    expect(html).toContain(">*bold*</button>");
    expect(html).toContain('data-value="&quot;&gt;&lt;img&gt;"');
    expect(html).toContain('<div class="txt">*bold*</div>');
  });
});

describe("console renderer: blocks", () => {
  it("renders header, divider, section with fields and accessory, context, image, rich text", () => {
    const html = renderBlocks(
      [
        { type: "header", block_id: "h", text: plain("Invoice F-2026-00023") },
        { type: "divider" },
        {
          type: "section",
          block_id: "s",
          text: mrkdwn("*Brightwave*"),
          fields: [mrkdwn("*Amount*\n32.500,00 €"), mrkdwn("*Due*\n2 Jan")],
          accessory: { type: "button", action_id: "open", text: plain("Open"), value: "v" },
        },
        {
          type: "context",
          elements: [
            mrkdwn("by <@U1>"),
            { type: "image", image_url: "https://x.test/a.png", alt_text: "logo" },
          ],
        },
        { type: "image", image_url: "https://x.test/chart.png", alt_text: "chart", title: plain("Ageing") },
        {
          type: "rich_text",
          elements: [
            {
              type: "rich_text_section",
              elements: [
                { type: "text", text: "Hi ", style: { bold: true } },
                { type: "user", user_id: "U1" },
              ],
            },
            {
              type: "rich_text_list",
              style: "ordered",
              elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "one" }] }],
            },
            { type: "rich_text_quote", elements: [{ type: "link", url: "https://x.test", text: "site" }] },
            { type: "rich_text_preformatted", elements: [{ type: "emoji", name: "tada" }] },
          ],
        },
      ],
      names,
    );
    expect(html).toContain('<h3 class="blk blk-header" data-block-id="h">Invoice F-2026-00023</h3>');
    expect(html).toContain('<hr class="blk blk-divider">');
    expect(html).toContain('<div class="field"><b>Amount</b><br>32.500,00 €</div>');
    expect(html).toContain(
      '<div class="accessory"><button type="button" class="el-button" data-block-id="s" data-action-id="open"',
    );
    expect(html).toContain('class="blk blk-context"');
    expect(html).toContain('<img class="el-image" src="https://x.test/a.png" alt="logo">');
    expect(html).toContain("<figcaption>Ageing</figcaption>");
    expect(html).toContain("<b>Hi </b>");
    expect(html).toContain("<ol><li>one</li></ol>");
    expect(html).toContain("<blockquote><a");
    expect(html).toContain("<pre>🎉</pre>");
    expect(html).not.toContain("unsupported");
  });

  it("renders a table block with a header row, alignments and rich cells", () => {
    const html = renderBlock({
      type: "table",
      block_id: "t",
      column_settings: [{ align: "left" }, { align: "right" }],
      rows: [
        [
          { type: "raw_text", text: "Client" },
          { type: "raw_text", text: "Open" },
        ],
        [
          {
            type: "rich_text",
            elements: [
              {
                type: "rich_text_section",
                elements: [{ type: "text", text: "<Acme>", style: { bold: true } }],
              },
            ],
          },
          { type: "raw_text", text: "1.200,00 €" },
        ],
      ],
    });
    expect(html).toContain(
      '<table class="blk blk-table" data-block-id="t"><tr><th class="align-left">Client</th><th class="align-right">Open</th></tr>',
    );
    expect(html).toContain(
      '<td class="align-left"><div><b>&lt;Acme&gt;</b></div></td><td class="align-right">1.200,00 €</td>',
    );
  });

  it("renders an input with its label, hint, optional mark and an empty error slot for its block", () => {
    const html = renderBlock({
      type: "input",
      block_id: "amount",
      optional: true,
      label: plain("Amount"),
      hint: plain("In the invoice currency"),
      element: {
        type: "plain_text_input",
        action_id: "value",
        initial_value: "12",
        placeholder: plain("0,00"),
      },
    });
    expect(html).toContain(
      '<label for="amount__value">Amount <span class="optional">(optional)</span></label>',
    );
    expect(html).toContain(
      '<input type="text" class="el-input" data-block-id="amount" data-action-id="value" data-type="plain_text_input" id="amount__value" placeholder="0,00" value="12">',
    );
    expect(html).toContain('<div class="hint">In the invoice currency</div>');
    expect(html).toContain('<div class="field-error" data-error-for="amount" hidden></div>');
  });

  it("shows a visible placeholder for a block or element it does not know", () => {
    expect(renderBlock({ type: "video", title: plain("x") })).toBe(
      '<div class="unsupported">Unsupported block in the console: video</div>',
    );
    expect(renderElement({ type: "workflow_button" }, "b")).toContain(
      "Unsupported element in the console: workflow_button",
    );
    expect(renderBlock({ type: "<b>" })).toContain("Unsupported block in the console: &lt;b&gt;");
  });
});

describe("console renderer: elements", () => {
  const option = (text: string, value: string) => ({ text: plain(text), value });

  it("renders buttons with style, value, url and confirm", () => {
    const html = renderElement(
      {
        type: "button",
        action_id: "pay",
        text: plain("Record payment"),
        value: "i:1",
        style: "primary",
        url: "https://x.test",
        confirm: { title: plain("Sure?") },
      },
      "b",
    );
    expect(html).toContain('class="el-button primary"');
    expect(html).toContain('data-value="i:1"');
    expect(html).toContain('data-url="https://x.test"');
    expect(html).toContain("data-confirm=");
    expect(
      renderElement({ type: "button", action_id: "no", text: plain("No"), style: "danger" }, "b"),
    ).toContain("el-button danger");
  });

  it("renders static, external and multi selects, option groups and overflow menus", () => {
    const select = renderElement(
      {
        type: "static_select",
        action_id: "s",
        placeholder: plain("Client"),
        options: [option("Acme", "a"), option("Globex", "g")],
        initial_option: option("Globex", "g"),
      },
      "b",
    );
    expect(select).toContain(
      '<option value="">Client</option><option value="a">Acme</option><option value="g" selected>Globex</option>',
    );
    const grouped = renderElement(
      {
        type: "static_select",
        action_id: "s",
        option_groups: [{ label: plain("EU"), options: [option("Acme", "a")] }],
      },
      "b",
    );
    expect(grouped).toContain('<optgroup label="EU"><option value="a">Acme</option></optgroup>');
    const external = renderElement(
      {
        type: "external_select",
        action_id: "e",
        min_query_length: 0,
        initial_option: option("All clients", "*"),
      },
      "b",
    );
    expect(external).toContain('data-type="external_select"');
    expect(external).toContain('<option value="*" selected>All clients</option>');
    const multi = renderElement(
      {
        type: "multi_static_select",
        action_id: "m",
        options: [option("A", "a"), option("B", "b")],
        initial_options: [option("B", "b")],
      },
      "b",
    );
    expect(multi).toContain('<select multiple class="el-select"');
    expect(multi).toContain('<option value="b" selected>B</option>');
    const overflow = renderElement(
      { type: "overflow", action_id: "o", options: [option("Statement", "st")] },
      "b",
    );
    expect(overflow).toContain('<option value="">⋯</option><option value="st">Statement</option>');
  });

  it("renders date and time pickers, text inputs (multiline, number, email, url)", () => {
    expect(renderElement({ type: "datepicker", action_id: "d", initial_date: "2026-12-03" }, "b")).toContain(
      'type="date" class="el-input" data-block-id="b" data-action-id="d" data-type="datepicker" id="b__d" value="2026-12-03"',
    );
    expect(renderElement({ type: "timepicker", action_id: "t", initial_time: "09:00" }, "b")).toContain(
      'type="time"',
    );
    expect(
      renderElement({ type: "plain_text_input", action_id: "n", multiline: true, initial_value: "<x>" }, "b"),
    ).toContain(">&lt;x&gt;</textarea>");
    expect(renderElement({ type: "number_input", action_id: "n", is_decimal_allowed: true }, "b")).toContain(
      'data-type="number_input"',
    );
    expect(renderElement({ type: "email_text_input", action_id: "e" }, "b")).toContain('type="email"');
    expect(renderElement({ type: "url_text_input", action_id: "u" }, "b")).toContain('type="url"');
  });

  it("renders radio buttons and checkboxes with their initial choices", () => {
    const radios = renderElement(
      {
        type: "radio_buttons",
        action_id: "r",
        options: [option("Email", "e"), option("Slack", "s")],
        initial_option: option("Slack", "s"),
      },
      "b",
    );
    expect(radios).toContain('<input type="radio" name="b__r" value="s" checked> Slack');
    const boxes = renderElement(
      {
        type: "checkboxes",
        action_id: "c",
        options: [{ ...option("Auto-issue", "auto"), description: plain("on milestone done") }],
        initial_options: [option("Auto-issue", "auto")],
      },
      "b",
    );
    expect(boxes).toContain(
      '<input type="checkbox" name="b__c" value="auto" checked> Auto-issue<span class="hint">on milestone done</span>',
    );
  });

  it("renders people and channel pickers over the workspace's names", () => {
    const users = renderElement(
      { type: "multi_users_select", action_id: "u", initial_users: ["U1"] },
      "b",
      names,
    );
    expect(users).toContain('<option value="U1" selected>Lucía Fernández</option>');
    const one = renderElement({ type: "users_select", action_id: "u" }, "b", names);
    expect(one).toContain('<option value="">Choose a person</option>');
    const channel = renderElement(
      { type: "conversations_select", action_id: "c", initial_conversation: "CBILLING" },
      "b",
      names,
    );
    expect(channel).toContain('<option value="CBILLING" selected>billing</option>');
    expect(renderElement({ type: "channels_select", action_id: "c" }, "b", names)).toContain(
      '<option value="CBILLING">billing</option>',
    );
  });
});
