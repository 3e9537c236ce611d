import { describe, expect, it } from "vitest";
import { createWorkGate } from "../../src/slack/bounded-app.ts";

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  return done;
};

describe("work gate (bound on post-ack work)", () => {
  it("runs up to the concurrency, queues up to the backlog, refuses beyond", async () => {
    const gate = createWorkGate({ concurrency: 2, backlog: 1 });
    const a = gate.enter();
    const b = gate.enter();
    const c = gate.enter();
    expect(a && b && c).toBeTruthy();
    expect(gate.enter()).toBeUndefined();
    expect(await settled(a!.turn)).toBe(true);
    expect(await settled(b!.turn)).toBe(true);
    expect(await settled(c!.turn)).toBe(false);
    expect([gate.running(), gate.waiting()]).toEqual([2, 1]);

    a!.leave();
    expect(await settled(c!.turn)).toBe(true);
    expect([gate.running(), gate.waiting()]).toEqual([2, 0]);
    expect(gate.enter()).toBeDefined();
  });

  it("starts waiting requests in arrival order and frees a place left before its turn", async () => {
    const gate = createWorkGate({ concurrency: 1, backlog: 3 });
    const running = gate.enter()!;
    const first = gate.enter()!;
    const second = gate.enter()!;
    const third = gate.enter()!;
    second.leave();
    second.leave(); // leaving twice frees one place only
    expect(gate.waiting()).toBe(2);
    running.leave();
    expect(await settled(first.turn)).toBe(true);
    expect(await settled(third.turn)).toBe(false);
    first.leave();
    expect(await settled(third.turn)).toBe(true);
    third.leave();
    expect([gate.running(), gate.waiting()]).toEqual([0, 0]);
  });

  it("idle resolves once everything accepted has finished", async () => {
    const gate = createWorkGate({ concurrency: 1, backlog: 1 });
    const one = gate.enter()!;
    const two = gate.enter()!;
    const idle = gate.idle(60_000);
    one.leave();
    expect(await settled(idle)).toBe(false);
    two.leave();
    expect(await settled(idle)).toBe(true);
  });
});
