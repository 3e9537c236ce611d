// The body of a VERI*FACTU submission to the AEAT (RegFactuSistemaFacturacion, SuministroLR.xsd):
// the chained records (altas and anulaciones) of one issuer, with the amounts exactly as they were hashed. Pure:
// records and their invoices in, XML out; the tests validate it against the AEAT's schemas.
import { DomainError } from "../domain/errors.ts";
import { EU_COUNTRIES } from "../domain/invoice-totals.ts";
import { aeatDate, type PreviousRecord } from "../domain/verifactu.ts";
import { leaf, node, rootElement, type XmlNode } from "./xml.ts";

const NS_LR =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroLR.xsd";
const NS_INFO =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd";
/** How Cobro names itself as a SIF (declaración responsable items a and b). */
export const VERIFACTU_SYSTEM = { name: "Cobro", id: "CB" } as const;
/** At most 1000 records a submission (SuministroLR.xsd). */
export const VERIFACTU_MAX_RECORDS = 1000;

export type VerifactuSystem = {
  /** Who produced the system; a self-hosted Cobro names its operator. */
  producerName: string;
  producerNif: string;
  version: string;
  installation: string;
};

/** One VAT line in euros, signed like the record (negative on a credit note). */
export type VerifactuVatLine = {
  category: string;
  rateBp: number;
  baseCents: number;
  vatCents: number;
};

/** A stored "alta" record (its identity and hash as chained) and what the AEAT wants beside it. */
export type VerifactuAltaRecord = PreviousRecord & {
  kind?: "alta";
  invoiceType: string;
  /** Rectificativas: I por diferencias, S por sustitución. */
  rectificationType?: "I" | "S" | null;
  /** Por sustitución: the base and VAT of the invoice being replaced (ImporteRectificacion). */
  replaced?: { baseCents: number; vatCents: number } | null;
  /** The issuer files in the Canary Islands: its tax is IGIC, not IVA. */
  canarias?: boolean;
  /** Outside the scope of Spanish VAT because the place of supply is abroad (N2), not by nature (N1). */
  placeOfSupplyAbroad?: boolean;
  hashInput: string;
  generatedAt: string;
  previous: PreviousRecord | null;
  /** Cobro's invoice id, so an AEAT answer can be matched back. */
  invoiceId: string;
  description: string;
  recipient: { name: string; country: string; taxId: string | null } | null;
  corrects: Omit<PreviousRecord, "hash"> | null;
  vatLines: VerifactuVatLine[];
  /** A corrected re-send (Subsanacion = S); RechazoPrevio S when the AEAT refused the first one. */
  correction?: { rechazoPrevio: "N" | "S" } | undefined;
};

/** A stored "anulación" record: the cancelled invoice's identity, chained like any record. */
export type VerifactuAnulacionRecord = PreviousRecord & {
  kind: "anulacion";
  hashInput: string;
  generatedAt: string;
  previous: PreviousRecord | null;
  invoiceId: string;
  /** The AEAT holds no alta of the invoice (every one was refused): SinRegistroPrevio = S. */
  sinRegistroPrevio?: boolean | undefined;
};

export type VerifactuRecord = VerifactuAltaRecord | VerifactuAnulacionRecord;

export function buildVerifactuSubmission(input: {
  issuer: { name: string; nif: string };
  system: VerifactuSystem;
  records: readonly VerifactuRecord[];
  /** Records sent late because sending failed (Orden HAC/1177/2024 art. 16.4). */
  incident?: boolean;
}): string {
  if (input.records.length === 0 || input.records.length > VERIFACTU_MAX_RECORDS) {
    throw new DomainError("verifactu.batch", `${input.records.length} records in one submission`, {
      userMessage: `A VERI*FACTU submission carries 1 to ${VERIFACTU_MAX_RECORDS} records.`,
    });
  }
  return rootElement(
    "sfLR:RegFactuSistemaFacturacion",
    { "xmlns:sfLR": NS_LR, "xmlns:sf": NS_INFO },
    node(
      "sfLR:Cabecera",
      node(
        "sf:ObligadoEmision",
        leaf("sf:NombreRazon", cut(input.issuer.name, 120)),
        leaf("sf:NIF", input.issuer.nif),
      ),
      input.incident ? node("sf:RemisionVoluntaria", leaf("sf:Incidencia", "S")) : undefined,
    ),
    ...input.records.map((record) =>
      node(
        "sfLR:RegistroFactura",
        record.kind === "anulacion"
          ? anulacionRecord(record, input.system)
          : altaRecord(record, input.issuer.name, input.system),
      ),
    ),
  );
}

function altaRecord(record: VerifactuAltaRecord, issuerName: string, system: VerifactuSystem): XmlNode {
  const hashed = hashedFields(record.hashInput);
  const rectifying = record.invoiceType.startsWith("R");
  const children: XmlNode[] = [
    leaf("sf:IDVersion", "1.0"),
    node("sf:IDFactura", ...invoiceIdentity(record)),
    leaf("sf:RefExterna", record.invoiceId.slice(0, 60)),
    leaf("sf:NombreRazonEmisor", cut(issuerName, 120)),
    record.correction ? leaf("sf:Subsanacion", "S") : undefined,
    record.correction ? leaf("sf:RechazoPrevio", record.correction.rechazoPrevio) : undefined,
    leaf("sf:TipoFactura", record.invoiceType),
    rectifying ? leaf("sf:TipoRectificativa", record.rectificationType ?? "I") : undefined,
    rectifying && record.corrects
      ? node("sf:FacturasRectificadas", node("sf:IDFacturaRectificada", ...invoiceIdentity(record.corrects)))
      : undefined,
    rectifying && record.rectificationType === "S" && record.replaced
      ? node(
          "sf:ImporteRectificacion",
          leaf("sf:BaseRectificada", cents(record.replaced.baseCents)),
          leaf("sf:CuotaRectificada", cents(record.replaced.vatCents)),
        )
      : undefined,
    leaf("sf:DescripcionOperacion", cut(record.description.trim() || record.seriesNumber, 500)),
    // A recipient without a tax id (a consumer) is the case RD 1619/2012 art. 6.1.d allows.
    record.recipient ? undefined : leaf("sf:FacturaSinIdentifDestinatarioArt61d", "S"),
    record.recipient ? node("sf:Destinatarios", recipient(record.recipient)) : undefined,
    node(
      "sf:Desglose",
      ...record.vatLines.map((line) => vatDetail(line, record.canarias ?? false, record.placeOfSupplyAbroad)),
    ),
    leaf("sf:CuotaTotal", hashed.CuotaTotal),
    leaf("sf:ImporteTotal", hashed.ImporteTotal),
    chaining(record.previous),
    systemInfo(system),
    leaf("sf:FechaHoraHusoGenRegistro", hashed.FechaHoraHusoGenRegistro),
    leaf("sf:TipoHuella", "01"),
    leaf("sf:Huella", record.hash),
  ];
  return node("sf:RegistroAlta", ...children);
}

function anulacionRecord(record: VerifactuAnulacionRecord, system: VerifactuSystem) {
  const hashed = hashedFields(record.hashInput, ["FechaHoraHusoGenRegistro"]);
  return node(
    "sf:RegistroAnulacion",
    leaf("sf:IDVersion", "1.0"),
    node("sf:IDFactura", ...invoiceIdentity(record, "Anulada")),
    leaf("sf:RefExterna", record.invoiceId.slice(0, 60)),
    record.sinRegistroPrevio ? leaf("sf:SinRegistroPrevio", "S") : undefined,
    chaining(record.previous),
    systemInfo(system),
    leaf("sf:FechaHoraHusoGenRegistro", hashed.FechaHoraHusoGenRegistro),
    leaf("sf:TipoHuella", "01"),
    leaf("sf:Huella", record.hash),
  );
}

/** How the AEAT names an invoice: issuer NIF, series and number, issue date (each `…Anulada` in a cancellation). */
function invoiceIdentity(invoice: Omit<PreviousRecord, "hash">, suffix: "" | "Anulada" = ""): XmlNode[] {
  return [
    leaf(`sf:IDEmisorFactura${suffix}`, invoice.issuerNif),
    leaf(`sf:NumSerieFactura${suffix}`, invoice.seriesNumber),
    leaf(`sf:FechaExpedicionFactura${suffix}`, aeatDate(invoice.issueDate)),
  ];
}

function chaining(previous: PreviousRecord | null) {
  return node(
    "sf:Encadenamiento",
    previous
      ? node("sf:RegistroAnterior", ...invoiceIdentity(previous), leaf("sf:Huella", previous.hash))
      : leaf("sf:PrimerRegistro", "S"),
  );
}

function systemInfo(system: VerifactuSystem) {
  return node(
    "sf:SistemaInformatico",
    leaf("sf:NombreRazon", cut(system.producerName, 120)),
    leaf("sf:NIF", system.producerNif),
    leaf("sf:NombreSistemaInformatico", VERIFACTU_SYSTEM.name),
    leaf("sf:IdSistemaInformatico", VERIFACTU_SYSTEM.id),
    leaf("sf:Version", cut(system.version, 50)),
    leaf("sf:NumeroInstalacion", cut(system.installation, 100)),
    leaf("sf:TipoUsoPosibleSoloVerifactu", "S"),
    leaf("sf:TipoUsoPosibleMultiOT", "S"),
    leaf("sf:IndicadorMultiplesOT", "N"),
  );
}

/** The values as hashed: the XML must carry exactly these strings. */
function hashedFields(
  hashInput: string,
  required = ["CuotaTotal", "ImporteTotal", "FechaHoraHusoGenRegistro"],
): Record<string, string> {
  const fields: Record<string, string> = {};
  // Values are never escaped in the hash input, but none of these three can contain "&".
  for (const pair of hashInput.split("&")) {
    const at = pair.indexOf("=");
    if (at > 0) fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  for (const name of required) {
    if (fields[name] === undefined) throw new Error(`VERI*FACTU hash input without ${name}`);
  }
  return fields;
}

function recipient(party: { name: string; country: string; taxId: string | null }) {
  const id = party.taxId?.replace(/[\s.-]+/g, "").toUpperCase() ?? "";
  const spanish = party.country.toUpperCase() === "ES";
  const nif = spanish ? id.replace(/^ES/, "") : "";
  return node(
    "sf:IDDestinatario",
    leaf("sf:NombreRazon", cut(party.name, 120)),
    nif.length === 9
      ? leaf("sf:NIF", nif)
      : node(
          "sf:IDOtro",
          leaf("sf:CodigoPais", party.country.toUpperCase()),
          // 02: an EU VAT number (NIF-IVA); 04: an official identity document of another country.
          leaf("sf:IDType", EU_COUNTRIES.has(party.country.toUpperCase()) ? "02" : "04"),
          leaf("sf:ID", cut(id, 20)),
        ),
  );
}

// EN 16931 VAT categories as the AEAT qualifies them. Outside the scope of VAT (O) is N2 when the
// place-of-supply rules put the operation abroad (services to a business outside Spain, LIVA
// art. 69), N1 when it is not a supply at all (late-payment interest).
const QUALIFICATION: Record<
  string,
  { exempt?: string; qualification?: string; rate: boolean; tax?: string }
> = {
  S: { qualification: "S1", rate: true },
  Z: { qualification: "S1", rate: true },
  AE: { qualification: "N2", rate: false },
  G: { qualification: "N2", rate: false },
  O: { qualification: "N1", rate: false },
  E: { exempt: "E1", rate: false },
  K: { exempt: "E5", rate: false },
  L: { qualification: "S1", rate: true, tax: "03" },
  M: { qualification: "S1", rate: true, tax: "02" },
};

function vatDetail(line: VerifactuVatLine, canarias: boolean, placeOfSupplyAbroad = false) {
  const kind = QUALIFICATION[line.category] ?? { exempt: "E6", rate: false };
  const qualification = line.category === "O" && placeOfSupplyAbroad ? "N2" : kind.qualification;
  // The Canary Islands are outside the IVA territory (LIVA art. 3): their sellers charge IGIC.
  const tax = kind.tax ?? (canarias ? "03" : "01");
  return node(
    "sf:DetalleDesglose",
    leaf("sf:Impuesto", tax),
    leaf("sf:ClaveRegimen", "01"),
    kind.exempt ? leaf("sf:OperacionExenta", kind.exempt) : leaf("sf:CalificacionOperacion", qualification),
    kind.rate ? leaf("sf:TipoImpositivo", percent(line.rateBp)) : undefined,
    leaf("sf:BaseImponibleOimporteNoSujeto", cents(line.baseCents)),
    kind.rate ? leaf("sf:CuotaRepercutida", cents(line.vatCents)) : undefined,
  );
}

function cents(value: number): string {
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

function percent(rateBp: number): string {
  return `${Math.trunc(rateBp / 100)}.${String(rateBp % 100).padStart(2, "0")}`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}
