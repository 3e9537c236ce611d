// `--help` for every command, through the same dispatch as the `cobro` binary.
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/index.ts";
import { invoiceCommand } from "../../src/cli/invoice.ts";
import { payCommand } from "../../src/cli/pay.ts";
import { ratesCommand } from "../../src/cli/rates.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { runCli } from "../../src/main.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";

async function runner(command: (typeof commands)[string]) {
  const database = await testDatabase();
  return cliRunner(command, { deps: serviceDeps(database.db), database });
}

async function cli(...argv: string[]) {
  const lines: string[] = [];
  const code = await runCli(argv, {}, { out: (t) => lines.push(t), err: (t) => lines.push(t) });
  return { code, out: lines.join("\n") };
}

describe(`cobro help on ${backend()}`, () => {
  it("`cobro invoice --help` and `-h` print every invoice subcommand and exit 0", async () => {
    const cli = await runner(invoiceCommand);
    for (const flag of ["--help", "-h"]) {
      const result = await cli.run(flag);
      expect(result.code).toBe(0);
      expect(result.out).toContain("Usage: cobro invoice");
      expect(result.out).toContain("cobro invoice interest <number> [--as-of YYYY-MM-DD]");
      expect(result.out).not.toContain("Unknown");
    }
    const afterSubcommand = await cli.run("pay", "--help");
    expect(afterSubcommand.code).toBe(0);
    expect(afterSubcommand.out).toContain("cobro invoice pay <number> <amount>");
  });

  it("every command answers --help with its own usage, and `cobro help <command>` says the same", async () => {
    for (const [name, command] of Object.entries(commands)) {
      const direct = await (await runner(command)).run("--help");
      expect(direct.code, name).toBe(0);
      expect(direct.out, name).toContain(`Usage: cobro ${command.usage}`);
      expect(direct.out, name).toContain(command.summary);
      const viaHelp = await cli("help", name);
      expect(viaHelp).toEqual(direct);
    }
  });

  it("`cobro import --help` lists --day-first for every kind, as for time entries", async () => {
    const result = await cli("import", "--help");
    expect(result.code).toBe(0);
    expect(result.out).toContain("FILE.csv [--dry-run] [--decimal-comma] [--day-first] [--progress]");
    expect(result.out).toContain("--day-first reads dates such as 14/06/2026");
  });

  it("`cobro help` with an unknown command lists the commands and exits 2", async () => {
    const result = await cli("help", "invoices");
    expect(result.code).toBe(2);
    expect(result.out).toContain('Unknown command "invoices"');
    expect(result.out).toContain("cobro help <command>");
  });

  it("refuses an unknown option with the list of options, and a value option with no value", async () => {
    const cli = await runner(payCommand);
    const unknown = await cli.run("Acme", "100", "--curency", "EUR").catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DomainError);
    expect((unknown as DomainError).userMessage).toBe(
      "Unknown option --curency. Options here: --currency, --date, --method, --reference, --workspace.",
    );
    const negative = await cli.run("Acme", "-100").catch((e: unknown) => e);
    expect((negative as DomainError).userMessage).toContain(
      'Unknown option -100 (a value starting with "-" goes after --).',
    );
    const noValue = await cli.run("Acme", "100", "--date").catch((e: unknown) => e);
    expect((noValue as DomainError).userMessage).toBe("--date needs a value.");
    const forgotten = await cli.run("Acme", "100", "--date", "--method", "card").catch((e: unknown) => e);
    expect((forgotten as DomainError).userMessage).toBe("--date needs a value.");
  });

  it("still parses `--name value`, `--name=value` and `--` before positionals", async () => {
    const cli = await runner(ratesCommand);
    const spaced = await cli.run("list", "--jurisdiction", "fr");
    const inline = await cli.run("list", "--jurisdiction=fr");
    expect(spaced.code).toBe(0);
    expect(spaced.out).toMatch(/^FR {2}2024 H2/m);
    expect(spaced.out).not.toMatch(/^ES /m);
    expect(inline).toEqual(spaced);
    const terminated = await cli.run("--", "list");
    expect(terminated.out).toMatch(/^ES /m);
  });
});
