// Runs the official EN 16931 validation rules (compiled Schematron, ../shared/einvoice) over UBL
// or CII documents with Saxon-HE, in one JVM for the whole batch, and returns the rules each one breaks.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SAXON_JAR = process.env.SAXON_JAR ?? "/usr/share/java/Saxon-HE.jar";
// The shared folder sits next to the checkout (/work/main) or next to the worktrees' folder (/work/wt/x).
const HERE = dirname(fileURLToPath(import.meta.url));
const SHARED = ["../../../shared/einvoice", "../../../../shared/einvoice"]
  .map((dir) => resolve(HERE, dir))
  .find((dir) => existsSync(dir));
const RULES = {
  ubl: process.env.EN16931_UBL_XSLT ?? join(SHARED ?? "", "EN16931-UBL-validation.xslt"),
  cii: process.env.EN16931_CII_XSLT ?? join(SHARED ?? "", "EN16931-CII-validation.xslt"),
};

export type FailedRule = { id: string; flag: string; text: string };

/** Why the official rules cannot run here, or null when they can. */
export function en16931Unavailable(): string | null {
  for (const rules of Object.values(RULES)) {
    if (!SHARED && !existsSync(rules))
      return "the EN 16931 rules (shared/einvoice) are not next to the checkout";
    if (!existsSync(rules)) return `the EN 16931 rules are not at ${rules}`;
  }
  if (!existsSync(SAXON_JAR)) return `Saxon-HE is not at ${SAXON_JAR} (apt-get install libsaxonhe-java)`;
  if (!process.env.PATH?.split(":").some((dir) => existsSync(join(dir, "java"))))
    return "java is not on PATH";
  return null;
}

/** The rules each UBL document fails, by document name; warnings included, with their flag. */
export function validateUbl(documents: Record<string, string>): Promise<Record<string, FailedRule[]>> {
  return validate(RULES.ubl, documents);
}

/** The rules each CII document fails, by document name; warnings included, with their flag. */
export function validateCii(documents: Record<string, string>): Promise<Record<string, FailedRule[]>> {
  return validate(RULES.cii, documents);
}

async function validate(
  rules: string,
  documents: Record<string, string>,
): Promise<Record<string, FailedRule[]>> {
  const dir = await mkdtemp(join(tmpdir(), "cobro-en16931-"));
  try {
    await mkdir(join(dir, "in"));
    await mkdir(join(dir, "out"));
    const names = Object.keys(documents);
    await Promise.all(names.map((name) => writeFile(join(dir, "in", `${name}.xml`), documents[name] ?? "")));
    await run(
      "java",
      [
        "-cp",
        SAXON_JAR,
        "net.sf.saxon.Transform",
        `-s:${join(dir, "in")}`,
        `-xsl:${rules}`,
        `-o:${join(dir, "out")}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    const reports = await Promise.all(names.map((name) => readFile(join(dir, "out", `${name}.xml`), "utf8")));
    return Object.fromEntries(names.map((name, i) => [name, failedRules(reports[i] ?? "")]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function failedRules(svrl: string): FailedRule[] {
  const failed: FailedRule[] = [];
  for (const match of svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)) {
    const attrs = match[1] ?? "";
    const text = /<svrl:text>([\s\S]*?)<\/svrl:text>/.exec(match[2] ?? "")?.[1]?.trim() ?? "";
    failed.push({
      id: /\bid="([^"]*)"/.exec(attrs)?.[1] ?? "?",
      flag: /\bflag="([^"]*)"/.exec(attrs)?.[1] ?? "fatal",
      text,
    });
  }
  return failed;
}
