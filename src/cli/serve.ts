import { once } from "node:events";
import { healthRoutes } from "../http/health.ts";
import { createHttpServer, type Route } from "../http/server.ts";
import { describeIntegrations } from "./integrations.ts";
import { type CliCommand, EXIT } from "./types.ts";

export const serveCommand: CliCommand = {
  summary: "run the HTTP server (Slack, webhooks, health checks) and the scheduler",
  usage: "serve",
  run: async ({ openApp, config, logger }) => {
    const app = await openApp();
    const routes: Route[] = [...healthRoutes(app.database)];
    const server = createHttpServer(routes, logger);
    server.listen(config.port);
    await once(server, "listening");
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port, database: app.database.kind }, `Cobro listening on http://localhost:${port}`);
    if (config.slack.mode === "off") logger.warn(describeIntegrations(config)[0]);

    const stop = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      server.close();
      await app.database.close();
      process.exit(EXIT.ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await once(server, "close");
    return EXIT.ok;
  },
};
