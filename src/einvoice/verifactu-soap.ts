// The SOAP 1.1 envelope around a VERI*FACTU submission and the reading of the AEAT's answer
// (RespuestaRegFactuSistemaFacturacion, RespuestaSuministro.xsd, or a SOAP Fault). Pure: text in,
// text or a typed answer out. fast-xml-parser reads the answer (namespace prefixes dropped).
import { XMLParser } from "fast-xml-parser";

const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

/** The body built by buildVerifactuSubmission, inside a SOAP 1.1 envelope. */
export function soapEnvelope(submissionXml: string): string {
  const body = submissionXml.replace(/^<\?xml[^>]*\?>\s*/, "");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="${SOAP_NS}"><soapenv:Header/><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>\n`;
}

export type AeatRecordState = "Correcto" | "AceptadoConErrores" | "Incorrecto";

export type AeatLine = {
  issuerNif: string;
  seriesNumber: string;
  /** dd-mm-yyyy, as sent */
  issueDate: string;
  operation: "Alta" | "Anulacion";
  ref: string | null;
  state: AeatRecordState;
  errorCode: string | null;
  error: string | null;
  /** Error 3000: the AEAT already holds this record, in this state (Correcta, AceptadaConErrores, Anulada). */
  duplicateState: string | null;
};

export type AeatAnswer =
  | {
      kind: "answer";
      csv: string | null;
      waitSeconds: number;
      state: "Correcto" | "ParcialmenteCorrecto" | "Incorrecto";
      lines: AeatLine[];
    }
  /** The whole submission refused (SOAP Fault): nothing in it was recorded. */
  | { kind: "fault"; code: string; message: string };

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "RespuestaLinea",
});

type Tree = Record<string, unknown>;
const obj = (value: unknown): Tree => (value && typeof value === "object" ? (value as Tree) : {});
const text = (value: unknown): string | null =>
  typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;

/** The AEAT's answer, or an Error saying what is missing when it is not one. */
export function parseAeatAnswer(xml: string): AeatAnswer {
  const envelope = obj(parser.parse(xml).Envelope);
  const body = obj(envelope.Body);
  if (body.Fault !== undefined) {
    const fault = obj(body.Fault);
    return {
      kind: "fault",
      code: text(fault.faultcode) ?? "Fault",
      message: text(fault.faultstring) ?? "the AEAT refused the submission",
    };
  }
  const answer = body.RespuestaRegFactuSistemaFacturacion;
  if (answer === undefined)
    throw new Error("not a VERI*FACTU answer (no RespuestaRegFactuSistemaFacturacion)");
  const root = obj(answer);
  const state = text(root.EstadoEnvio);
  if (state !== "Correcto" && state !== "ParcialmenteCorrecto" && state !== "Incorrecto") {
    throw new Error(`VERI*FACTU answer with EstadoEnvio ${JSON.stringify(state)}`);
  }
  const wait = Number(text(root.TiempoEsperaEnvio) ?? "60");
  return {
    kind: "answer",
    csv: text(root.CSV),
    waitSeconds: Number.isFinite(wait) && wait >= 0 ? wait : 60,
    state,
    lines: ((root.RespuestaLinea as unknown[] | undefined) ?? []).map((raw) => {
      const line = obj(raw);
      const id = obj(line.IDFactura);
      const duplicate = line.RegistroDuplicado === undefined ? null : obj(line.RegistroDuplicado);
      const lineState = text(line.EstadoRegistro);
      if (lineState !== "Correcto" && lineState !== "AceptadoConErrores" && lineState !== "Incorrecto") {
        throw new Error(`VERI*FACTU answer line with EstadoRegistro ${JSON.stringify(lineState)}`);
      }
      return {
        issuerNif: text(id.IDEmisorFactura) ?? text(id.IDEmisorFacturaAnulada) ?? "",
        seriesNumber: text(id.NumSerieFactura) ?? text(id.NumSerieFacturaAnulada) ?? "",
        issueDate: text(id.FechaExpedicionFactura) ?? text(id.FechaExpedicionFacturaAnulada) ?? "",
        operation: text(obj(line.Operacion).TipoOperacion) === "Anulacion" ? "Anulacion" : "Alta",
        ref: text(line.RefExterna),
        state: lineState,
        errorCode: text(line.CodigoErrorRegistro),
        error: text(line.DescripcionErrorRegistro),
        duplicateState: duplicate ? text(duplicate.EstadoRegistroDuplicado) : null,
      };
    }),
  };
}
