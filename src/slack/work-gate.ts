// A per-process bound on the work Slack requests start after their ack: at most `concurrency` run at
// once and at most `backlog` wait their turn; beyond that a request is refused (shed) before its ack,
// so the ack can say "busy" instead of the process piling up work it cannot finish.

export type WorkTicket = {
  /** Resolves when this request may run its work. */
  turn: Promise<void>;
  /** Frees the place (running or waiting); call once the work is over, whatever happened. */
  leave: () => void;
};

export type WorkGate = {
  /** A place to run or to wait, or undefined when the backlog is full (shed the request). */
  enter: () => WorkTicket | undefined;
  running: () => number;
  waiting: () => number;
  /** Resolves once nothing runs or waits, or after `timeoutMs` (shutdown). */
  idle: (timeoutMs: number) => Promise<void>;
};

export type WorkGateLimits = { concurrency: number; backlog: number };

export function createWorkGate(limits: WorkGateLimits): WorkGate {
  if (limits.concurrency < 1 || limits.backlog < 0) throw new Error("work gate: bad limits");
  let running = 0;
  const queue: (() => void)[] = [];
  const idleWaiters = new Set<() => void>();

  const settleIdle = () => {
    if (running > 0 || queue.length > 0) return;
    for (const resolve of idleWaiters) resolve();
    idleWaiters.clear();
  };

  const startNext = () => {
    const next = queue.shift();
    if (next) next();
  };

  return {
    enter: () => {
      if (running < limits.concurrency && queue.length === 0) {
        running++;
        let left = false;
        return {
          turn: Promise.resolve(),
          leave: () => {
            if (left) return;
            left = true;
            running--;
            startNext();
            settleIdle();
          },
        };
      }
      if (queue.length >= limits.backlog) return undefined;
      let started = false;
      let left = false;
      let resolveTurn: () => void = () => {};
      const turn = new Promise<void>((resolve) => {
        resolveTurn = resolve;
      });
      const start = () => {
        started = true;
        running++;
        resolveTurn();
      };
      queue.push(start);
      return {
        turn,
        leave: () => {
          if (left) return;
          left = true;
          if (started) {
            running--;
            startNext();
          } else {
            queue.splice(queue.indexOf(start), 1);
          }
          settleIdle();
        },
      };
    },
    running: () => running,
    waiting: () => queue.length,
    idle: (timeoutMs) =>
      new Promise<void>((resolve) => {
        if (running === 0 && queue.length === 0) return resolve();
        const timer = setTimeout(() => {
          idleWaiters.delete(done);
          resolve();
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        idleWaiters.add(done);
      }),
  };
}
