// `cobro settings show|set|unset`: the workspace settings that nothing else sets, by name.

import { DomainError, present } from "../domain/errors.ts";
import { SETTING_KEYS } from "../domain/workspace-settings.ts";
import { changeWorkspaceSettings, listWorkspaceSettings, resolveWorkspace } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "settings show | settings set <key> <value> | settings unset <key>  [--workspace X]";

export const settingsCommand: CliCommand = {
  summary: "show or change workspace settings (late-payment law, ageing buckets, scan hour, number formats…)",
  usage: USAGE,
  help: `Keys: ${SETTING_KEYS.join(", ")}.\n\`cobro settings show\` explains each one; \`unset\` (or an empty value) brings back the default.\nExample: cobro settings set aging_edges 30,60,90,120`,
  run: async ({ openApp, out, err }, args) => {
    const parsed = parseArgs(args, { values: ["workspace"] });
    const [sub, key, value, ...rest] = parsed.positional;
    const usage = (message: string) =>
      new DomainError("cli.usage", message, { userMessage: `${message}\nUsage: cobro ${USAGE}` });
    if (rest.length > 0) throw usage(`Unexpected argument "${rest[0]}" (quote a value with spaces).`);
    if (sub !== "show" && sub !== "set" && sub !== "unset") {
      throw usage(sub ? `Unknown settings command "${sub}".` : "Say show, set or unset.");
    }
    if (sub === "show" && key) throw usage(`Unexpected argument "${key}".`);
    if (sub !== "show" && !key) throw usage(`Which setting? Keys: ${SETTING_KEYS.join(", ")}.`);
    if (sub === "set" && value === undefined) throw usage(`Which value for ${key}?`);
    if (sub === "unset" && value !== undefined) throw usage(`Unexpected argument "${value}".`);
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    if (sub === "show") {
      const lines = await listWorkspaceSettings(cliCtx(app, workspace.id), {});
      for (const line of lines) {
        out(`${line.key.padEnd(28)} ${(line.value || "(default)").padEnd(28)} ${line.help}`);
      }
      return EXIT.ok;
    }
    const result = await changeWorkspaceSettings(cliCtx(app, workspace.id), {
      values: { [present(key, "setting name")]: sub === "unset" ? "" : present(value, "setting value") },
    });
    if (!result.ok) {
      for (const [k, message] of Object.entries(result.errors)) err(`${k}: ${message}`);
      return EXIT.usage;
    }
    out(
      result.changed.length === 0
        ? `${key} was already ${sub === "unset" ? "unset" : value}: nothing changed.`
        : sub === "unset"
          ? `${key} is unset: its default applies.`
          : `${key} is now ${value}.`,
    );
    return EXIT.ok;
  },
};
