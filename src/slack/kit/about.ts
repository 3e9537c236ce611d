// `/cobro about`: the declaración responsable of this version, legible and reachable in one step
// (Orden HAC/1177/2024 art. 15.3). Pure: the declaration in, blocks out.
import type { Declaracion } from "../../domain/declaracion-responsable.ts";
import { type Block, context, header, LIMITS, section, truncate } from "./blocks.ts";
import type { Reply } from "./replies.ts";

export function buildAboutReply(declaration: Declaracion & { complete: boolean }): Reply {
  const blocks: Block[] = [
    header(truncate("Declaración responsable", 150)),
    section(`*${declaration.title}*`),
    ...declaration.items.map((item) =>
      section(truncate(`*${item.letter}) ${item.label}:* ${item.value}`, 3000)),
    ),
    context(
      declaration.complete
        ? "Also in docs/declaracion-responsable.md of this version."
        : ":warning: The producer's identity is incomplete: the operator sets COBRO_VERIFACTU_PRODUCER_NAME, _NIF and _ADDRESS (or, for a company's own Cobro, completes its company details in /cobro setup).",
    ),
  ];
  return {
    text: truncate(
      `${declaration.title}: ${declaration.items.map((i) => `${i.letter}) ${i.value}`).join(" · ")}`,
      LIMITS.messageText,
    ),
    blocks,
  };
}
