// Who and where the console's workspace has: every member (imported ones too), the #billing and
// #collections channels, one channel per project (active, or linked) and a DM with Cobro for each person.
// A member or project with no Slack id yet gets a console-only one (UCONSOLE…, CCONSOLE…), the same
// every time: Cobro links the member by e-mail on their first command, as it does with real Slack,
// and `/cobro link` links the project there; the real team's takeover forgets both.
import { and, asc, eq, isNotNull, or } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { clients, members, projects, workspaces } from "../db/schema/index.ts";

import { CONSOLE_IDS, CONSOLE_TEAM_ID } from "../workspace/ensure-slack-workspace.ts";

/** The Slack team the console plays: Cobro binds the workspace to it as it would to a real one. */
export { CONSOLE_TEAM_ID };
export const CONSOLE_CHANNELS = {
  billing: CONSOLE_IDS.billing,
  collections: CONSOLE_IDS.collections,
} as const;

export type ConsolePerson = { id: string; name: string; email: string | null; roles: string[] };
export type ConsoleChannel = { id: string; name: string; kind: "channel" | "dm" };
export type ConsoleDirectory = {
  workspaceId: string | null;
  workspaceName: string;
  people: ConsolePerson[];
  channels: ConsoleChannel[];
  /** Whether the workspace has people, clients or projects (else the page offers the demo). */
  seeded: boolean;
};

/** The DM channel between Cobro and a person (conversations.open answers it). */
export const dmChannelOf = (userId: string) => `D${userId}`;

/** The console-only id of a member or project not in Slack yet: its prefix and its row id's first hex digits. */
const consoleIdOf = (prefix: string, rowId: string) =>
  `${prefix}${rowId.replace(/-/g, "").slice(0, 12).toUpperCase()}`;

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
      .select({
        rowId: members.id,
        slackUserId: members.slackUserId,
        name: members.name,
        email: members.email,
        roles: members.roles,
      })
      .from(members)
      .where(eq(members.workspaceId, workspace.id))
      .orderBy(asc(members.name))
  ).map(({ rowId, slackUserId, ...p }) => ({
    ...p,
    id: slackUserId ?? consoleIdOf(CONSOLE_IDS.user, rowId),
  }));
  const projectChannels = (
    await db
      .select({ rowId: projects.id, slackChannelId: projects.slackChannelId, code: projects.code })
      .from(projects)
      .where(
        and(
          eq(projects.workspaceId, workspace.id),
          or(isNotNull(projects.slackChannelId), eq(projects.active, true)),
        ),
      )
      .orderBy(asc(projects.code))
  ).map((p) => ({ code: p.code, id: p.slackChannelId ?? consoleIdOf(CONSOLE_IDS.channel, p.rowId) }));
  const anyClient = await db
    .select({ id: clients.id })
    .from(clients)
    .where(eq(clients.workspaceId, workspace.id))
    .limit(1);
  const named = new Map<string, string>([
    [workspace.billingChannelId ?? CONSOLE_CHANNELS.billing, "billing"],
    [workspace.collectionsChannelId ?? CONSOLE_CHANNELS.collections, "collections"],
  ]);
  for (const project of projectChannels) {
    if (!named.has(project.id)) named.set(project.id, slug(project.code));
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
    seeded: projectChannels.length > 0 || people.length > 0 || anyClient.length > 0,
  };
}
