// A company imports its own exports (people without Slack ids), tries Cobro in the local console
// (`npm start` without Slack) as each of its people, then connects the real Slack: nothing the
// console made up survives, and the real people are recognised by their e-mail.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importCommand } from "../../src/cli/import.ts";
import { workspaceCommand } from "../../src/cli/workspace.ts";
import { loadConsoleDirectory } from "../../src/console/directory.ts";
import { prepareConsoleWorkspace } from "../../src/console/prepare-workspace.ts";
import { type Database, openEmbedded } from "../../src/db/client.ts";
import { members, projects, workspaces } from "../../src/db/schema/index.ts";
import { cliRunner } from "../helpers/cli.ts";
import { backend, emptyTestDatabase } from "../helpers/db.ts";
import { serviceDeps } from "../helpers/deps.ts";
import { runCobro, startServeProcess } from "../helpers/serve-process.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

type Person = { id: string; name: string; email: string | null; roles: string[] };
type State = {
  directory: { people: Person[]; channels: { id: string; name: string; kind: string }[]; seeded: boolean };
  messages: { channel: string; html: string }[];
};

const PEOPLE = [
  "email,name,roles",
  "cobros@consult.example,Marta Ruiz,collector",
  "luc.pm@consult.example,Luc Martin,pm",
].join("\n");

async function consoleState(baseUrl: string, user = ""): Promise<State> {
  const response = await fetch(`${baseUrl}/console/state?user=${encodeURIComponent(user)}`);
  return (await response.json()) as State;
}

/** Types a command in the console as `user` in `channel`, and waits for Cobro's answer there. */
async function typeAs(baseUrl: string, user: string, channel: string, text: string): Promise<string> {
  const before = (await consoleState(baseUrl, user)).messages.filter((m) => m.channel === channel).length;
  const sent = await fetch(`${baseUrl}/console/do/command`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ user, channel, text }),
  });
  expect(sent.status).toBe(200);
  for (let tries = 0; tries < 100; tries++) {
    const shown = (await consoleState(baseUrl, user)).messages.filter((m) => m.channel === channel);
    if (shown.length > before) return shown.map((m) => m.html).join("\n");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer to ${text} in ${channel}`);
}

// Once per run: `cobro serve` uses its own embedded database whichever back end the project tests.
describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("imported people in the local console", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "cobro-console-people-"));
    await writeFile(join(dataDir, "people.csv"), PEOPLE);
    for (const [kind, file] of [
      ["people", join(dataDir, "people.csv")],
      ["clients", "test/fixtures/clients.csv"],
      ["projects", "test/fixtures/projects.csv"],
    ] as const) {
      await runCobro(["import", kind, file], { COBRO_DATA_DIR: dataDir });
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it("lists every imported person and lets you act as each, with their role", async () => {
    const server = await startServeProcess({ COBRO_DATA_DIR: dataDir });
    try {
      const { directory } = await consoleState(server.baseUrl);
      expect(directory.seeded).toBe(true);
      const byName = new Map(directory.people.map((p) => [p.name, p]));
      const marta = byName.get("Marta Ruiz");
      const luc = byName.get("Luc Martin");
      expect(marta).toMatchObject({ email: "cobros@consult.example", roles: ["collector"] });
      expect(luc).toMatchObject({ email: "luc.pm@consult.example", roles: ["pm"] });
      expect(marta?.id).toMatch(/^UCONSOLE[0-9A-F]+$/);
      // The imported project without a channel has one in the console, to link it there.
      const lyon = directory.channels.find((c) => c.name === "lyon-bi");
      expect(lyon?.id).toMatch(/^CCONSOLE[0-9A-F]+$/);

      // Luc manages lyon-bi: Cobro recognises him by his e-mail and lets him link its channel.
      const linked = await typeAs(server.baseUrl, String(luc?.id), String(lyon?.id), "/cobro link lyon-bi");
      expect(linked).toContain("This channel is now linked to");
      // Marta collects: she may not, as Cobro tells a collector.
      const refused = await typeAs(
        server.baseUrl,
        String(marta?.id),
        String(lyon?.id),
        "/cobro link lyon-bi",
      );
      expect(refused).toContain("Only the project&#39;s PM, billing or an admin can do this.");
      // The same people, with the same ids, once Cobro has linked them.
      const again = await consoleState(server.baseUrl);
      expect(again.directory.people.map((p) => p.id).sort()).toEqual(
        directory.people.map((p) => p.id).sort(),
      );
    } finally {
      await server.stop();
    }
  }, 120_000);

  it("when the real Slack team takes the workspace over, the console's ids are gone and people are linked by e-mail", async () => {
    const api = slackApi();
    api.reset();
    let database: Database | undefined;
    let app: SlackTestApp | undefined;
    try {
      database = await openEmbedded(dataDir);
      const db = database.db;
      const consoleIds = async () =>
        (await db.select().from(members)).filter((m) => m.slackUserId?.startsWith("UCONSOLE"));
      // What the first test left: Luc and Marta linked to their console ids, lyon-bi to a console channel.
      expect((await consoleIds()).map((m) => m.name).sort()).toEqual(["Luc Martin", "Marta Ruiz"]);

      api.respond("auth.test", () => ({ ok: true, team_id: "TACME", user_id: "UBOT", bot_id: "B1" }));
      app = await startSlackTestApp({ db });
      await app.slack.start();

      expect(await consoleIds()).toEqual([]);
      const channels = Object.fromEntries(
        (await db.select().from(projects)).map((p) => [p.code, p.slackChannelId]),
      );
      // The console's channel is forgotten; the channel the company's own export named stays.
      expect(channels).toMatchObject({ "lyon-bi": null, atlas: "C0ATLAS01" });

      api.slackUser("U0LUCREAL", { email: "luc.pm@consult.example", name: "Luc Martin" });
      const before = api.hooks().length;
      await app.command({
        teamId: "TACME",
        userId: "U0LUCREAL",
        channelId: "C0LYONBI",
        command: "/cobro",
        text: "link lyon-bi",
      });
      await api.waitFor("hook", before + 1);
      expect(JSON.stringify(api.hooks().at(-1)?.body)).toContain("This channel is now linked to");
      const [luc] = (await db.select().from(members)).filter((m) => m.email === "luc.pm@consult.example");
      expect(luc?.slackUserId).toBe("U0LUCREAL");
    } finally {
      await app?.close();
      await database?.close();
      api.reset();
    }
  }, 120_000);
});

describe(`the console on imported data, on ${backend()}`, () => {
  it("does not offer to seed the demo once the company's own clients are imported: their collector is there to act as", async () => {
    const database = await emptyTestDatabase();
    try {
      const cli = cliRunner(importCommand, { deps: serviceDeps(database.db), database });
      expect((await cli.run("clients", "test/fixtures/clients.csv")).code).toBe(0);
      await prepareConsoleWorkspace(database.db);
      const directory = await loadConsoleDirectory(database.db);
      expect(directory.seeded).toBe(true);
      expect(directory.people.map((p) => p.email)).toEqual(["cobros@consult.example"]);
    } finally {
      await database.close();
    }
  });

  it("`cobro workspace link` to the real team forgets the console's ids too", async () => {
    const database = await emptyTestDatabase();
    try {
      const { db } = database;
      const deps = serviceDeps(db);
      await cliRunner(importCommand, { deps, database }).run("clients", "test/fixtures/clients.csv");
      await prepareConsoleWorkspace(db);
      // What acting as the collector in the console leaves (she is linked by e-mail: first test above).
      const [collector] = (await loadConsoleDirectory(db)).people;
      await db.update(members).set({ slackUserId: String(collector?.id) });
      expect((await db.select().from(members))[0]?.slackUserId).toMatch(/^UCONSOLE/);

      const linked = await cliRunner(workspaceCommand, { deps, database }).run("link", "My company", "TACME");
      expect(linked.code).toBe(0);
      expect((await db.select().from(members)).map((m) => m.slackUserId)).toEqual([null]);
      const [row] = await db.select().from(workspaces);
      expect([row?.slackTeamId, row?.billingChannelId, row?.collectionsChannelId]).toEqual([
        "TACME",
        null,
        null,
      ]);
    } finally {
      await database.close();
    }
  });
});
