// OAuth installations in PostgreSQL, encrypted at rest, cached briefly because Bolt reads one on
// every request before the ack. Bolt's InstallationStore interface, called before any actor exists.
import type { Installation, InstallationStore } from "@slack/bolt";
import type { Db } from "../db/client.ts";
import { InstallationNotFoundError } from "../delivery/index.ts";
import type { Cipher } from "../secrets.ts";
import { deleteInstallation, findInstallationData, upsertInstallation } from "./installations-repo.ts";
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
      await upsertInstallation(db, {
        installKey: key,
        teamId: installation.team?.id ?? null,
        enterpriseId: installation.enterprise?.id ?? null,
        data,
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
      const data = await findInstallationData(db, key);
      if (data === null) throw new InstallationNotFoundError(key);
      const installation = JSON.parse(cipher.decrypt(data)) as AnyInstallation;
      cache.set(key, { installation, until: now() + ttlMs });
      return installation;
    },

    async deleteInstallation(query) {
      const key = installKey(query);
      cache.delete(key);
      await deleteInstallation(db, key);
    },

    clearCache() {
      cache.clear();
    },
  };
}
