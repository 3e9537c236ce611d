// No request can stop Cobro: malformed paths, escapes, methods, headers, framings and bodies, sent
// as raw bytes to every route of the real `cobro serve` (a child process, embedded database, Slack
// in OAuth mode so that every Slack route exists). Each must get an answer below 500, a 4xx when it
// is malformed or unauthenticated, and the process must still be up at the end.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCobro, type ServeProcess, startServeProcess } from "../helpers/serve-process.ts";

const SIGNING_SECRET = "fuzz-signing-secret";
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });

type Answer = { status: number | null; head: string };

/** Sends raw bytes on a fresh connection; the status of the answer, or null if none came. */
function rawRequest(port: number, bytes: Buffer, timeoutMs = 20_000): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const done = () => {
      const text = Buffer.concat(chunks).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : null, head: text.slice(0, 300) });
    };
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", done);
    // The server may answer (413, 400) and close before the whole body is written: not a failure.
    socket.on("error", () => {});
    // Written, not half-closed: a client that shuts its side down early gets no answer from Node.
    socket.write(bytes);
  });
}

type Head = { method: string; target: string; headers: [string, string][] };

function request(head: Head, body: Buffer, framing: "length" | "chunked" | "none" = "length"): Buffer {
  const headers: [string, string][] = [["Host", "cobro.test"], ["Connection", "close"], ...head.headers];
  if (framing === "length") headers.push(["Content-Length", String(body.length)]);
  if (framing === "chunked") headers.push(["Transfer-Encoding", "chunked"]);
  const lines = [`${head.method} ${head.target} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`), "", ""];
  const payload =
    framing === "chunked"
      ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")])
      : body;
  return Buffer.concat([
    Buffer.from(lines.join("\r\n"), "latin1"),
    framing === "none" ? Buffer.alloc(0) : payload,
  ]);
}

const ROUTES = [
  { method: "GET", path: "/healthz", limit: 64 * 1024 },
  { method: "GET", path: "/readyz", limit: 64 * 1024 },
  { method: "GET", path: "/r/TOKEN", limit: 64 * 1024 },
  { method: "POST", path: "/r/TOKEN", limit: 10_000 },
  { method: "POST", path: "/webhooks/sendgrid", limit: 5_000_000 },
  { method: "POST", path: "/api/v1/time-entries", limit: 5_000_000 },
  { method: "POST", path: "/slack/events", limit: 4 * 1024 * 1024 },
  { method: "GET", path: "/slack/install", limit: 64 * 1024 },
  { method: "GET", path: "/slack/oauth_redirect", limit: 64 * 1024 },
] as const;
type RouteSpec = (typeof ROUTES)[number];

const BAD_ESCAPES = ["%ZZ", "%", "%E0%A4%A", "%C3%28", "%FF", "%u0041", "%%", "%2", "%C0%AF", "%ED%A0%80"];
const route = fc.constantFrom(...ROUTES);
const badEscape = fc.constantFrom(...BAD_ESCAPES);
const text = fc.string({ unit: "binary", maxLength: 200 });
const junkBytes = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));
const hostileString = fc.oneof(
  text,
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\u202Eevil",
    "\u200B",
    "💸".repeat(50),
    "x".repeat(10_000),
    "<!channel>",
  ),
);
const hostileValue = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.object(),
);
const timeEntry = fc.record(
  {
    external_id: hostileString,
    project_code: hostileString,
    person_email: hostileString,
    date: fc.oneof(hostileString, fc.constantFrom("2026-11-16", "2026-02-30", "99999-01-01", "0000-00-00")),
    hours: hostileValue,
    minutes: hostileValue,
    description: hostileString,
    billable: hostileValue,
  },
  { requiredKeys: [] },
);
const jsonBody = fc.oneof(
  fc.json().map((s) => Buffer.from(s)),
  fc.array(timeEntry, { maxLength: 5 }).map((entries) => Buffer.from(JSON.stringify({ entries }))),
  fc
    .array(fc.dictionary(hostileString, hostileValue), { maxLength: 5 })
    .map((a) => Buffer.from(JSON.stringify(a))),
  fc.integer({ min: 1, max: 20_000 }).map((n) => Buffer.from(`${"[".repeat(n)}${"]".repeat(n)}`)),
  fc
    .constantFrom("", "{", "null", "[]", '{"entries":[]}', '"\\u0000"', "\uFEFF[]")
    .map((s) => Buffer.from(s)),
);
const formBody = fc.oneof(
  jsonBody.map((b) => Buffer.from(`payload=${encodeURIComponent(b.toString())}`)),
  fc.dictionary(text, text).map((d) => Buffer.from(new URLSearchParams(d).toString())),
  fc
    .constantFrom("payload=%ZZ", "payload=", "command=/milestone&text=%00", "=&&=")
    .map((s) => Buffer.from(s)),
);
const body = fc.oneof(junkBytes, jsonBody, formBody);
const contentType = fc.constantFrom(
  "application/json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/json; charset=utf-16",
  "",
);

const target = (spec: RouteSpec, token: string) => spec.path.replace("TOKEN", token);

type Case = { label: string; bytes: Buffer; mustRefuse: boolean };

/** Every kind of request Cobro must refuse with a 4xx (nothing in it is signed or authorized). */
function refusedCases(): fc.Arbitrary<Case> {
  const badPath = fc
    .tuple(route, badEscape, fc.constantFrom("prefix", "token", "suffix", "query"))
    .map(([spec, esc, where]) => {
      const path =
        where === "token" && spec.path.includes("TOKEN")
          ? target(spec, esc)
          : where === "prefix"
            ? `/${esc}${spec.path}`
            : where === "suffix"
              ? `${target(spec, "x")}${esc}`
              : `${target(spec, "x")}?${esc}=${esc}`;
      return { method: spec.method, path, spec };
    });
  const oddTarget = fc
    .tuple(
      route,
      fc.constantFrom(
        "//",
        "///x",
        "*",
        "http://localhost/healthz",
        "/..%2F..%2Fetc/passwd",
        "/r/",
        "/r//x",
        "?",
      ),
    )
    .map(([spec, path]) => ({ method: spec.method, path, spec }));
  const withOddPath = fc.oneof(badPath, oddTarget).filter(({ path, spec }) => {
    // Queries on public GET routes are ignored, not wrong: /healthz?%ZZ is a fine health check.
    return !(
      path.startsWith(`${target(spec, "x")}?`) &&
      spec.method === "GET" &&
      !spec.path.includes("TOKEN")
    );
  });
  return fc.oneof(
    // Malformed paths and escapes, on every route and method, with any body.
    fc.tuple(withOddPath, body, contentType).map(([{ method, path }, b, type]) => ({
      label: `${method} ${path}`,
      bytes: request({ method, target: path, headers: type ? [["Content-Type", type]] : [] }, b),
      mustRefuse: true,
    })),
    // Methods a route does not take, and tokens that are not methods at all.
    fc
      .tuple(route, fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "G T", "POST\u0000"))
      .map(([spec, method]) => ({
        label: `${method} ${spec.path}`,
        bytes: request({ method, target: target(spec, "x"), headers: [] }, Buffer.alloc(0)),
        mustRefuse: true,
      })),
    // Broken headers and framings on the right method and path.
    fc
      .tuple(
        route,
        fc.constantFrom(
          "Bad Header: x",
          "X-Ctl: a\u0001b",
          "X-Del: \u007f",
          `X-Huge: ${"h".repeat(20_000)}`,
          "Content-Length: 5\r\nContent-Length: 6",
          "Content-Length: abc",
          "Content-Length: -1",
          "Transfer-Encoding: chunked\r\nContent-Length: 3",
          "Transfer-Encoding: gzip, chunked, identity",
          ": no-name",
        ),
      )
      .map(([spec, header]) => {
        const head = `${spec.method} ${target(spec, "x")} HTTP/1.1\r\nHost: cobro.test\r\nConnection: close\r\n${header}\r\n\r\n`;
        return {
          label: `${spec.method} ${spec.path} with "${header.slice(0, 40)}"`,
          bytes: Buffer.from(head, "latin1"),
          mustRefuse: true,
        };
      }),
    // Broken chunk framing where a body is read (a GET route may answer before it sees the body).
    fc
      .tuple(
        fc.constantFrom(...ROUTES.filter((r) => r.method === "POST")),
        fc.constantFrom("zz\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n"),
      )
      .map(([spec, chunks]) => ({
        label: `${spec.method} ${spec.path} with broken chunks`,
        bytes: Buffer.concat([
          Buffer.from(
            `${spec.method} ${target(spec, "x")} HTTP/1.1\r\nHost: cobro.test\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n`,
          ),
          Buffer.from(chunks),
        ]),
        mustRefuse: true,
      })),
    // Bodies over a route's limit, announced or chunked.
    fc
      .tuple(route, fc.constantFrom("length", "chunked") as fc.Arbitrary<"length" | "chunked">)
      .map(([spec, framing]) => ({
        label: `${spec.method} ${spec.path} with ${spec.limit + 1} bytes (${framing})`,
        bytes: request(
          {
            method: spec.method,
            target: target(spec, "x".repeat(43)),
            headers: [["Content-Type", "application/json"]],
          },
          Buffer.alloc(spec.limit + 1, 0x20),
          framing,
        ),
        // A GET route that reads no body ignores a chunked one: only an announced size is refused there.
        mustRefuse: true,
      }))
      .filter((c) => !(c.label.includes("(chunked)") && c.label.startsWith("GET"))),
    // Protected routes without credentials, or with made-up ones, and any body.
    fc
      .tuple(
        fc.constantFrom(...ROUTES.filter((r) => r.method === "POST")),
        body,
        contentType,
        fc.oneof(fc.constant(undefined), fc.integer({ min: -1e10, max: 1e10 }).map(String), text),
        fc.oneof(fc.constant(undefined), text, fc.constant("v0=deadbeef")),
        fc.oneof(
          fc.constant(undefined),
          text.map((t) => `Bearer ${t}`),
          fc.constant("Bearer cobro_0123456789ab_aaaaaaaaaaaaaaaaaaaaaa"),
        ),
        fc.string({
          unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
          minLength: 43,
          maxLength: 43,
        }),
      )
      .map(([spec, b, type, timestamp, signature, authorization, token]) => {
        const headers: [string, string][] = [];
        const clean = (v: string) => v.replace(/[^\x20-\x7e]/g, "");
        if (type) headers.push(["Content-Type", type]);
        if (timestamp !== undefined) {
          headers.push(["X-Slack-Request-Timestamp", clean(timestamp)]);
          headers.push(["X-Twilio-Email-Event-Webhook-Timestamp", clean(timestamp)]);
        }
        if (signature !== undefined) {
          headers.push(["X-Slack-Signature", clean(signature)]);
          headers.push(["X-Twilio-Email-Event-Webhook-Signature", clean(signature)]);
        }
        if (authorization !== undefined) headers.push(["Authorization", clean(authorization)]);
        return {
          label: `${spec.method} ${spec.path} unsigned`,
          bytes: request({ method: spec.method, target: target(spec, token), headers }, b),
          // ssl_check=1 is Slack's unsigned probe, answered 200 by design.
          mustRefuse: !b.toString("latin1").includes("ssl_check=1"),
        };
      }),
    // The OAuth redirect without a state this server issued.
    fc.tuple(fc.dictionary(fc.constantFrom("code", "state", "error", "x"), text)).map(([query]) => ({
      label: "GET /slack/oauth_redirect with a forged query",
      bytes: request(
        {
          method: "GET",
          target: `/slack/oauth_redirect?${new URLSearchParams(query).toString()}`,
          headers: [],
        },
        Buffer.alloc(0),
        "none",
      ),
      mustRefuse: true,
    })),
  );
}

/** Correctly signed or authorized requests with hostile content: any answer but a 5xx. */
function signedCases(apiKey: string): fc.Arbitrary<Case> {
  const now = () => String(Math.floor(Date.now() / 1000));
  return fc.oneof(
    fc.tuple(fc.oneof(jsonBody, formBody, junkBytes), contentType).map(([b, type]) => {
      const timestamp = now();
      const signature = `v0=${createHmac("sha256", SIGNING_SECRET).update(`v0:${timestamp}:`).update(b).digest("hex")}`;
      const headers: [string, string][] = [
        ["X-Slack-Request-Timestamp", timestamp],
        ["X-Slack-Signature", signature],
      ];
      if (type) headers.push(["Content-Type", type]);
      return {
        label: "POST /slack/events signed",
        bytes: request({ method: "POST", target: "/slack/events", headers }, b),
        mustRefuse: false,
      };
    }),
    fc.oneof(jsonBody, junkBytes).map((b) => {
      const timestamp = now();
      const signature = sign("sha256", Buffer.concat([Buffer.from(timestamp), b]), {
        key: privateKey,
        dsaEncoding: "der",
      });
      const headers: [string, string][] = [
        ["Content-Type", "application/json"],
        ["X-Twilio-Email-Event-Webhook-Timestamp", timestamp],
        ["X-Twilio-Email-Event-Webhook-Signature", signature.toString("base64")],
      ];
      return {
        label: "POST /webhooks/sendgrid signed",
        bytes: request({ method: "POST", target: "/webhooks/sendgrid", headers }, b),
        mustRefuse: false,
      };
    }),
    fc.tuple(fc.oneof(jsonBody, junkBytes), contentType).map(([b, type]) => {
      const headers: [string, string][] = [["Authorization", `Bearer ${apiKey}`]];
      if (type) headers.push(["Content-Type", type]);
      return {
        label: "POST /api/v1/time-entries authorized",
        bytes: request({ method: "POST", target: "/api/v1/time-entries", headers }, b),
        mustRefuse: false,
      };
    }),
  );
}

describe.runIf(process.env.COBRO_TEST_DB !== "postgres")("the real server under malformed requests", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "cobro-fuzz-"));
  let server: ServeProcess;
  let fakeSlack: Server;
  let apiKey = "";

  beforeAll(async () => {
    // Stands in for slack.com: nothing the fuzzer sends may get as far as calling it.
    fakeSlack = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: false, error: "invalid_auth" }));
    });
    fakeSlack.listen(0, "127.0.0.1");
    await once(fakeSlack, "listening");
    const env = { COBRO_DATA_DIR: dataDir };
    const created = await runCobro(["apikey", "create", "fuzz"], env);
    apiKey = /cobro_[0-9a-f]{12}_[A-Za-z0-9_-]+/.exec(created.stdout)?.[0] ?? "";
    expect(apiKey).not.toBe("");
    server = await startServeProcess({
      ...env,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_CLIENT_ID: "123.456",
      SLACK_CLIENT_SECRET: "fuzz-client-secret",
      SLACK_STATE_SECRET: "fuzz-state-secret",
      SLACK_API_URL: `http://127.0.0.1:${(fakeSlack.address() as { port: number }).port}/api/`,
      SENDGRID_WEBHOOK_PUBLIC_KEY: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
    });
  });
  afterAll(async () => {
    await server?.stop();
    fakeSlack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a malformed percent-escape in the path with 400, GET or POST, and keeps serving", async () => {
    for (const method of ["GET", "POST"]) {
      const answer = await rawRequest(
        server.port,
        request({ method, target: "/r/%ZZ", headers: [] }, Buffer.alloc(0)),
      );
      expect(answer.status, answer.head).toBe(400);
    }
    expect(
      (await rawRequest(server.port, request({ method: "GET", target: "//", headers: [] }, Buffer.alloc(0))))
        .status,
    ).toBe(400);
    expect(server.alive()).toBe(true);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  });

  it("refuses a body over the webhook's 5 MB with 413, not 500", async () => {
    const answer = await rawRequest(
      server.port,
      request(
        { method: "POST", target: "/webhooks/sendgrid", headers: [["Content-Type", "application/json"]] },
        Buffer.alloc(5_000_001, 0x20),
      ),
    );
    expect(answer.status, answer.head).toBe(413);
    const chunked = await rawRequest(
      server.port,
      request(
        { method: "POST", target: "/webhooks/sendgrid", headers: [] },
        Buffer.alloc(5_000_001, 0x20),
        "chunked",
      ),
    );
    expect(chunked.status, chunked.head).toBe(413);
  });

  it("answers 1,200 fuzzed requests to every route with a 4xx (never a 5xx or a dropped connection)", {
    timeout: 600_000,
  }, async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const cases = fc.sample(
      fc.oneof({ arbitrary: refusedCases(), weight: 4 }, { arbitrary: signedCases(apiKey), weight: 1 }),
      { numRuns: 1_200, seed },
    );
    // A few at a time: Bolt answers a signed request no listener acknowledges after its 3 s.
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length && failures.length === 0) {
        const c = cases[next++] as Case;
        const answer = await rawRequest(server.port, c.bytes);
        statuses.set(answer.status ?? 0, (statuses.get(answer.status ?? 0) ?? 0) + 1);
        const status = answer.status ?? 0;
        if (answer.status === null || status >= 500 || (c.mustRefuse && status < 400) || !server.alive()) {
          failures.push(`${c.label} → ${answer.status ?? "no answer"} (FUZZ_SEED=${seed})\n${answer.head}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(failures, server.output().slice(-3_000)).toEqual([]);
    expect(next).toBe(cases.length);
    expect(server.alive()).toBe(true);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    expect(server.output()).not.toMatch(/uncaught|request failed/i);
    // Every kind of refusal was exercised: bad request, unsigned, forbidden, unknown, method, size.
    expect([400, 401, 403, 404, 405, 413].filter((status) => !statuses.has(status))).toEqual([]);
  });
});
