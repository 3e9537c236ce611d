// `cobro serve`: /healthz answers as soon as the port is bound, before the database opens and the
// rest of Cobro loads (seconds on a first start); /readyz answers 200 once the database is migrated
// and every route, Slack's included, is mounted.
import { once } from "node:events";
import { guardProcess } from "../http/guard-process.ts";
import { healthRoutes, type Readiness } from "../http/health.ts";
import { createHttpServer, type Route } from "../http/server.ts";
import { type CliCommand, EXIT } from "./types.ts";

export const serveCommand: CliCommand = {
  summary: "run the HTTP server (Slack, webhooks, health checks) and the scheduler",
  usage: "serve",
  run: async ({ openApp, config, logger }) => {
    const readiness: Readiness = { step: "opening the database" };
    const routes: Route[] = healthRoutes(() => readiness);
    const server = createHttpServer(routes, logger, () =>
      readiness.step === "ready" ? null : readiness.step,
    );
    // The local console answers only on this machine unless COBRO_CONSOLE_HOST says otherwise.
    server.listen(config.port, config.console.enabled ? config.console.host : undefined);
    await once(server, "listening");
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port }, `Cobro starting: /healthz answers on http://localhost:${port}`);
    let started: { stop: () => Promise<void> } | undefined;
    const opened = await (async () => {
      try {
        const app = await openApp((database) => {
          readiness.database = database;
          readiness.step = "migrating the database";
        });
        readiness.step = "starting the workers";
        const { startServices } = await import("./serve-services.ts");
        const local = config.console.enabled
          ? (await import("../console/start-console.ts")).startConsole(config, port)
          : undefined;
        if (local) routes.push(...local.routes);
        const services = await startServices(app, local?.config ?? config, logger);
        await local?.attach(services.deps);
        started = services;
        routes.push(...services.routes);
        return app;
      } catch (error) {
        // A start that fails stops the process: nothing would ever become ready.
        server.close();
        throw error;
      }
    })();
    readiness.step = "ready";
    logger.info({ port, database: opened.database.kind }, `Cobro listening on http://localhost:${port}`);
    if (config.console.enabled) {
      logger.info(
        `Cobro console (no Slack credentials): open http://localhost:${port}/console (docs/console.md)`,
      );
    }
    // From here a stray error is logged and serving goes on; before, a failed start stops.
    guardProcess(logger);

    const stop = async (signal: string) => {
      logger.info({ signal }, "shutting down");
      server.close();
      await started?.stop();
      await opened.database.close();
      process.exit(EXIT.ok);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await once(server, "close");
    return EXIT.ok;
  },
};
