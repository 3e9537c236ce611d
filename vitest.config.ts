import { defineConfig } from "vitest/config";

// Integration tests run on embedded PGlite always, and also on a real PostgreSQL server when
// TEST_DATABASE_URL is set (.ci/run starts one). One database per worker, shared by its files.
const integration = (name: string, env: Record<string, string>) => ({
  test: {
    name,
    include: ["test/integration/**/*.test.ts"],
    env,
    isolate: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    maxWorkers: 2,
    // Only with --coverage (`npm run coverage`): CI's `npm test` does not pay for instrumentation.
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "json-summary", "html"],
      reportsDirectory: "coverage",
    },
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      integration("pglite", { COBRO_TEST_DB: "pglite" }),
      ...(process.env.TEST_DATABASE_URL ? [integration("postgres", { COBRO_TEST_DB: "postgres" })] : []),
    ],
  },
});
