// `cobro <command> --help|-h` and `cobro help <command>`: the command's usage, before any parsing.
import { type CliCommand, type CliRuntime, EXIT } from "./types.ts";

/** `--help` or `-h` anywhere before a `--` that ends the options. */
export function asksForHelp(args: string[]): boolean {
  const end = args.indexOf("--");
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: cobro ${command.usage}`,
    "",
    command.summary,
    ...(command.help ? ["", command.help] : []),
  ].join("\n");
}

/** Runs one command as `cobro` does: its help when asked, otherwise the command itself. */
export async function runCommand(command: CliCommand, runtime: CliRuntime, args: string[]): Promise<number> {
  if (asksForHelp(args)) {
    runtime.out(commandHelp(command));
    return EXIT.ok;
  }
  return command.run(runtime, args);
}
