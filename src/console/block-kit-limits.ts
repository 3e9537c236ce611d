// Slack's Block Kit limits as the Web API enforces them: a message or view over a limit is refused
// with Slack's own error (invalid_blocks for messages, invalid_arguments for views) and messages
// naming the JSON pointer, so the console shows what real Slack would refuse.
type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);
const textOf = (value: unknown) => {
  const text = obj(value).text;
  return typeof text === "string" ? text : "";
};

type Problems = string[];

function tooLong(problems: Problems, value: string, max: number, pointer: string) {
  if ([...value].length > max)
    problems.push(`[ERROR] must be less than ${max + 1} characters [json-pointer:${pointer}]`);
}

function tooMany(problems: Problems, items: unknown[], max: number, pointer: string) {
  if (items.length > max)
    problems.push(`[ERROR] must be less than ${max + 1} items [json-pointer:${pointer}]`);
}

function checkElement(problems: Problems, element: Json, pointer: string) {
  tooLong(problems, String(element.action_id ?? ""), 255, `${pointer}/action_id`);
  if (element.type === "button") {
    tooLong(problems, textOf(element.text), 75, `${pointer}/text/text`);
    tooLong(problems, String(element.value ?? ""), 2000, `${pointer}/value`);
  }
  if (element.placeholder) tooLong(problems, textOf(element.placeholder), 150, `${pointer}/placeholder/text`);
  const options = list(element.options);
  tooMany(problems, options, element.type === "overflow" ? 5 : 100, `${pointer}/options`);
  options.forEach((option, i) => {
    tooLong(problems, textOf(option.text), 75, `${pointer}/options/${i}/text/text`);
    tooLong(problems, String(option.value ?? ""), 150, `${pointer}/options/${i}/value`);
  });
}

function checkBlock(problems: Problems, block: Json, pointer: string) {
  tooLong(problems, String(block.block_id ?? ""), 255, `${pointer}/block_id`);
  switch (block.type) {
    case "header":
      tooLong(problems, textOf(block.text), 150, `${pointer}/text/text`);
      break;
    case "section": {
      if (!block.text && !block.fields) {
        problems.push(`[ERROR] must provide either text or fields [json-pointer:${pointer}]`);
      }
      if (block.text) tooLong(problems, textOf(block.text), 3000, `${pointer}/text/text`);
      const fields = list(block.fields);
      tooMany(problems, fields, 10, `${pointer}/fields`);
      for (const [i, field] of fields.entries())
        tooLong(problems, textOf(field), 2000, `${pointer}/fields/${i}/text`);
      if (block.accessory) checkElement(problems, obj(block.accessory), `${pointer}/accessory`);
      break;
    }
    case "context":
      tooMany(problems, list(block.elements), 10, `${pointer}/elements`);
      break;
    case "actions": {
      const elements = list(block.elements);
      tooMany(problems, elements, 25, `${pointer}/elements`);
      for (const [i, element] of elements.entries())
        checkElement(problems, element, `${pointer}/elements/${i}`);
      break;
    }
    case "input":
      tooLong(problems, textOf(block.label), 2000, `${pointer}/label/text`);
      checkElement(problems, obj(block.element), `${pointer}/element`);
      break;
  }
}

function checkBlocks(problems: Problems, blocks: Json[], max: number) {
  tooMany(problems, blocks, max, "/blocks");
  const seen = new Set<string>();
  blocks.forEach((block, i) => {
    const id = block.block_id;
    if (typeof id === "string") {
      if (seen.has(id))
        problems.push(`[ERROR] duplicate block_id: ${id} [json-pointer:/blocks/${i}/block_id]`);
      seen.add(id);
    }
    checkBlock(problems, block, `/blocks/${i}`);
  });
}

/** chat.postMessage, chat.update, chat.postEphemeral, response_url: Slack's error or null. */
export function messageLimitError(message: {
  text?: unknown;
  blocks?: unknown;
}): { error: string; messages: string[] } | null {
  if (typeof message.text === "string" && message.text.length > 40_000)
    return { error: "msg_too_long", messages: [] };
  if (!Array.isArray(message.blocks)) {
    return typeof message.text === "string" && message.text.length > 0
      ? null
      : { error: "no_text", messages: [] };
  }
  const problems: Problems = [];
  checkBlocks(problems, list(message.blocks), 50);
  return problems.length > 0 ? { error: "invalid_blocks", messages: problems } : null;
}

/** views.open/push/update/publish: Slack's error or null. */
export function viewLimitError(view: Json): { error: string; messages: string[] } | null {
  const problems: Problems = [];
  checkBlocks(problems, list(view.blocks), 100);
  if (view.type === "modal") {
    tooLong(problems, textOf(view.title), 24, "/view/title/text");
    if (view.submit) tooLong(problems, textOf(view.submit), 24, "/view/submit/text");
    if (view.close) tooLong(problems, textOf(view.close), 24, "/view/close/text");
    if (!view.submit && list(view.blocks).some((b) => b.type === "input")) {
      problems.push(
        "[ERROR] submit is required when an input block is within the blocks array [json-pointer:/view/submit]",
      );
    }
  }
  tooLong(problems, String(view.private_metadata ?? ""), 3000, "/view/private_metadata");
  tooLong(problems, String(view.callback_id ?? ""), 255, "/view/callback_id");
  return problems.length > 0 ? { error: "invalid_arguments", messages: problems } : null;
}

/** Slack fills in the block_id and action_id a block or element was sent without. */
export function withIds(blocks: unknown, fresh: () => string): Json[] {
  const withActionId = (element: Json) => ({ ...element, action_id: element.action_id ?? fresh() });
  return list(blocks).map((block) => {
    const filled: Json = { ...block, block_id: block.block_id ?? fresh() };
    if (block.accessory) filled.accessory = withActionId(obj(block.accessory));
    if (block.type === "actions") filled.elements = list(block.elements).map(withActionId);
    if (block.type === "input" && block.element) filled.element = withActionId(obj(block.element));
    return filled;
  });
}
