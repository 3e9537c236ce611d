// `npm run bench:request-files`: how many of Cobro's source files one request runs through. V8's
// precise coverage (node:inspector) is reset just before the request and read when its reply (or
// e-mail) is out, so a file counts only when code in it ran for that request. Two walks: `/aging`
// from the signed command to its blocks on response_url, and `/milestone done` (auto-issue on) to
// the invoice e-mail handed to SendGrid. Real Bolt over signed HTTP on PGlite, Slack and SendGrid
// are msw stand-ins (test/helpers). Prints the counts and the files, by folder.
import { Session } from "node:inspector/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { HttpResponse, http } from "msw";
import { createSendgridMailer } from "../src/delivery/email/sendgrid-mailer.ts";
import { byPayloadType } from "../src/delivery/index.ts";
import { INVOICE_EMAIL_PAYLOAD } from "../src/invoicing/index.ts";
import { sendInvoiceEmailHandler } from "../src/invoicing/jobs/send-invoice-email.ts";
import { testDatabase } from "../test/helpers/db.ts";
import { serviceDeps } from "../test/helpers/deps.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../test/helpers/factories.ts";
import { startSlackTestApp } from "../test/helpers/slack.ts";
import { slackApi } from "../test/helpers/slack-api.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const SENDGRID = "https://sendgrid.test";

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });

/** Source files under src/ in which at least one function ran since the last call. */
async function filesRunSinceLastCall(): Promise<string[]> {
  const { result } = await session.post("Profiler.takePreciseCoverage");
  const files = new Set<string>();
  for (const script of result) {
    if (!script.url.startsWith("file://")) continue;
    const path = relative(root, fileURLToPath(script.url.split("?")[0] ?? script.url));
    // src/console is the test harness's side here (it signs the requests and decodes replies).
    if (!path.startsWith("src/") || path.startsWith("src/console/")) continue;
    if (script.functions.some((fn) => (fn.ranges[0]?.count ?? 0) > 0)) files.add(path);
  }
  return [...files].sort();
}

function print(title: string, files: string[]) {
  console.log(`\n${title}: ${files.length} source files`);
  const byFolder = new Map<string, string[]>();
  for (const file of files) {
    const folder = file.split("/").slice(0, -1).join("/");
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), file.split("/").at(-1) ?? file]);
  }
  for (const [folder, names] of [...byFolder].sort())
    console.log(`  ${folder}/ (${names.length}): ${names.join(", ")}`);
}

const api = slackApi();
const sendgrid = http.post(
  `${SENDGRID}/v3/mail/send`,
  () => new HttpResponse(null, { status: 202, headers: { "x-message-id": "sg-1" } }),
);
const database = await testDatabase();
const db = database.db;
const app = await startSlackTestApp({ db });
app.handlers.email = byPayloadType({
  [INVOICE_EMAIL_PAYLOAD]: sendInvoiceEmailHandler({
    ...serviceDeps(db, app.now),
    mailer: createSendgridMailer({ apiKey: "SG.bench", apiUrl: SENDGRID, now: app.now }),
    publicUrl: "https://cobro.example",
    mailFrom: "billing@cobro.example",
  }),
});

// --- /aging ----------------------------------------------------------------------------------------
const ws = await createWorkspace(db, { settings: { autoIssueOnMilestone: true } });
const teamId = ws.slackTeamId as string;
await createMember(db, ws.id, { slackUserId: "UCOLLECT", roles: ["collector", "billing"] });
const client = await createClient(db, ws.id, { name: "Globex", emails: ["ap@globex.example"] });
await createIssuedInvoice(db, ws.id, client.id, { totalMinor: 50_000, dueDate: "2026-10-01" });
// A first request of each kind warms what runs once per process (caches, lazy imports).
await app.command({ teamId, userId: "UCOLLECT", command: "/aging", text: "" });
await api.waitFor("hook");
api.reset();
await filesRunSinceLastCall();
await app.command({ teamId, userId: "UCOLLECT", command: "/aging", text: "" });
await api.waitFor("hook");
print("/aging → its blocks on response_url", await filesRunSinceLastCall());

// --- /milestone done → invoice e-mail -------------------------------------------------------------
const project = await createProject(db, ws.id, client.id, { code: "ATLAS", name: "Atlas" });
await createMilestone(db, ws.id, project.id, { name: "Warm-up", amountMinor: 100_000 });
await createMilestone(db, ws.id, project.id, { name: "Design phase", amountMinor: 500_000 });
const sent = async (milestone: string) => {
  api.reset();
  api.server.use(sendgrid);
  await app.command({ teamId, userId: "UCOLLECT", command: "/milestone", text: `done atlas ${milestone}` });
  await api.waitFor("hook");
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify(api.hooks().map((h) => h.body.text)));
  // The Slack posts first, then the e-mail (its claim waits for the post's thread).
  const outcomes = [...(await app.runDeliveries()), ...(await app.runDeliveries())];
  if (process.env.BENCH_DEBUG) console.log(JSON.stringify(outcomes));
};
await sent("warm-up");
await filesRunSinceLastCall();
await sent("design");
print("/milestone done → invoice e-mail to SendGrid", await filesRunSinceLastCall());

await app.close();
await session.post("Profiler.stopPreciseCoverage");
session.disconnect();
await database.close();
process.exit(0);
