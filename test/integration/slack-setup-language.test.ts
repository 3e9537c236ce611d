// A French admin's first /cobro setup offers French as the language of invoices and channel
// messages (it offered English, Cobro's default, so a team that saved at once was written to in English).
import { describe, expect, it } from "vitest";
import { backend } from "../helpers/db.ts";
import { createMember, createWorkspace } from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";

const slack = useSlackTestApp();
const { api } = slack;

type Select = { initial_option?: { value: string } };
type Modal = { blocks: { block_id?: string; element?: Select }[] };

async function setupLanguage(seller: boolean): Promise<string | undefined> {
  const db = slack.database.db;
  const workspace = await createWorkspace(db, seller ? {} : { seller: null });
  const admin = await createMember(db, workspace.id, { roles: ["admin"] });
  api.reset();
  api.slackUser(admin.slackUserId!, { locale: "fr-FR", email: "sophie@atelier.example" });
  await slack.app.command({
    teamId: workspace.slackTeamId!,
    userId: admin.slackUserId!,
    command: "/cobro",
    text: "setup",
  });
  await api.waitFor("views.update");
  const view = api.calls("views.update")[0]!.body.view as Modal;
  return view.blocks.find((b) => b.block_id === "locale")?.element?.initial_option?.value;
}

describe(`the first /cobro setup on ${backend()}`, () => {
  it("offers the French admin's language before the company is set up, and the saved one after", async () => {
    expect(await setupLanguage(false)).toBe("fr");
    // Once saved (a seller exists), the workspace's own language stays as chosen.
    expect(await setupLanguage(true)).toBe("en");
  });
});
