// `cobro apikey create|list|revoke`: keys for POST /api/v1/time-entries; a key is shown only once.
import { createApiKey, listApiKeys, resolveWorkspace, revokeApiKey } from "../workspace/index.ts";
import { parseArgs, stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { type CliCommand, EXIT } from "./types.ts";

const USAGE = "apikey create <name> | list | revoke <prefix> [--workspace W]";

export const apikeyCommand: CliCommand = {
  summary: "create, list or revoke API keys of a workspace (time entries API)",
  usage: USAGE,
  run: async ({ openApp, out, err }, args) => {
    const parsed = parseArgs(args, { values: ["workspace"] });
    const [verb, arg, ...extra] = parsed.positional;
    const ok =
      extra.length === 0 &&
      ((verb === "create" && arg) || (verb === "list" && !arg) || (verb === "revoke" && arg));
    if (!ok) {
      err(`Usage: cobro ${USAGE}`);
      return EXIT.usage;
    }
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const ctx = cliCtx(app, workspace.id);
    if (verb === "create") {
      const key = await createApiKey(ctx, { name: arg ?? "" });
      out(`API key "${key.name}" for workspace "${workspace.name}" (prefix ${key.prefix}):`);
      out(key.key);
      out("Store it now: Cobro keeps only a hash and cannot show it again.");
      return EXIT.ok;
    }
    if (verb === "revoke") {
      const revoked = await revokeApiKey(ctx, { prefixOrId: arg ?? "" });
      out(
        revoked.alreadyDone ? `Key ${revoked.prefix} was already revoked.` : `Key ${revoked.prefix} revoked.`,
      );
      return EXIT.ok;
    }
    const keys = await listApiKeys(ctx, {});
    if (keys.length === 0) out(`No API keys in workspace "${workspace.name}".`);
    for (const key of keys) {
      const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString().slice(0, 10)}` : "active";
      const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString().slice(0, 16)}Z` : "never used";
      out(
        `${key.prefix}  ${key.name}  ${state}, ${used}, created ${key.createdAt.toISOString().slice(0, 10)}`,
      );
    }
    return EXIT.ok;
  },
};
