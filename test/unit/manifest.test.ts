import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOT_SCOPES } from "../../src/slack/app.ts";
import { COMMANDS } from "../../src/slack/kit/ids.ts";

// A vendored copy of Slack's manifest schema (MIT, licence beside it): CI runs on a clean clone anywhere.
const schema = JSON.parse(
  readFileSync(new URL("../fixtures/slack/manifest.schema.1.0.0.json", import.meta.url), "utf8"),
);
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const load = (file: string) => parse(readFileSync(new URL(`../../${file}`, import.meta.url), "utf8"));

function urlsOf(value: unknown, key = ""): { key: string; url: string }[] {
  if (typeof value === "string") return /^https?:\/\//.test(value) ? [{ key, url: value }] : [];
  if (Array.isArray(value)) return value.flatMap((v) => urlsOf(v, key));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => urlsOf(v, k));
  return [];
}

describe.each(["manifest.yml", "manifest.socket-mode.yml"])("%s", (file) => {
  const manifest = load(file);

  it("is valid against Slack's manifest schema", () => {
    expect(validate(manifest), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("requests exactly the bot scopes the code needs", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it("declares every slash command Cobro listens to, and the events it handles", () => {
    expect(manifest.features.slash_commands.map((c: { command: string }) => c.command).sort()).toEqual(
      Object.values(COMMANDS).sort(),
    );
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(
      ["app_home_opened", "app_uninstalled", "file_shared", "tokens_revoked"].sort(),
    );
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it("sends every request to /slack/events (OAuth redirect to /slack/oauth_redirect)", () => {
    for (const { key, url } of urlsOf(manifest)) {
      if (key === "redirect_urls") expect(url).toMatch(/\/slack\/oauth_redirect$/);
      else expect(url, key).toMatch(/\/slack\/events$/);
    }
  });
});

it("the Socket Mode manifest has no request URLs and the HTTP one has them all", () => {
  expect(load("manifest.socket-mode.yml").settings.socket_mode_enabled).toBe(true);
  expect(urlsOf(load("manifest.socket-mode.yml"))).toEqual([]);
  expect(urlsOf(load("manifest.yml")).length).toBe(6);
});
