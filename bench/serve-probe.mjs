// Loaded into `cobro serve` by bench/slack-ack.ts (`node --import`): event-loop delay, CPU time,
// time the main thread was ready but waited for a core (Linux schedstat: the cores are shared) and
// peak RSS of the server, written to BENCH_PROBE_FILE every 250 ms so the figures survive a crash.
// SIGUSR2 starts a new measurement window (the bench sends it when the load starts).
import { readFileSync, writeFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";

const file = process.env.BENCH_PROBE_FILE;

/** Nanoseconds the main thread has spent runnable but waiting for a CPU (0 where unknown). */
function runQueueWaitNs() {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]);
  } catch {
    return 0;
  }
}

if (file) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  let cpuAtStart = process.cpuUsage();
  let waitAtStart = runQueueWaitNs();
  let windowStart = performance.now();
  const ms = (nanoseconds) => Math.round(nanoseconds / 1e4) / 100;
  const write = () => {
    const cpu = process.cpuUsage(cpuAtStart);
    writeFileSync(
      file,
      JSON.stringify({
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        rssBytes: process.memoryUsage.rss(),
        loopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        runQueueWaitMs: Math.round((runQueueWaitNs() - waitAtStart) / 1e6),
        wallMs: Math.round(performance.now() - windowStart),
      }),
    );
  };
  process.on("SIGUSR2", () => {
    delay.reset();
    cpuAtStart = process.cpuUsage();
    waitAtStart = runQueueWaitNs();
    windowStart = performance.now();
  });
  setInterval(write, 250).unref();
  process.on("exit", write);
}
