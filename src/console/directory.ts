// Who and where the console's workspace has: the people (Cobro's members with a Slack id), the
// #billing and #collections channels, one channel per project and a DM with Cobro for each person.
import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { members, projects, workspaces } from "../db/schema/index.ts";

import { CONSOLE_TEAM_ID } from "../workspace/ensure-slack-workspace.ts";

/** The Slack team the console plays: Cobro binds the workspace to it as it would to a real one. */
export { CONSOLE_TEAM_ID };
export const CONSOLE_CHANNELS = { billing: "CBILLING", collections: "CCOLLECT" } as const;

export type ConsolePerson = { id: string; name: string; email: string | null; roles: string[] };
export type ConsoleChannel = { id: string; name: string; kind: "channel" | "dm" };
export type ConsoleDirectory = {
  workspaceId: string | null;
  workspaceName: string;
  people: ConsolePerson[];
  channels: ConsoleChannel[];
  /** Whether the workspace has clients or invoices (else the page offers the demo). */
  seeded: boolean;
};

/** The DM channel between Cobro and a person (conversations.open answers it). */
export const dmChannelOf = (userId: string) => `D${userId}`;

const slug = (text: string) =>
  text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

export async function loadConsoleDirectory(db: Db): Promise<ConsoleDirectory> {
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.slackTeamId, CONSOLE_TEAM_ID));
  if (!workspace)
    return { workspaceId: null, workspaceName: "Cobro console", people: [], channels: [], seeded: false };
  const people = (
    await db
      .select({ id: members.slackUserId, name: members.name, email: members.email, roles: members.roles })
      .from(members)
      .where(and(eq(members.workspaceId, workspace.id), isNotNull(members.slackUserId)))
      .orderBy(asc(members.name))
  ).map((p) => ({ ...p, id: String(p.id) }));
  const projectChannels = await db
    .select({ id: projects.slackChannelId, code: projects.code, name: projects.name })
    .from(projects)
    .where(and(eq(projects.workspaceId, workspace.id), isNotNull(projects.slackChannelId)))
    .orderBy(asc(projects.code));
  const named = new Map<string, string>([
    [workspace.billingChannelId ?? CONSOLE_CHANNELS.billing, "billing"],
    [workspace.collectionsChannelId ?? CONSOLE_CHANNELS.collections, "collections"],
  ]);
  for (const project of projectChannels) {
    if (project.id && !named.has(project.id)) named.set(project.id, slug(project.code));
  }
  const channels: ConsoleChannel[] = [
    ...[...named].map(([id, name]) => ({ id, name, kind: "channel" as const })),
    ...people.map((p) => ({ id: dmChannelOf(p.id), name: p.name, kind: "dm" as const })),
  ];
  return {
    workspaceId: workspace.id,
    workspaceName: workspace.seller?.tradeName ?? workspace.name,
    people,
    channels,
    seeded: projectChannels.length > 0 || people.length > 0,
  };
}
