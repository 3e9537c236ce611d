// Opens a file named on the command line for streaming; a missing or unreadable file is the user's to fix.
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { DomainError } from "../domain/errors.ts";

export async function openInputFile(file: string): Promise<{ stream: Readable; size: number }> {
  try {
    const handle = await open(file, "r");
    const { size } = await handle.stat();
    return { stream: handle.createReadStream(), size };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DomainError("cli.file", `cannot read ${file}: ${code}`, {
      userMessage: `Cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (error as Error).message}.`,
    });
  }
}
