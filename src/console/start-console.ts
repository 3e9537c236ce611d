// `cobro serve` without Slack credentials: Cobro's real Slack app runs against the console's own
// Slack (a Web API stand-in on the same port, a per-run random signing secret), and the page at
// /console lets one person after another use it. Never next to a real workspace (docs/console.md).
import { randomBytes } from "node:crypto";
import type { Config } from "../config.ts";
import type { ServiceDeps } from "../context.ts";
import { DomainError } from "../domain/errors.ts";
import { HttpError, type Route } from "../http/server.ts";
import { createConsoleStore } from "./console-store.ts";
import { interactionRoutes } from "./interaction-routes.ts";
import { pageRoutes } from "./page-routes.ts";
import { prepareConsoleWorkspace } from "./prepare-workspace.ts";
import { createSender } from "./send-to-cobro.ts";
import { CONSOLE_API_PATH, webApiRoutes } from "./web-api.ts";

export type StartedConsole = {
  /** The configuration Cobro runs with: Slack pointed at the console. */
  config: Config;
  routes: Route[];
  /** The services' dependencies (with their queue), once they run. */
  attach: (deps: ServiceDeps) => Promise<void>;
};

/** Where Cobro reaches the server it runs in: the loopback when bound to every address. */
function selfUrl(host: string, port: number): string {
  const loopback = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${loopback.includes(":") ? `[${loopback}]` : loopback}:${port}`;
}

export function startConsole(config: Config, port: number): StartedConsole {
  if (config.slack.mode !== "off" || config.slack.signingSecret) {
    throw new DomainError("console.with_slack", "the console never runs with Slack credentials", {
      userMessage:
        "The local console never runs next to a real Slack workspace: unset the SLACK_* variables to use the console, or set COBRO_CONSOLE=off.",
    });
  }
  const baseUrl = selfUrl(config.console.host, port);
  const signingSecret = randomBytes(32).toString("hex");
  const store = createConsoleStore();
  let deps: ServiceDeps | undefined;
  const currentDeps = () => {
    if (!deps) throw new HttpError(503, "starting", "Cobro is still starting: try again in a moment.");
    return deps;
  };
  const sender = createSender({ eventsUrl: () => `${baseUrl}/slack/events`, signingSecret });
  const routes = [
    ...pageRoutes({ store, db: () => currentDeps().db, dataDir: config.dataDir }),
    ...webApiRoutes({ store, db: () => currentDeps().db, baseUrl: () => baseUrl }),
    ...interactionRoutes({ store, sender, deps: currentDeps, baseUrl: () => baseUrl }),
  ];
  return {
    config: {
      ...config,
      slack: {
        ...config.slack,
        mode: "single",
        signingSecret,
        botToken: `xoxb-console-${randomBytes(12).toString("hex")}`,
        apiUrl: `${baseUrl}${CONSOLE_API_PATH}`,
      },
    },
    routes,
    attach: async (attached) => {
      await prepareConsoleWorkspace(attached.db);
      deps = attached;
    },
  };
}
