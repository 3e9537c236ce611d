// Reads a file named on the command line; a missing or unreadable file is the user's to fix.
import { readFile } from "node:fs/promises";
import { DomainError } from "../domain/errors.ts";

export async function readInputFile(file: string): Promise<Buffer> {
  return readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new DomainError("cli.file", `cannot read ${file}: ${error.code}`, {
      userMessage: `Cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}.`,
    });
  });
}
