// OAuth installations in PostgreSQL, encrypted at rest, cached briefly because Bolt reads one on
// every request before the ack.
import type { Installation, InstallationStore } from "@slack/bolt";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackInstallations } from "../db/schema/index.ts";
import { InstallationNotFoundError } from "../delivery/index.ts";
import type { Cipher } from "../secrets.ts";
import { registerSlackInstallation } from "./register-slack-installation.ts";

type AnyInstallation = Installation<"v1" | "v2", boolean>;

export type PostgresInstallationStore = InstallationStore & {
  deleteInstallation: (query: InstallKeyQuery) => Promise<void>;
  /** Forget cached installations (tests, or after an out-of-band change). */
  clearCache: () => void;
};

export type InstallKeyQuery = {
  isEnterpriseInstall?: boolean;
  enterpriseId?: string | undefined;
  teamId?: string | undefined;
};

function installKey(query: InstallKeyQuery): string {
  if (query.isEnterpriseInstall && query.enterpriseId) return `E:${query.enterpriseId}`;
  if (query.teamId) return `T:${query.teamId}`;
  throw new Error("installation query without team or enterprise id");
}

export function createInstallationStore(
  db: Db,
  cipher: Cipher,
  options: { ttlMs?: number; now?: () => number } = {},
): PostgresInstallationStore {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { installation: AnyInstallation; until: number }>();

  return {
    async storeInstallation(installation) {
      const key = installKey({
        isEnterpriseInstall: installation.isEnterpriseInstall,
        enterpriseId: installation.enterprise?.id,
        teamId: installation.team?.id,
      });
      const data = cipher.encrypt(JSON.stringify(installation));
      await db
        .insert(slackInstallations)
        .values({
          installKey: key,
          teamId: installation.team?.id ?? null,
          enterpriseId: installation.enterprise?.id ?? null,
          data,
        })
        .onConflictDoUpdate({
          target: slackInstallations.installKey,
          set: { data, teamId: installation.team?.id ?? null, updatedAt: new Date() },
        });
      cache.delete(key);
      if (installation.team?.id) {
        await registerSlackInstallation(db, {
          teamId: installation.team.id,
          enterpriseId: installation.enterprise?.id ?? null,
          name: installation.team.name ?? null,
          installerSlackUserId: installation.user?.id ?? null,
        });
      }
    },

    async fetchInstallation(query) {
      const key = installKey(query);
      const hit = cache.get(key);
      if (hit && hit.until > now()) return hit.installation;
      const [row] = await db
        .select({ data: slackInstallations.data })
        .from(slackInstallations)
        .where(eq(slackInstallations.installKey, key));
      if (!row) throw new InstallationNotFoundError(key);
      const installation = JSON.parse(cipher.decrypt(row.data)) as AnyInstallation;
      cache.set(key, { installation, until: now() + ttlMs });
      return installation;
    },

    async deleteInstallation(query) {
      const key = installKey(query);
      cache.delete(key);
      await db.delete(slackInstallations).where(eq(slackInstallations.installKey, key));
    },

    clearCache() {
      cache.clear();
    },
  };
}
