// What the page read from a surface's inputs → Slack's `state.values` and `actions[0]`, with the
// element's own option objects (Slack sends back the option it was given, text included).
type Json = Record<string, unknown>;

/** One input as the page read it: a text, a date, one chosen value or several. */
export type InputReading = { blockId: string; actionId: string; value?: string | null; values?: string[] };

const obj = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map(obj) : []);

/** The element of a block with this action id (an input's element, an accessory or an actions element). */
export function findElement(blocks: unknown, blockId: string, actionId: string): Json | undefined {
  const block = list(blocks).find((b) => b.block_id === blockId);
  if (!block) return undefined;
  const candidates = [obj(block.element), obj(block.accessory), ...list(block.elements)];
  return candidates.find((element) => element.action_id === actionId);
}

function optionsOf(element: Json): Json[] {
  return [...list(element.options), ...list(element.option_groups).flatMap((group) => list(group.options))];
}

/** Slack's value object of one element; `known` supplies options an external menu loaded. */
export function elementValue(element: Json, reading: InputReading, known: Json[] = []): Json {
  const type = String(element.type);
  const value = reading.value ?? null;
  const option = (v: string | null) =>
    v
      ? ([...optionsOf(element), ...known, obj(element.initial_option)].find((o) => o.value === v) ?? null)
      : null;
  switch (type) {
    case "static_select":
    case "external_select":
    case "radio_buttons":
    case "overflow":
      return { type, selected_option: option(value) };
    case "multi_static_select":
    case "checkboxes":
      return { type, selected_options: (reading.values ?? []).map(option).filter(Boolean) };
    case "datepicker":
      return { type, selected_date: value || null };
    case "timepicker":
      return { type, selected_time: value || null };
    case "users_select":
      return { type, selected_user: value || null };
    case "multi_users_select":
      return { type, selected_users: reading.values ?? [] };
    case "conversations_select":
      return { type, selected_conversation: value || null };
    case "channels_select":
      return { type, selected_channel: value || null };
    case "button":
      return { type, value: element.value ?? null, text: element.text };
    default:
      return { type, value: value === "" ? null : value };
  }
}

/** `state.values` of a surface: block_id → action_id → value object (inputs only, as Slack sends). */
export function stateValues(
  blocks: unknown,
  readings: InputReading[],
  known: Json[] = [],
): Record<string, Record<string, Json>> {
  const values: Record<string, Record<string, Json>> = {};
  for (const reading of readings) {
    const element = findElement(blocks, reading.blockId, reading.actionId);
    if (!element || element.type === "button") continue;
    values[reading.blockId] ??= {};
    const block = values[reading.blockId];
    if (block) block[reading.actionId] = elementValue(element, reading, known);
  }
  return values;
}
