// `/cobro about`: the declaración responsable of this version, legible and reachable in one step
// (Orden HAC/1177/2024 art. 15.3). Pure: the declaration in, blocks out.
import type { Declaracion } from "../../domain/declaracion-responsable.ts";
import { type Locale, t } from "../../i18n/index.ts";
import { type Block, context, header, LIMITS, section, truncate } from "./blocks.ts";
import type { Reply } from "./replies.ts";

/** The declaration stays in Spanish (it is the legal text); Cobro's own words are in the reader's language. */
export function buildAboutReply(declaration: Declaracion & { complete: boolean }, locale: Locale): Reply {
  const blocks: Block[] = [
    header(truncate("Declaración responsable", 150)),
    section(`*${declaration.title}*`),
    ...declaration.items.map((item) =>
      section(truncate(`*${item.letter}) ${item.label}:* ${item.value}`, 3000)),
    ),
    context(t(locale, declaration.complete ? "cobro.about.more" : "cobro.about.incomplete")),
  ];
  return {
    text: truncate(
      `${declaration.title}: ${declaration.items.map((i) => `${i.letter}) ${i.value}`).join(" · ")}`,
      LIMITS.messageText,
    ),
    blocks,
  };
}
