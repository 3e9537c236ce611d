// The modal frame Cobro draws around every view speaks the reader's language: the default close
// button and the note saying how many items did not fit in Slack's 100 blocks.
import { describe, expect, it } from "vitest";
import { modal, section } from "../../src/slack/kit/blocks.ts";

const many = Array.from({ length: 130 }, (_, i) => section(`Line ${i + 1}`));
const lastText = (view: ReturnType<typeof modal>) => {
  const last = view.blocks.at(-1) as { type: string; elements: { text: string }[] };
  expect(last.type).toBe("context");
  return last.elements[0]?.text;
};

describe("modal frame in the reader's language", () => {
  it("French: Annuler and the items left out", () => {
    const view = modal({ locale: "fr", callbackId: "x", title: "Titre", blocks: many });
    expect(view.close?.text).toBe("Annuler");
    expect(view.blocks).toHaveLength(100);
    expect(lastText(view)).toBe("31 autres éléments non affichés.");
  });

  it("Spanish: Cancelar and the items left out", () => {
    const view = modal({ locale: "es", callbackId: "x", title: "Título", blocks: many });
    expect(view.close?.text).toBe("Cancelar");
    expect(lastText(view)).toBe("31 elementos más no se muestran.");
  });

  it("English keeps Cancel; a close the caller names wins", () => {
    expect(modal({ locale: "en", callbackId: "x", title: "T", blocks: [] }).close?.text).toBe("Cancel");
    expect(
      modal({ locale: "es", callbackId: "x", title: "T", blocks: [], close: "Cerrar" }).close?.text,
    ).toBe("Cerrar");
  });
});
