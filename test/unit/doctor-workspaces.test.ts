import { describe, expect, it } from "vitest";
import { describeWorkspaces } from "../../src/cli/doctor.ts";

describe("cobro doctor: workspaces and their Slack teams", () => {
  it("lists each workspace with its team and warns about one no Slack request reaches", () => {
    const lines = describeWorkspaces([
      { name: "TACME", team: "TACME", id: "w1" },
      { name: "My company", team: null, id: "w2" },
    ]);
    expect(lines).toEqual([
      "workspaces: 2",
      "  TACME: Slack team TACME (w1)",
      "  My company: no Slack team (w2)",
      expect.stringContaining('warning: workspace "My company" is bound to no Slack team'),
    ]);
    expect(lines[3]).toContain('`cobro workspace link "My company" T…`');
  });

  it("says a lone unbound workspace binds itself when Slack is connected", () => {
    const [, , warning] = describeWorkspaces([{ name: "My company", team: null, id: "w1" }]);
    expect(warning).toContain("bound when Cobro starts with SLACK_BOT_TOKEN or is installed");
    expect(describeWorkspaces([])).toEqual(["workspaces: none yet"]);
  });
});
