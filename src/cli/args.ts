// Tiny flag parser: `--name value`, `--name=value`, `--flag`; everything else is positional.
import { DomainError } from "../domain/errors.ts";

export type ParsedArgs = { positional: string[]; flags: Map<string, string | true> };

export function parseArgs(args: string[], known: { values?: string[]; booleans?: string[] }): ParsedArgs {
  const values = new Set(known.values ?? []);
  const booleans = new Set(known.booleans ?? []);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const [name = "", inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (booleans.has(name)) {
      flags.set(name, true);
    } else if (values.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined || value.startsWith("--")) {
        throw new DomainError("cli.flag_value", `--${name} needs a value`, {
          userMessage: `--${name} needs a value.`,
        });
      }
      flags.set(name, value);
    } else {
      const all = [...values, ...booleans].map((f) => `--${f}`).join(", ") || "none";
      throw new DomainError("cli.unknown_flag", `unknown flag --${name}`, {
        userMessage: `Unknown option --${name}. Options here: ${all}.`,
      });
    }
  }
  return { positional, flags };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const value = parsed.flags.get(name);
  return typeof value === "string" ? value : undefined;
}
