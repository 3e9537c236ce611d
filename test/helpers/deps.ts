import { pino } from "pino";
import type { Clock, Ctx, ServiceDeps } from "../../src/context.ts";
import type { Db } from "../../src/db/client.ts";
import { type Actor, CLI_ACTOR } from "../../src/domain/permissions.ts";

export const silentLogger = pino({ level: "silent" });

/** A clock fixed at `iso`, movable with `set`. */
export function fixedClock(iso: string): Clock & { set: (next: string) => void } {
  let current = new Date(iso);
  const clock = (() => new Date(current)) as Clock & { set: (next: string) => void };
  clock.set = (next) => {
    current = new Date(next);
  };
  return clock;
}

/** Service deps for tests; `enqueued` collects the delivery ids a service handed to the queue. */
export function serviceDeps(
  db: Db,
  now: Clock = fixedClock("2026-11-23T09:00:00Z"),
): ServiceDeps & { enqueued: string[] } {
  const enqueued: string[] = [];
  return {
    db,
    now,
    logger: silentLogger,
    enqueued,
    enqueue: async (ids) => {
      enqueued.push(...ids);
    },
  };
}

/** The ctx a service is called with: these deps, the workspace, and who acts (the CLI operator unless told). */
export function testCtx(deps: ServiceDeps, workspaceId: string, actor: Actor = CLI_ACTOR): Ctx {
  return { ...deps, workspaceId, actor };
}
