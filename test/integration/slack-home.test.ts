import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bankLines, timesheets } from "../../src/db/schema/index.ts";
import { backend } from "../helpers/db.ts";
import {
  createClient,
  createIssuedInvoice,
  createMember,
  createMilestone,
  createProject,
  createWorkspace,
} from "../helpers/factories.ts";
import { useSlackTestApp } from "../helpers/slack.ts";
import { entry, logEntries } from "../helpers/timesheets.ts";

const slack = useSlackTestApp();
const { api } = slack;

async function openHome(teamId: string, userId: string, slackLocale?: string) {
  api.reset();
  if (slackLocale) api.slackUser(userId, { locale: slackLocale });
  const res = await slack.app.event({
    teamId,
    event: { type: "app_home_opened", user: userId, tab: "home" },
  });
  expect(res.status).toBe(200);
  await api.waitFor("views.publish");
  const view = api.calls("views.publish")[0]!.body.view as { blocks: { type: string }[] };
  return { view, json: JSON.stringify(view) };
}

describe(`App Home over signed HTTP on ${backend()}`, () => {
  it("shows a collector their overdue invoices and the aged balance, a PM their projects' ones, within 100 blocks", async () => {
    const db = slack.database.db;
    const ws = await createWorkspace(db);
    const teamId = ws.slackTeamId as string;
    const collector = await createMember(db, ws.id, { roles: ["collector"] });
    const pm = await createMember(db, ws.id, { roles: ["pm"] });
    const bystander = await createMember(db, ws.id, { roles: [] });
    const mine = await createClient(db, ws.id, { name: "Initech", collectorMemberId: collector.id });
    const other = await createClient(db, ws.id, { name: "Umbrella" });
    const project = await createProject(db, ws.id, other.id, { name: "Hive", pmMemberId: pm.id });
    for (let i = 0; i < 60; i++) {
      await createIssuedInvoice(db, ws.id, mine.id, { totalMinor: 10_000 + i, dueDate: "2026-10-01" });
    }
    await createIssuedInvoice(db, ws.id, other.id, {
      projectId: project.id,
      number: "F-HIVE-1",
      dueDate: "2026-11-01",
    });
    await createIssuedInvoice(db, ws.id, other.id, { number: "F-NOT-DUE", dueDate: "2026-12-31" });

    const asCollector = await openHome(teamId, collector.slackUserId!);
    expect(asCollector.view.blocks.length).toBeLessThanOrEqual(100);
    expect(asCollector.json).toContain("Overdue invoices for you (60)");
    expect(asCollector.json).toContain("you collect");
    expect(asCollector.json).toContain("more overdue");
    expect(asCollector.json).toContain("Aged receivables");
    expect(asCollector.json).toContain("collection_send_reminder_now");
    expect(asCollector.json).not.toContain("F-HIVE-1");

    const asPm = await openHome(teamId, pm.slackUserId!);
    expect(asPm.json).toContain("Overdue invoices for you (1)");
    expect(asPm.json).toContain("F-HIVE-1");
    expect(asPm.json).toContain("your project");
    expect(asPm.json).not.toContain("F-NOT-DUE");
    expect(asPm.json).not.toContain("Aged receivables");
    expect(asPm.json).toContain("Timesheets to approve");

    const asNobody = await openHome(teamId, bystander.slackUserId!);
    expect(asNobody.json).not.toContain("Overdue invoices for you");
    expect(asNobody.json).not.toContain("Aged receivables");
  });

  // Each reader's Slack locale (users.info include_locale): the workspace itself speaks English.
  const READERS = [
    {
      slackLocale: "es-ES",
      says: [
        "Lo que te espera",
        "Tus roles: administración, facturación, cobros y jefe de proyecto.",
        "Hitos pendientes de tus proyectos",
        "Marcar como hecho",
        "previsto para el",
        "Tus facturas vencidas (40)",
        "la cobras tú",
        "32 días de retraso",
        "Ningún borrador en espera.",
        "32 vencidas más",
        "Abrir la configuración",
        "Partes de horas por aprobar (1)",
        "Aprobar todos (1)",
        "Abonos bancarios por confirmar (1)",
        "sin conciliar",
        "(sin concepto)",
      ],
      credit: /300,00\s€ de INITECH IBERIA SA el 20 nov 2026/,
      amount: /1234,56\s€ pendiente/,
    },
    {
      slackLocale: "fr-FR",
      says: [
        "Ce qui vous attend",
        "Vos rôles : administration, facturation, recouvrement et chef de projet.",
        "Jalons à venir sur vos projets",
        "Marquer terminé",
        "prévu le",
        "Vos factures échues (40)",
        "vous la recouvrez",
        "32 jours de retard",
        "Aucun brouillon en attente.",
        "32 autres échues",
        "Ouvrir les paramètres",
        "Feuilles de temps à approuver (1)",
        "Tout approuver (1)",
        "Crédits bancaires à confirmer (1)",
        "non rapproché",
        "(sans libellé)",
      ],
      credit: /300,00\s€ de INITECH IBERIA SA le 20 nov\. 2026/,
      amount: /1\s234,56\s€ dû/,
    },
    {
      slackLocale: "en-US",
      says: [
        "What needs you",
        "Mark done",
        "Timesheets to approve (1)",
        "Approve all (1)",
        "Bank credits waiting (1)",
        "unmatched",
        "(no remittance text)",
      ],
      credit: /€300\.00 from INITECH IBERIA SA on Nov 20, 2026/,
      amount: /€1,234\.56/,
    },
  ] as const;

  it.each(READERS)(
    "speaks to a $slackLocale member in their language, amounts in their format, within 100 blocks",
    async (reader) => {
      const db = slack.database.db;
      const ws = await createWorkspace(db, { locale: "en" });
      const teamId = ws.slackTeamId as string;
      const member = await createMember(db, ws.id, { roles: ["admin", "billing", "collector", "pm"] });
      const client = await createClient(db, ws.id, { name: "Initech", collectorMemberId: member.id });
      const project = await createProject(db, ws.id, client.id, { code: "ATLAS", pmMemberId: member.id });
      for (let i = 0; i < 12; i++) {
        await createMilestone(db, ws.id, project.id, { name: `Fase ${i}`, plannedDate: "2026-12-01" });
      }
      for (let i = 0; i < 40; i++) {
        await createIssuedInvoice(db, ws.id, client.id, { totalMinor: 123_456, dueDate: "2026-10-22" });
      }
      // A week of Ada's time on their project, submitted to them; a bank credit nobody could match.
      await createMember(db, ws.id, { name: "Ada Lovelace", email: "ada@acme.example" });
      await logEntries(db, ws.id, [entry()]);
      await db
        .update(timesheets)
        .set({ status: "submitted", submittedAt: new Date() })
        .where(eq(timesheets.workspaceId, ws.id));
      await db.insert(bankLines).values({
        workspaceId: ws.id,
        dedupeKey: `X-${ws.id}`,
        format: "camt",
        account: "ES7620770024003102575766",
        bookedOn: "2026-11-20",
        amountMinor: 30_000,
        currency: "EUR",
        text: "",
        payerName: "INITECH IBERIA SA",
        outcome: "unmatched",
      });

      const home = await openHome(teamId, member.slackUserId!, reader.slackLocale);
      expect(home.view.blocks.length).toBeLessThanOrEqual(100);
      for (const words of reader.says) expect(home.json).toContain(words);
      expect(home.json).toMatch(reader.amount);
      expect(home.json).toMatch(reader.credit);
      if (reader.slackLocale === "en-US") return;
      for (const english of [
        "What needs you",
        "Mark done",
        "Timesheets to approve",
        "Approve all",
        "Bank credits",
      ])
        expect(home.json).not.toContain(english);
    },
  );
});
