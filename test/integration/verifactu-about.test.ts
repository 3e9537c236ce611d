import { readFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { DECLARACION_TITLE } from "../../src/domain/declaracion-responsable.ts";
import { COBRO_VERSION, DECLARACION_SIGNED_ON } from "../../src/version.ts";
import { backend, testDatabase } from "../helpers/db.ts";
import { createWorkspace } from "../helpers/factories.ts";
import { type SlackTestApp, startSlackTestApp } from "../helpers/slack.ts";
import { slackApi } from "../helpers/slack-api.ts";

const api = slackApi();
let database: Database;
let app: SlackTestApp;
beforeAll(async () => {
  database = await testDatabase();
  app = await startSlackTestApp({ db: database.db });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => api.reset());

describe(`/cobro about on ${backend()}`, () => {
  it("shows this version's declaración responsable, items a) to l), with the company running its own Cobro as producer", async () => {
    const workspace = await createWorkspace(database.db); // Acme Consulting SL, NIF B12345678, Madrid
    await app.command({ teamId: workspace.slackTeamId!, userId: "UANY", command: "/cobro", text: "about" });
    await api.waitFor("hook");
    const reply = api.hooks()[0]!.body;
    expect(reply.response_type).toBe("ephemeral");
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain(DECLARACION_TITLE);
    const letters = [...blocks.matchAll(/\*([a-l])\) /g)].map((m) => m[1]);
    expect(letters).toEqual(["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]);
    expect(blocks).toContain("*a) Nombre del sistema informático:* Cobro");
    expect(blocks).toContain("*b) Código identificador del sistema informático:* CB");
    expect(blocks).toContain(`*c) Identificador completo de la versión:* ${COBRO_VERSION}`);
    expect(blocks).toContain("*e) Si funciona exclusivamente como VERI*FACTU:* Sí");
    expect(blocks).toContain("*h) Nombre o razón social del productor:* Acme Consulting SL");
    expect(blocks).toContain("*i) NIF del productor:* B12345678");
    expect(blocks).toContain(
      "*j) Dirección postal completa del productor:* Calle Mayor 1, 28013 Madrid, España",
    );
    expect(blocks).toContain("*l) Fecha y lugar de la firma:* 3 de diciembre de 2026, Madrid (España)");
    expect(blocks).not.toContain("sin declarar");
  });

  it("keeps docs/declaracion-responsable.md in step with the version and its date", () => {
    const doc = readFileSync(new URL("../../docs/declaracion-responsable.md", import.meta.url), "utf8");
    expect(doc).toContain(DECLARACION_TITLE);
    expect(doc).toContain(`Versión ${COBRO_VERSION}`);
    expect(doc).toContain(DECLARACION_SIGNED_ON);
  });
});
