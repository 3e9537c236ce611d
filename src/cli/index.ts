// Every `cobro` subcommand; add a line here when you add a command file.
import { agingCommand } from "./aging.ts";
import { apikeyCommand } from "./apikey.ts";
import { billingCycleCommand } from "./billing-cycle.ts";
import { clientCommand } from "./client.ts";
import { demoCommand } from "./demo.ts";
import { doctorCommand } from "./doctor.ts";
import { importCommand } from "./import.ts";
import { invoiceCommand } from "./invoice.ts";
import { languageCommand } from "./language.ts";
import { migrateCommand } from "./migrate.ts";
import { payCommand } from "./pay.ts";
import { ratesCommand } from "./rates.ts";
import { runCommand } from "./run.ts";
import { serveCommand } from "./serve.ts";
import { settingsCommand } from "./settings.ts";
import { statementCommand } from "./statement.ts";
import type { CliCommand } from "./types.ts";
import { verifactuCommand } from "./verifactu.ts";
import { workspaceCommand } from "./workspace.ts";

export const commands: Record<string, CliCommand> = {
  serve: serveCommand,
  migrate: migrateCommand,
  doctor: doctorCommand,
  import: importCommand,
  demo: demoCommand,
  aging: agingCommand,
  apikey: apikeyCommand,
  "billing-cycle": billingCycleCommand,
  run: runCommand,
  rates: ratesCommand,
  invoice: invoiceCommand,
  statement: statementCommand,
  pay: payCommand,
  verifactu: verifactuCommand,
  workspace: workspaceCommand,
  settings: settingsCommand,
  client: clientCommand,
  language: languageCommand,
};
