import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  aeatTimestamp,
  altaHashInput,
  anulacionHashInput,
  madridTimestamp,
  verifactuScope,
  verificationUrl,
} from "../../src/domain/verifactu.ts";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex").toUpperCase();

// The official AEAT vectors (hash specification v0.1.2): first alta, chained alta, anulación.
describe("VERI*FACTU hash chain", () => {
  const first = {
    issuerNif: "89890001K",
    issuerName: "Empresa de prueba",
    seriesNumber: "12345678/G33",
    issueDate: "2024-01-01",
    invoiceType: "F1" as const,
    vatMinor: 1235,
    totalMinor: 12345,
    currency: "EUR",
    generatedAt: "2024-01-01T19:20:30+01:00",
    previous: null,
  };

  it("reproduces the AEAT vector for the first record of a chain", () => {
    const input = altaHashInput(first);
    expect(input).toBe(
      "IDEmisorFactura=89890001K&NumSerieFactura=12345678/G33&FechaExpedicionFactura=01-01-2024&TipoFactura=F1&CuotaTotal=12.35&ImporteTotal=123.45&Huella=&FechaHoraHusoGenRegistro=2024-01-01T19:20:30+01:00",
    );
    expect(sha256(input)).toBe("3C464DAF61ACB827C65FDA19F352A4E3BDC2C640E9E9FC4CC058073F38F12F60");
  });

  it("reproduces the chained alta and the anulación vectors", () => {
    const firstHash = sha256(altaHashInput(first));
    const second = {
      ...first,
      seriesNumber: "12345679/G34",
      generatedAt: "2024-01-01T19:20:35+01:00",
      previous: {
        issuerNif: "89890001K",
        seriesNumber: "12345678/G33",
        issueDate: "2024-01-01",
        hash: firstHash,
      },
    };
    const secondHash = sha256(altaHashInput(second));
    expect(secondHash).toBe("F7B94CFD8924EDFF273501B01EE5153E4CE8F259766F88CF6ACB8935802A2B97");
    const cancel = anulacionHashInput({
      issuerNif: "89890001K",
      seriesNumber: "12345679/G34",
      issueDate: "2024-01-01",
      generatedAt: "2024-01-01T19:20:40+01:00",
      previous: {
        issuerNif: "89890001K",
        seriesNumber: "12345679/G34",
        issueDate: "2024-01-01",
        hash: secondHash,
      },
    });
    expect(sha256(cancel)).toBe("177547C0D57AC74748561D054A9CEC14B4C4EA23D1BEFD6F2E69E3A388F90C68");
  });

  it("builds the QR verification URL with URL-encoded values", () => {
    expect(
      verificationUrl(
        {
          issuerNif: "89890001K",
          seriesNumber: "12345678&G33",
          issueDate: "2024-01-01",
          totalMinor: 24140,
          currency: "EUR",
        },
        "test",
      ),
    ).toBe(
      "https://prewww2.aeat.es/wlpl/TIKE-CONT/ValidarQR?nif=89890001K&numserie=12345678%26G33&fecha=01-01-2024&importe=241.40",
    );
  });

  it("writes generation times with the Madrid offset in winter and summer", () => {
    expect(madridTimestamp(new Date("2024-01-01T18:20:30Z"))).toBe("2024-01-01T19:20:30+01:00");
    expect(madridTimestamp(new Date("2024-07-01T18:20:30Z"))).toBe("2024-07-01T20:20:30+02:00");
  });
});

describe("VERI*FACTU scope of a seller", () => {
  const spanish = { address: { country: "ES" } };

  it("takes the NIF from the Spanish VAT id when the NIF field is empty", () => {
    expect(verifactuScope({ ...spanish, vatId: "ESB12345678" })).toEqual({
      applies: true,
      nif: "B12345678",
      timeZone: "Europe/Madrid",
      canarias: false,
    });
    expect(verifactuScope({ ...spanish, nif: "b-1234567-8", vatId: "ESA00000000" })).toMatchObject({
      nif: "B12345678",
    });
  });

  it("leaves out SII filers and the foral territories, saying why", () => {
    const sii = verifactuScope({ ...spanish, nif: "B12345678", siiFiler: true });
    expect(sii).toMatchObject({ applies: false, spanish: true });
    expect(!sii.applies && sii.reason).toMatch(/SII/);
    const basque = verifactuScope({ ...spanish, nif: "B12345678", taxTerritory: "pais_vasco" });
    expect(!basque.applies && basque.reason).toMatch(/País Vasco \(TicketBAI\)/);
    const navarra = verifactuScope({ ...spanish, nif: "B12345678", taxTerritory: "navarra" });
    expect(!navarra.applies && navarra.reason).toMatch(/Navarra/);
    const noNif = verifactuScope({ ...spanish, vatId: "FR32123456789" });
    expect(!noNif.applies && noNif.reason).toMatch(/neither a NIF nor a Spanish VAT id/);
    expect(verifactuScope({ address: { country: "FR" }, nif: "B12345678" })).toMatchObject({
      applies: false,
      spanish: false,
    });
  });

  it("times Canary Islands records in Atlantic/Canary (+00:00 in winter, +01:00 in summer)", () => {
    const canarias = verifactuScope({ ...spanish, nif: "B12345678", taxTerritory: "canarias" });
    expect(canarias).toMatchObject({ applies: true, timeZone: "Atlantic/Canary", canarias: true });
    expect(aeatTimestamp(new Date("2024-01-01T18:20:30Z"), "Atlantic/Canary")).toBe(
      "2024-01-01T18:20:30+00:00",
    );
    expect(aeatTimestamp(new Date("2024-07-01T18:20:30Z"), "Atlantic/Canary")).toBe(
      "2024-07-01T19:20:30+01:00",
    );
  });
});
