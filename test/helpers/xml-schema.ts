// Validates XML against an XML Schema with libxml2's xmllint (Debian libxml2-utils), offline.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const AEAT_SUBMISSION_XSD =
  process.env.VERIFACTU_XSD ??
  resolve(
    dirname(fileURLToPath(import.meta.url)),
    "../../../shared/reference/verifactu-xsd/SuministroLR.xsd",
  );

/** Why the schema cannot be checked here, or null when it can. */
export function xmlSchemaUnavailable(schema: string): string | null {
  if (!existsSync(schema)) return `the schema is not at ${schema}`;
  if (!process.env.PATH?.split(":").some((dir) => existsSync(join(dir, "xmllint")))) {
    return "xmllint is not installed (apt-get install libxml2-utils)";
  }
  return null;
}

/** The schema's complaints about the document; empty when it is valid. */
export function validateXml(xml: string, schema: string): Promise<string[]> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      "xmllint",
      ["--noout", "--nonet", "--schema", schema, "-"],
      (error, _stdout, stderr) => {
        const complaints = stderr.split("\n").filter((line) => line.trim() && !/ validates$/.test(line));
        if (error && complaints.length === 0) reject(error);
        else resolvePromise(complaints);
      },
    );
    child.stdin?.end(xml);
  });
}
