// `cobro language <e-mail> es|fr|en|auto`: the language Cobro speaks to a member in Slack.
import { DomainError } from "../domain/errors.ts";
import { isLocale, LANGUAGE_NAMES } from "../i18n/index.ts";
import { resolveWorkspace, setMemberLanguage } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "language <member e-mail> es|fr|en|auto  [--workspace X]";

export const languageCommand: CliCommand = {
  summary: "choose the language Cobro speaks to a member in Slack (auto: their Slack language)",
  usage: USAGE,
  help: "The workspace language (channel posts, and people whose Slack language Cobro does not speak) is set in `/cobro setup`.\nExample: cobro language ana@acme.example es",
  run: async ({ openApp, out }, args) => {
    const parsed = parseArgs(args, { values: ["workspace"] });
    const [email, choice, ...extra] = parsed.positional;
    const wanted = choice?.toLowerCase();
    if (!email || !wanted || extra.length > 0 || (wanted !== "auto" && !isLocale(wanted))) {
      throw new DomainError("cli.usage", "bad language arguments", {
        userMessage: `Say whose language and which one (es, fr, en or auto).\nUsage: cobro ${USAGE}`,
      });
    }
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const saved = await setMemberLanguage(cliCtx(app, workspace.id), {
      who: { email },
      language: wanted === "auto" ? null : wanted,
    });
    out(
      saved.language
        ? `Cobro now speaks ${LANGUAGE_NAMES[saved.language]} to ${email} in Slack.`
        : `Cobro now speaks to ${email} in their Slack language (the workspace's when Cobro does not speak it).`,
    );
    return EXIT.ok;
  },
};
