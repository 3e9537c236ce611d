// Block Kit → escaped HTML for the local console (docs/console.md): a pure function, so the page and
// the tests see the same thing. Every value is escaped; interactive elements carry their block and
// action ids as data attributes for the page to send back as Slack would. Anything this renderer
// does not know shows as a visible placeholder, never as nothing.
import { get as emojiByName } from "node-emoji";

export type Names = { users?: Record<string, string>; channels?: Record<string, string> };
type Json = Record<string, unknown>;

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

const attr = (name: string, value: unknown) =>
  value === undefined || value === null ? "" : ` ${name}="${escapeHtml(String(value))}"`;

const str = (value: unknown): string => (typeof value === "string" ? value : "");
const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

// Slack's names that the emoji library spells differently.
const EMOJI_ALIASES: Record<string, string> = {
  double_vertical_bar: "⏸️",
  large_green_circle: "🟢",
  large_yellow_circle: "🟡",
  large_orange_circle: "🟠",
  scales: "⚖️",
  white_tick: "✔️",
};

function emoji(name: string): string | undefined {
  return EMOJI_ALIASES[name] ?? emojiByName(name);
}

/** Slack's own escapes (&amp; &lt; &gt;) undone, then escaped for HTML. */
const slackTextToHtml = (text: string) =>
  escapeHtml(text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&"));

function renderAngle(inner: string, names: Names): string {
  const [target = "", label] = inner.split("|", 2) as [string, string | undefined];
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const name = label ?? names.users?.[id] ?? id;
    return `<span class="mention"${attr("data-user", id)}>@${slackTextToHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const name = label ?? names.channels?.[id] ?? id;
    return `<span class="mention channel"${attr("data-channel", id)}>#${slackTextToHtml(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const special = target.slice(1);
    if (special.startsWith("date^")) return `<span class="date">${slackTextToHtml(label ?? special)}</span>`;
    if (special.startsWith("subteam^"))
      return `<span class="mention">${slackTextToHtml(label ?? "@group")}</span>`;
    return `<span class="mention">@${slackTextToHtml(special)}</span>`;
  }
  const url = target.replaceAll("&amp;", "&");
  const safe = /^(https?:|mailto:)/i.test(url) ? url : "#";
  return `<a${attr("href", safe)} target="_blank" rel="noopener">${slackTextToHtml(label ?? target)}</a>`;
}

// Bold, italics, strike and code at word boundaries, as Slack reads them.
const INLINE: [RegExp, string][] = [
  [/(^|[\s([{>"'])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s.,;:!?)\]}<"'])/g, "$1<b>$2</b>"],
  [/(^|[\s([{>"'])_(?=\S)([^_\n]*?\S)_(?=$|[\s.,;:!?)\]}<"'])/g, "$1<i>$2</i>"],
  [/(^|[\s([{>"'])~(?=\S)([^~\n]*?\S)~(?=$|[\s.,;:!?)\]}<"'])/g, "$1<s>$2</s>"],
];

function renderInline(text: string, names: Names): string {
  // Angle constructs first, kept aside so formatting never breaks inside them.
  const kept: string[] = [];
  const keep = (html: string) => {
    kept.push(html);
    return `\uE000${kept.length - 1}\uE001`;
  };
  let out = text.replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${slackTextToHtml(code)}</code>`));
  out = out.replace(/<([^<>\n]+)>/g, (_, inner: string) => keep(renderAngle(inner, names)));
  out = slackTextToHtml(out);
  for (const [pattern, replacement] of INLINE) out = out.replace(pattern, replacement);
  out = out.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => {
    const found = emoji(name);
    return found ? `<span class="emoji" title=":${name}:">${found}</span>` : whole;
  });
  return out.replace(/\uE000(\d+)\uE001/g, (_, i: string) => kept[Number(i)] ?? "");
}

/** Slack mrkdwn → HTML: bold, italics, strike, code, quotes, links, mentions, emoji. */
export function renderMrkdwn(text: string, names: Names = {}): string {
  const blocks = text.split("```");
  return blocks
    .map((part, i) => {
      if (i % 2 === 1) return `<pre>${slackTextToHtml(part.replace(/^\n/, ""))}</pre>`;
      return part
        .split("\n")
        .map((line) =>
          line.startsWith("&gt;") || line.startsWith(">")
            ? `<blockquote>${renderInline(line.replace(/^(&gt;|>)\s?/, ""), names)}</blockquote>`
            : renderInline(line, names),
        )
        .join("<br>")
        .replace(/<\/blockquote><br>/g, "</blockquote>");
    })
    .join("");
}

function plainText(value: unknown): string {
  const text = obj(value);
  const raw = str(text.text);
  if (text.emoji === false) return escapeHtml(raw);
  return escapeHtml(raw).replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => emoji(name) ?? whole);
}

/** A text object (plain_text or mrkdwn). */
export function renderText(value: unknown, names: Names = {}): string {
  const text = obj(value);
  if (text.type === "mrkdwn") {
    return text.verbatim === true ? slackTextToHtml(str(text.text)) : renderMrkdwn(str(text.text), names);
  }
  return plainText(text);
}

const unsupported = (what: string, type: unknown) =>
  `<div class="unsupported">Unsupported ${what} in the console: ${escapeHtml(String(type ?? "?"))}</div>`;

function optionTag(option: Json, selected: boolean): string {
  return `<option${attr("value", option.value)}${selected ? " selected" : ""}>${plainText(option.text)}</option>`;
}

function selectOptions(element: Json, selectedValues: Set<string>): string {
  const tag = (option: Json) => optionTag(option, selectedValues.has(str(option.value)));
  if (Array.isArray(element.option_groups)) {
    return list(element.option_groups)
      .map(
        (group) =>
          `<optgroup label="${escapeHtml(str(obj(group.label).text))}">${list(group.options).map(tag).join("")}</optgroup>`,
      )
      .join("");
  }
  return list(element.options).map(tag).join("");
}

function dataIds(element: Json, blockId: string): string {
  return `${attr("data-block-id", blockId)}${attr("data-action-id", element.action_id)}${attr("data-type", element.type)}`;
}

function confirmAttr(element: Json): string {
  return element.confirm ? attr("data-confirm", JSON.stringify(element.confirm)) : "";
}

function placeholderOption(element: Json, fallback: string): string {
  const text = element.placeholder ? plainText(element.placeholder) : escapeHtml(fallback);
  return `<option value="">${text}</option>`;
}

function nameOptions(names: Record<string, string> | undefined, selected: Set<string>): string {
  return Object.entries(names ?? {})
    .map(
      ([id, name]) =>
        `<option${attr("value", id)}${selected.has(id) ? " selected" : ""}>${escapeHtml(name)}</option>`,
    )
    .join("");
}

/** One interactive or display element (an actions element, an accessory, an input's element). */
export function renderElement(element: Json, blockId: string, names: Names = {}): string {
  const ids = dataIds(element, blockId);
  const id = `${blockId}__${str(element.action_id)}`;
  switch (element.type) {
    case "button": {
      const style = element.style === "primary" || element.style === "danger" ? ` ${element.style}` : "";
      return `<button type="button" class="el-button${style}"${ids}${attr("data-value", element.value)}${attr("data-url", element.url)}${confirmAttr(element)}>${plainText(element.text)}</button>`;
    }
    case "static_select":
    case "external_select": {
      const initial = obj(element.initial_option);
      const selected = new Set(initial.value ? [str(initial.value)] : []);
      const external = element.type === "external_select" && initial.value ? optionTag(initial, true) : "";
      return `<select class="el-select"${ids}${attr("id", id)}${confirmAttr(element)}>${placeholderOption(element, "Select an item")}${external}${selectOptions(element, selected)}</select>`;
    }
    case "multi_static_select": {
      const selected = new Set(list(element.initial_options).map((o) => str(o.value)));
      return `<select multiple class="el-select"${ids}${attr("id", id)}>${selectOptions(element, selected)}</select>`;
    }
    case "overflow":
      return `<select class="el-overflow"${ids}${attr("aria-label", "More actions")}${confirmAttr(element)}><option value="">⋯</option>${selectOptions(element, new Set())}</select>`;
    case "datepicker":
      return `<input type="date" class="el-input"${ids}${attr("id", id)}${attr("value", element.initial_date)}>`;
    case "timepicker":
      return `<input type="time" class="el-input"${ids}${attr("id", id)}${attr("value", element.initial_time)}>`;
    case "plain_text_input":
    case "email_text_input":
    case "url_text_input":
    case "number_input": {
      const placeholder = element.placeholder ? attr("placeholder", str(obj(element.placeholder).text)) : "";
      const common = `${ids}${attr("id", id)}${placeholder}${attr("maxlength", element.max_length)}`;
      if (element.multiline === true) {
        return `<textarea class="el-input"${common}>${escapeHtml(str(element.initial_value))}</textarea>`;
      }
      const type = { email_text_input: "email", url_text_input: "url", number_input: "text" }[
        String(element.type)
      ];
      return `<input type="${type ?? "text"}" class="el-input"${common}${attr("value", element.initial_value)}>`;
    }
    case "radio_buttons":
    case "checkboxes": {
      const kind = element.type === "radio_buttons" ? "radio" : "checkbox";
      const initial =
        element.type === "radio_buttons"
          ? [str(obj(element.initial_option).value)]
          : list(element.initial_options).map((o) => str(o.value));
      const chosen = new Set(initial);
      const inputs = list(element.options)
        .map(
          (option) =>
            `<label class="choice"><input type="${kind}"${attr("name", id)}${attr("value", option.value)}${chosen.has(str(option.value)) ? " checked" : ""}> ${renderText(option.text, names)}${option.description ? `<span class="hint">${renderText(option.description, names)}</span>` : ""}</label>`,
        )
        .join("");
      return `<div class="el-choices"${ids}${attr("id", id)}>${inputs}</div>`;
    }
    case "users_select":
    case "multi_users_select": {
      const initial = element.type === "users_select" ? [str(element.initial_user)] : element.initial_users;
      const selected = new Set(Array.isArray(initial) ? initial.map(String) : []);
      const multiple = element.type === "multi_users_select" ? " multiple" : "";
      const placeholder = multiple ? "" : placeholderOption(element, "Choose a person");
      return `<select${multiple} class="el-select"${ids}${attr("id", id)}>${placeholder}${nameOptions(names.users, selected)}</select>`;
    }
    case "conversations_select":
    case "channels_select": {
      const selected = new Set([str(element.initial_conversation ?? element.initial_channel)]);
      return `<select class="el-select"${ids}${attr("id", id)}>${placeholderOption(element, "Choose a channel")}${nameOptions(names.channels, selected)}</select>`;
    }
    case "image":
      return `<img class="el-image"${attr("src", element.image_url)}${attr("alt", element.alt_text)}>`;
    case "plain_text":
    case "mrkdwn":
      return `<span class="el-text">${renderText(element, names)}</span>`;
    default:
      return unsupported("element", element.type);
  }
}

function richTextElements(elements: Json[], names: Names): string {
  return elements
    .map((element) => {
      switch (element.type) {
        case "text": {
          const style = obj(element.style);
          let html = escapeHtml(str(element.text)).replaceAll("\n", "<br>");
          if (style.code) html = `<code>${html}</code>`;
          if (style.bold) html = `<b>${html}</b>`;
          if (style.italic) html = `<i>${html}</i>`;
          if (style.strike) html = `<s>${html}</s>`;
          return html;
        }
        case "link":
          return renderAngle(`${str(element.url)}${element.text ? `|${str(element.text)}` : ""}`, names);
        case "user":
          return renderAngle(`@${str(element.user_id)}`, names);
        case "channel":
          return renderAngle(`#${str(element.channel_id)}`, names);
        case "emoji":
          return escapeHtml(emoji(str(element.name)) ?? `:${str(element.name)}:`);
        case "date":
          return `<span class="date">${escapeHtml(str(element.fallback ?? element.timestamp))}</span>`;
        default:
          return unsupported("rich text element", element.type);
      }
    })
    .join("");
}

function richText(block: Json, names: Names): string {
  return list(block.elements)
    .map((part) => {
      const inner = richTextElements(list(part.elements), names);
      switch (part.type) {
        case "rich_text_section":
          return `<div>${inner}</div>`;
        case "rich_text_preformatted":
          return `<pre>${inner}</pre>`;
        case "rich_text_quote":
          return `<blockquote>${inner}</blockquote>`;
        case "rich_text_list": {
          const tag = part.style === "ordered" ? "ol" : "ul";
          const items = list(part.elements)
            .map((item) => `<li>${richTextElements(list(item.elements), names)}</li>`)
            .join("");
          return `<${tag}>${items}</${tag}>`;
        }
        default:
          return unsupported("rich text part", part.type);
      }
    })
    .join("");
}

function tableCell(cell: Json, names: Names): string {
  if (cell.type === "raw_text") return escapeHtml(str(cell.text));
  if (cell.type === "rich_text") return richText(cell, names);
  return unsupported("table cell", cell.type);
}

function table(block: Json, names: Names): string {
  const settings = list(block.column_settings);
  const rows = Array.isArray(block.rows) ? (block.rows as unknown[]).map((row) => list(row)) : [];
  const body = rows
    .map((row, r) => {
      const tag = r === 0 ? "th" : "td";
      const cells = row
        .map((cell, c) => {
          const align = str(settings[c]?.align);
          return `<${tag}${align ? attr("class", `align-${align}`) : ""}>${tableCell(cell, names)}</${tag}>`;
        })
        .join("");
      return `<tr>${cells}</tr>`;
    })
    .join("");
  return `<table class="blk blk-table"${attr("data-block-id", block.block_id)}>${body}</table>`;
}

/** One block of a message, a modal or the App Home. */
export function renderBlock(block: Json, names: Names = {}): string {
  const blockId = str(block.block_id);
  const ids = blockId ? attr("data-block-id", blockId) : "";
  switch (block.type) {
    case "header":
      return `<h3 class="blk blk-header"${ids}>${plainText(block.text)}</h3>`;
    case "divider":
      return `<hr class="blk blk-divider"${ids}>`;
    case "section": {
      const text = block.text ? `<div class="txt">${renderText(block.text, names)}</div>` : "";
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${list(block.fields)
            .map((field) => `<div class="field">${renderText(field, names)}</div>`)
            .join("")}</div>`
        : "";
      const accessory = block.accessory
        ? `<div class="accessory">${renderElement(obj(block.accessory), blockId, names)}</div>`
        : "";
      return `<div class="blk blk-section"${ids}><div class="body">${text}${fields}</div>${accessory}</div>`;
    }
    case "context":
      return `<div class="blk blk-context"${ids}>${list(block.elements)
        .map((element) =>
          element.type === "image"
            ? renderElement(element, blockId, names)
            : `<span>${renderText(element, names)}</span>`,
        )
        .join("")}</div>`;
    case "actions":
      return `<div class="blk blk-actions"${ids}>${list(block.elements)
        .map((element) => renderElement(element, blockId, names))
        .join("")}</div>`;
    case "input": {
      const element = obj(block.element);
      const optional = block.optional === true ? ' <span class="optional">(optional)</span>' : "";
      const hint = block.hint ? `<div class="hint">${plainText(block.hint)}</div>` : "";
      const forId = `${blockId}__${str(element.action_id)}`;
      return `<div class="blk blk-input"${ids}${attr("data-dispatch", block.dispatch_action === true ? "1" : undefined)}><label${attr("for", forId)}>${plainText(block.label)}${optional}</label>${renderElement(element, blockId, names)}${hint}<div class="field-error"${attr("data-error-for", blockId)} hidden></div></div>`;
    }
    case "image":
      return `<figure class="blk blk-image"${ids}>${block.title ? `<figcaption>${plainText(block.title)}</figcaption>` : ""}<img${attr("src", block.image_url)}${attr("alt", block.alt_text)}></figure>`;
    case "rich_text":
      return `<div class="blk blk-rich"${ids}>${richText(block, names)}</div>`;
    case "table":
      return table(block, names);
    default:
      return unsupported("block", block.type);
  }
}

/** A surface's blocks, in order. */
export function renderBlocks(blocks: unknown, names: Names = {}): string {
  return list(blocks)
    .map((block) => renderBlock(block, names))
    .join("");
}
