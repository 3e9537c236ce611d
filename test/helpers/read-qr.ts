// Reads the QR codes printed on a PDF's first page back: poppler's pdftoppm rasterises the page
// (PPM), jsQR decodes; each code found is painted white so the next one can be read.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import * as jsQRModule from "jsqr";

// jsqr is CommonJS whose types say `export default`: under NodeNext the function is one level down.
const jsQR = jsQRModule.default.default;

const run = promisify(execFile);

export async function pdftoppmAvailable(): Promise<boolean> {
  try {
    await run("pdftoppm", ["-v"]);
    return true;
  } catch {
    return false;
  }
}

/** A binary PPM (P6) as RGBA pixels. */
function rgbaOfPpm(ppm: Buffer): { data: Uint8ClampedArray; width: number; height: number } {
  const header = ppm
    .subarray(0, 50)
    .toString("latin1")
    .match(/^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error("pdftoppm did not write a binary PPM");
  const width = Number(header[1]);
  const height = Number(header[2]);
  const rgb = ppm.subarray(header[0].length);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    data[i * 4] = rgb[i * 3] ?? 255;
    data[i * 4 + 1] = rgb[i * 3 + 1] ?? 255;
    data[i * 4 + 2] = rgb[i * 3 + 2] ?? 255;
    data[i * 4 + 3] = 255;
  }
  return { data, width, height };
}

export async function readQrCodes(pdf: Buffer, dpi = 120): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "cobro-qr-"));
  try {
    await writeFile(join(dir, "page.pdf"), pdf);
    await run("pdftoppm", [
      "-r",
      String(dpi),
      "-f",
      "1",
      "-l",
      "1",
      "-singlefile",
      join(dir, "page.pdf"),
      join(dir, "page"),
    ]);
    const { data, width, height } = rgbaOfPpm(await readFile(join(dir, "page.ppm")));
    const found: string[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const code = jsQR(data, width, height, { inversionAttempts: "dontInvert" });
      if (!code) break;
      found.push(code.data);
      const xs = [
        code.location.topLeftCorner.x,
        code.location.bottomRightCorner.x,
        code.location.topRightCorner.x,
        code.location.bottomLeftCorner.x,
      ];
      const ys = [
        code.location.topLeftCorner.y,
        code.location.bottomRightCorner.y,
        code.location.topRightCorner.y,
        code.location.bottomLeftCorner.y,
      ];
      const pad = 40;
      for (let y = Math.max(0, Math.min(...ys) - pad); y < Math.min(height, Math.max(...ys) + pad); y++) {
        for (let x = Math.max(0, Math.min(...xs) - pad); x < Math.min(width, Math.max(...xs) + pad); x++) {
          data.fill(
            255,
            (Math.floor(y) * width + Math.floor(x)) * 4,
            (Math.floor(y) * width + Math.floor(x)) * 4 + 3,
          );
        }
      }
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
