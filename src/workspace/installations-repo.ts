// Rows of slack_installations: each OAuth installation, encrypted, by its team or enterprise key.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { slackInstallations } from "../db/schema/index.ts";

export async function upsertInstallation(
  db: Db,
  row: { installKey: string; teamId: string | null; enterpriseId: string | null; data: string },
): Promise<void> {
  await db
    .insert(slackInstallations)
    .values(row)
    .onConflictDoUpdate({
      target: slackInstallations.installKey,
      set: { data: row.data, teamId: row.teamId, updatedAt: new Date() },
    });
}

export async function findInstallationData(db: Db, installKey: string): Promise<string | null> {
  const [row] = await db
    .select({ data: slackInstallations.data })
    .from(slackInstallations)
    .where(eq(slackInstallations.installKey, installKey));
  return row?.data ?? null;
}

export async function deleteInstallation(db: Db, installKey: string): Promise<void> {
  await db.delete(slackInstallations).where(eq(slackInstallations.installKey, installKey));
}
