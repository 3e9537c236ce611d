// Flags through Node's own parser (util.parseArgs): `--name value`, `--name=value`, `--flag`, `--`
// ends the options. Strictness is ours so that every refusal names the option and lists the others.
import { parseArgs as parseNodeArgs } from "node:util";
import { DomainError } from "../domain/errors.ts";

export type ParsedArgs = { positional: string[]; flags: Map<string, string | true> };

export function parseArgs(args: string[], known: { values?: string[]; booleans?: string[] }): ParsedArgs {
  const values = known.values ?? [];
  const booleans = known.booleans ?? [];
  const options = Object.fromEntries([
    ...values.map((name) => [name, { type: "string" as const }]),
    ...booleans.map((name) => [name, { type: "boolean" as const }]),
  ]);
  const { tokens } = parseNodeArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (const token of tokens) {
    if (token.kind === "positional") {
      positional.push(token.value);
      continue;
    }
    if (token.kind !== "option") continue;
    const name = token.name;
    if (booleans.includes(name)) {
      if (token.value !== undefined) throw refuse("cli.flag_value", `--${name} takes no value.`);
      flags.set(name, true);
    } else if (values.includes(name)) {
      // A value that looks like an option is a forgotten value, unless written --name=value.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) {
        throw refuse("cli.flag_value", `--${name} needs a value.`);
      }
      flags.set(name, token.value);
    } else {
      const all = [...values, ...booleans].map((f) => `--${f}`).join(", ") || "none";
      // A short token is often a value that starts with "-" (a negative amount): say how to pass it.
      const short = !token.rawName.startsWith("--");
      const shown = short ? (args[token.index] ?? token.rawName) : token.rawName;
      const hint = short ? ` (a value starting with "-" goes after --)` : "";
      throw refuse("cli.unknown_flag", `Unknown option ${shown}${hint}. Options here: ${all}.`);
    }
  }
  return { positional, flags };
}

function refuse(code: string, message: string): DomainError {
  return new DomainError(code, message, { userMessage: message });
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
