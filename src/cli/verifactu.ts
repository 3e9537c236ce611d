// `cobro verifactu <export|verify|scope>`: Spain's VERI*FACTU records, their chain and their scope.
import { DomainError } from "../domain/errors.ts";
import type { ParsedArgs } from "./args.ts";
import { parseArgs } from "./args.ts";
import type { CliCommand, CliRuntime } from "./types.ts";
import { verifactuCert } from "./verifactu-cert.ts";
import { verifactuCorrect } from "./verifactu-correct.ts";
import { verifactuExport } from "./verifactu-export.ts";
import { verifactuScopeCommand } from "./verifactu-scope.ts";
import { verifactuSend } from "./verifactu-send.ts";
import { verifactuVerify } from "./verifactu-verify.ts";

export type VerifactuSubcommand = {
  usage: string;
  values: string[];
  /** How many words may follow the subcommand's name (`cert import FILE`: 2); none by default. */
  positionals?: number;
  run: (runtime: CliRuntime, parsed: ParsedArgs) => Promise<number>;
};

const SUBCOMMANDS: Record<string, VerifactuSubcommand> = {
  export: verifactuExport,
  verify: verifactuVerify,
  scope: verifactuScopeCommand,
  cert: verifactuCert,
  send: verifactuSend,
  correct: verifactuCorrect,
};
const USAGE = Object.values(SUBCOMMANDS)
  .map((sub) => `verifactu ${sub.usage}`)
  .join("\n       cobro ");

export const verifactuCommand: CliCommand = {
  summary: "Spanish VERI*FACTU records: export them, prove their chain, set the seller's scope",
  usage: USAGE,
  run: async (runtime, args) => {
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    const name = args.find((arg) => !arg.startsWith("-"));
    const sub = name ? SUBCOMMANDS[name] : undefined;
    if (!sub) {
      const known = Object.keys(SUBCOMMANDS).join(", ");
      throw usage(name ? `Unknown verifactu command "${name}".` : `Say what to do: ${known}.`);
    }
    const parsed = parseArgs(args, { values: sub.values });
    const [, ...rest] = parsed.positional;
    if (rest.length > (sub.positionals ?? 0))
      throw usage(`Unexpected argument "${rest[sub.positionals ?? 0]}".`);
    return sub.run(runtime, parsed);
  },
};
