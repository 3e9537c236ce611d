import { describe, expect, it } from "vitest";
import { isCalendarDate } from "../../src/domain/calendar.ts";
import {
  checkHeader,
  decimalToMinor,
  normalizeDecimal,
  type RawRow,
  validateImportRows,
} from "../../src/domain/import-rows.ts";

const rows = (header: string, ...lines: string[]): RawRow[] => {
  const names = header.split(",");
  return lines.map((line, i) => {
    const cells = line.split(",");
    return { line: i + 2, cells: Object.fromEntries(names.map((n, j) => [n, cells[j] ?? ""])) };
  });
};

describe("amount cells", () => {
  it("normalises the shape exactly and defers the currency's decimals", () => {
    const text = (input: string, decimalComma = false) => {
      const r = normalizeDecimal(input, { decimalComma });
      return r.ok ? r.text : r.message;
    };
    expect(text("1,234.50")).toBe("1234.5");
    expect(text("1.234,56", true)).toBe("1234.56");
    expect(text("7")).toBe("7");
    expect(text("1.234,56")).toMatch(/--decimal-comma/);
    expect(text("12.34567")).toBe("has more than 4 decimals");
    const ok = normalizeDecimal("12.345");
    if (!ok.ok) throw new Error("expected ok");
    expect(decimalToMinor(ok.text, "KWD")).toBe(12345);
    expect(decimalToMinor(ok.text, "EUR")).toBe("has too many decimals: EUR has 2 decimals");
  });

  it("knows calendar dates", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2025-02-29")).toBe(false);
    expect(isCalendarDate("2025-13-01")).toBe(false);
    expect(isCalendarDate("31/01/2025")).toBe(false);
  });
});

describe("validateImportRows", () => {
  it("types a good client row and applies defaults", () => {
    const result = validateImportRows(
      "clients",
      rows(
        "external_id,name,profile,emails,currency,payment_terms_days,language,tax_id,country",
        "C1,Acme, Business ,A@x.example; b@x.example,eur,,,es b-1234567-4,es",
      ),
    );
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual([
      {
        line: 2,
        externalId: "C1",
        name: "Acme",
        profile: "business",
        emails: ["a@x.example", "b@x.example"],
        currency: "EUR",
        paymentTermsDays: 30,
        language: "en",
        taxId: "ESB12345674",
        country: "ES",
        details: {
          address: undefined,
          siren: undefined,
          poReference: undefined,
          withholdingRateBp: undefined,
          collectorEmail: undefined,
          electronicAddress: undefined,
          paymentMethod: undefined,
        },
      },
    ]);
  });

  it("reports every bad cell with line and column, and repeated keys", () => {
    const result = validateImportRows(
      "invoices",
      rows(
        "number,client_external_id,project_code,issue_date,due_date,currency,total,open_amount",
        "F-1,C1,,2025-01-10,2025-01-01,EUR,100,150",
        ",C1,bad code,2025-02-30,2025-03-01,EURO,-5,",
        "F-1,C1,,2025-01-10,2025-02-10,EUR,100.001,",
        "F-1,C1,,2025-01-10,2025-02-10,EUR,100,",
        "F-1,C1,,2025-01-10,2025-02-10,EUR,200,",
      ),
    );
    expect(result.errors).toEqual([
      { line: 2, column: "due_date", message: "is before issue_date" },
      { line: 3, column: "number", message: "is required" },
      { line: 3, column: "project_code", message: expect.stringContaining("no spaces") },
      { line: 3, column: "issue_date", message: expect.stringContaining("YYYY-MM-DD") },
      { line: 3, column: "currency", message: expect.stringContaining("ISO 4217") },
      { line: 3, column: "total", message: "must be greater than zero" },
      { line: 4, column: "total", message: "has too many decimals: EUR has 2 decimals" },
      { line: 6, column: "number", message: "repeats line 5" },
    ]);
    const open = validateImportRows(
      "invoices",
      rows(
        "number,client_external_id,issue_date,due_date,currency,total,open_amount",
        "F-2,C1,2025-01-10,2025-02-10,EUR,100,150",
      ),
    );
    expect(open.errors).toEqual([{ line: 2, column: "open_amount", message: "is larger than total" }]);
  });

  it("reads payments with a decimal comma and defaults the method", () => {
    const cells = (amount: string, method: string, reference: string) => ({
      invoice_number: "F-1",
      date: "2025-03-01",
      amount,
      method,
      reference,
    });
    const result = validateImportRows(
      "payments",
      [
        { line: 2, cells: cells("1.200,5", "", "") },
        { line: 3, cells: cells("3", "check", "R1") },
      ],
      { decimalComma: true },
    );
    expect(result.errors).toEqual([]);
    expect(result.rows.map((r) => [r.amount, r.method, r.reference])).toEqual([
      ["1200.5", "transfer", null],
      ["3", "cheque", "R1"],
    ]);
  });

  it("checks projects and milestones cells", () => {
    const projects = validateImportRows(
      "projects",
      rows(
        "code,client_external_id,name,billing_mode,slack_channel,pm_email",
        "atlas,C1,Atlas,T&M,#general,pm@",
      ),
    );
    expect(projects.errors.map((e) => e.column)).toEqual(["slack_channel", "pm_email"]);
    const milestones = validateImportRows(
      "milestones",
      rows("project_code,name,amount,status", "atlas,Design,0,invoiced", "atlas,design,10,"),
    );
    expect(milestones.errors).toEqual([
      { line: 2, column: "amount", message: "must be greater than zero" },
      { line: 2, column: "status", message: "must be one of planned, done" },
    ]);
    expect(milestones.rows).toHaveLength(1);
  });
});

describe("checkHeader", () => {
  it("names missing, unknown and repeated columns on line 1", () => {
    expect(checkHeader("payments", ["invoice_number", "amount", "amount", "memo"])).toEqual([
      { line: 1, column: "amount", message: "appears twice in the header" },
      { line: 1, column: "memo", message: expect.stringContaining("unknown column for payments") },
      { line: 1, column: "date", message: "required column is missing" },
    ]);
    expect(checkHeader("clients", ["external_id", "name", "profile", "currency", "country"])).toEqual([]);
  });
});
