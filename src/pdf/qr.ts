// Draws a QR code as filled squares (vector, no image): VERI*FACTU's verification URL, level M.
import QRCode from "qrcode";

type Drawing = {
  rect: (x: number, y: number, w: number, h: number) => Drawing;
  fill: (color: string) => Drawing;
};

/** Draws `text` as a QR code of `size` points at (x, y), with the quiet zone inside that size. */
export function drawQrCode(doc: Drawing, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const quietZone = 2;
  const cell = size / (modules.size + 2 * quietZone);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) {
        doc.rect(x + (col + quietZone) * cell, y + (row + quietZone) * cell, cell, cell);
      }
    }
  }
  doc.fill("#000000");
}
