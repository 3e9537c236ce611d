// The Slack surface stays readable: one registry whose ids are unique and used by the views, and
// handlers (in `*-handlers.ts` files of a capability's slack/ folder) of at most 40 lines each.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as ids from "../../src/slack/kit/ids.ts";
import { SLACK_REGISTRY } from "../../src/slack/registry.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const MAX_HANDLER_LINES = 40;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

const files = sourceFiles("src");
const handlerFiles = files.filter((f) => /\/slack\/[^/]+-handlers\.ts$/.test(f));

type FunctionSpan = { file: string; name: string; lines: number; exported: boolean };

/** Every top-level function of a file (declarations and arrow functions bound to a const). */
function functionsOf(file: string): FunctionSpan[] {
  const text = readFileSync(join(root, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const span = (node: ts.Node, name: string, exported: boolean): FunctionSpan => ({
    file,
    name,
    lines: lineOf(node.getEnd()) - lineOf(node.getStart(source)) + 1,
    exported,
  });
  const isExported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return source.statements.flatMap((statement) => {
    if (ts.isFunctionDeclaration(statement) && statement.name) {
      return [span(statement, statement.name.text, isExported(statement))];
    }
    if (!ts.isVariableStatement(statement)) return [];
    return statement.declarationList.declarations.flatMap((d) =>
      d.initializer && ts.isIdentifier(d.name) && ts.isArrowFunction(d.initializer)
        ? [span(d, d.name.text, isExported(statement))]
        : [],
    );
  });
}

const routes = [
  ...SLACK_REGISTRY.commands.map((r) => ({ kind: "command", ...r })),
  ...SLACK_REGISTRY.actions.map((r) => ({ kind: "action", ...r })),
  ...SLACK_REGISTRY.views.map((r) => ({ kind: "view", ...r })),
  ...SLACK_REGISTRY.options.map((r) => ({ kind: "options", ...r })),
  ...SLACK_REGISTRY.events.map((r) => ({ kind: "event", ...r })),
];

describe("Slack handlers", () => {
  const spans = handlerFiles.flatMap(functionsOf);

  it("are found where the registry says handlers live", () => {
    expect(handlerFiles.length).toBeGreaterThan(0);
    const exported = new Set(spans.filter((s) => s.exported).map((s) => s.name));
    const elsewhere = routes.filter((r) => !exported.has(r.handler.name)).map((r) => `${r.kind} ${r.id}`);
    expect(elsewhere, "handlers not exported by a */slack/*-handlers.ts file").toEqual([]);
  });

  it(`are at most ${MAX_HANDLER_LINES} lines each, helpers included`, () => {
    const long = spans
      .filter((s) => s.lines > MAX_HANDLER_LINES)
      .map((s) => `${s.file}: ${s.name} has ${s.lines} lines`);
    expect(long).toEqual([]);
  });
});

describe("the Slack registry", () => {
  it("lists each id once per kind", () => {
    for (const kind of ["command", "action", "view", "options", "event"]) {
      const of = routes.filter((r) => r.kind === kind).map((r) => r.id);
      expect(
        of.filter((id, i) => of.indexOf(id) !== i),
        `${kind} ids listed twice`,
      ).toEqual([]);
    }
  });

  it("routes every id of the surfaces it owns (no capability registers its own listeners)", () => {
    const owned = {
      action: [ids.AGING_ACTIONS, ids.COLLECTION_ACTIONS, ids.BANK_ACTIONS, ids.TIMESHEET_ACTIONS],
      view: [ids.COLLECTION_CALLBACKS, ids.TIMESHEET_CALLBACKS],
    };
    for (const [kind, groups] of Object.entries(owned)) {
      const routed = new Set(routes.filter((r) => r.kind === kind).map((r) => r.id));
      const missing = groups.flatMap((group) => Object.values(group)).filter((id) => !routed.has(id));
      expect(missing, `${kind} ids without a route in the registry`).toEqual([]);
    }
    const registering = files.filter((f) =>
      /\bregisterTimesheetListeners\b/.test(readFileSync(join(root, f), "utf8")),
    );
    expect(registering).toEqual([]);
  });

  it("answers only the commands the manifest declares", () => {
    const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8"));
    const declared = new Set(manifest.features.slash_commands.map((c: { command: string }) => c.command));
    for (const route of SLACK_REGISTRY.commands) expect(declared).toContain(route.id);
  });

  it("answers exactly the events the manifest subscribes to (one Slack sends unanswered is wasted work)", () => {
    const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8"));
    const subscribed: string[] = manifest.settings.event_subscriptions.bot_events;
    expect(SLACK_REGISTRY.events.map((r) => r.id).sort()).toEqual([...subscribed].sort());
  });

  it("answers only ids a view of Cobro uses (an action, modal or menu nobody can send is dead)", () => {
    // The ids' names (`AGING_ACTIONS.share`) as views write them, by value.
    const names = new Map<string, string[]>();
    for (const [group, value] of Object.entries(ids)) {
      if (!value || typeof value !== "object" || Array.isArray(value)) continue;
      for (const [key, id] of Object.entries(value)) {
        if (typeof id === "string") names.set(id, [...(names.get(id) ?? []), `${group}.${key}`]);
      }
    }
    const views = files
      .filter(
        (f) => !handlerFiles.includes(f) && !f.endsWith("slack/registry.ts") && !f.endsWith("kit/ids.ts"),
      )
      .map((f) => readFileSync(join(root, f), "utf8"))
      .join("\n");
    const unused = routes
      .filter((r) => r.kind !== "command" && r.kind !== "event")
      .filter(
        (r) =>
          !(names.get(r.id) ?? []).some((name) =>
            new RegExp(`\\b${name.replace(".", "\\.")}\\b`).test(views),
          ),
      )
      .map((r) => `${r.kind} ${r.id}`);
    expect(unused).toEqual([]);
  });
});
