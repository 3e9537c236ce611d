// A loopback stand-in for the AEAT's VERI*FACTU web service: HTTPS that demands a client
// certificate from the test CA, checks each SOAP body against the AEAT's XSDs with xmllint, keeps
// the records it accepted, and answers as RespuestaSuministro.xsd documents (CSV, TiempoEsperaEnvio,
// EstadoEnvio, one RespuestaLinea per record, error 3000 for a record it already holds) or with a
// SOAP Fault. Tests choose what comes next: wait times, rejections, server errors, silence.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { XMLParser } from "fast-xml-parser";
import { leaf, node, rootElement, serialise } from "../../src/einvoice/xml.ts";
import type { TestPki } from "./test-pki.ts";
import { AEAT_SUBMISSION_XSD, validateXml } from "./xml-schema.ts";

const NS_R =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd";
const NS_I =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd";
const SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";

export type ReceivedRecord = {
  operation: "Alta" | "Anulacion";
  issuerNif: string;
  seriesNumber: string;
  issueDate: string;
  hash: string;
  previousHash: string | null;
  first: boolean;
  subsanacion: boolean;
  rechazoPrevio: string | null;
  sinRegistroPrevio: boolean;
};

export type ReceivedRequest = {
  clientSubject: string;
  incidencia: boolean;
  records: ReceivedRecord[];
  answeredWith: "answer" | "fault" | "silence" | "reset";
};

/** What the stand-in does with the next request (one entry per request; "accept" when none is queued). */
export type Behaviour =
  | { kind: "accept"; waitSeconds?: number }
  /** The named series get EstadoRegistro Incorrecto (or AceptadoConErrores) with this code and text. */
  | {
      kind: "refuse";
      series: string[];
      state?: "Incorrecto" | "AceptadoConErrores";
      code?: string;
      text?: string;
      waitSeconds?: number;
    }
  /** HTTP 500 with a SOAP Fault (server side), nothing recorded. */
  | { kind: "serverError" }
  /** Records kept, but no answer: the client times out not knowing. */
  | { kind: "silence" }
  /** The connection is dropped before anything is read. */
  | { kind: "down" };

export type AeatStandIn = {
  url: string;
  requests: ReceivedRequest[];
  /** Records the service holds, by series number, and in which state. */
  held: Map<string, "Correcta" | "AceptadaConErrores">;
  /** How many times each series number arrived in a request the service read. */
  receipts: Map<string, number>;
  /** Problems found by the schema (xmllint) in any request; a test expects none. */
  schemaComplaints: string[];
  next: (...behaviours: Behaviour[]) => void;
  /** Every following request gets this until changed (e.g. a day-long outage). */
  always: (behaviour: Behaviour | null) => void;
  /** Forgets what the last test asked for and did not use: each test starts from "accept". */
  reset: () => void;
  close: () => Promise<void>;
};

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === "RegistroFactura",
});
type Tree = Record<string, unknown>;
const obj = (v: unknown): Tree => (v && typeof v === "object" ? (v as Tree) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export async function startAeatStandIn(pki: TestPki): Promise<AeatStandIn> {
  const queued: Behaviour[] = [];
  let standing: Behaviour | null = null;
  const requests: ReceivedRequest[] = [];
  const held = new Map<string, "Correcta" | "AceptadaConErrores">();
  const receipts = new Map<string, number>();
  const schemaComplaints: string[] = [];
  const sockets = new Set<Socket>();

  const server: Server = createServer(
    { key: pki.serverKey, cert: pki.serverPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const behaviour = queued.shift() ?? standing ?? { kind: "accept" };
      if (behaviour.kind === "down") {
        req.socket.destroy();
        requests.push({ clientSubject: "", incidencia: false, records: [], answeredWith: "reset" });
        return;
      }
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        void (async () => {
          const peer = (req.socket as import("node:tls").TLSSocket).getPeerCertificate();
          const envelope = Buffer.concat(chunks).toString("utf8");
          const reply = (status: number, body: string) => {
            res.writeHead(status, { "content-type": "text/xml; charset=utf-8" });
            res.end(body);
          };
          const body = soapBody(envelope);
          if (!body)
            return reply(
              500,
              fault("env:Client", "Codigo[4102].El XML no cumple el esquema: no es un sobre SOAP 1.1"),
            );
          const complaints = await validateXml(
            `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
            AEAT_SUBMISSION_XSD,
          );
          if (complaints.length > 0) {
            schemaComplaints.push(...complaints);
            return reply(
              500,
              fault("env:Client", `Codigo[4102].El XML no cumple el esquema. ${complaints[0]}`),
            );
          }
          const submission = readSubmission(body);
          const request: ReceivedRequest = {
            clientSubject: String(peer.subject?.CN ?? ""),
            incidencia: submission.incidencia,
            records: submission.records,
            answeredWith: "answer",
          };
          requests.push(request);
          if (behaviour.kind === "serverError") {
            request.answeredWith = "fault";
            return reply(
              500,
              fault("env:Server", "Codigo[-1].Error interno en el servidor, inténtelo más tarde."),
            );
          }
          for (const r of submission.records)
            receipts.set(r.seriesNumber, (receipts.get(r.seriesNumber) ?? 0) + 1);
          const lines = submission.records.map((record) => answerLine(record, behaviour, held));
          if (behaviour.kind === "silence") {
            request.answeredWith = "silence";
            return; // the records are kept; the answer never comes
          }
          const anyAccepted = lines.some((l) => l.state !== "Incorrecto");
          const allAccepted = lines.every((l) => l.state === "Correcto");
          const wait = "waitSeconds" in behaviour ? (behaviour.waitSeconds ?? 60) : 60;
          reply(
            200,
            answer({
              csv: anyAccepted ? `A-${randomBytes(7).toString("hex").toUpperCase()}` : null,
              issuer: submission.issuer,
              incidencia: submission.incidencia,
              waitSeconds: wait,
              state: allAccepted ? "Correcto" : anyAccepted ? "ParcialmenteCorrecto" : "Incorrecto",
              lines,
            }),
          );
        })();
      });
    },
  );
  server.on("secureConnection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => {}); // a client without a certificate is refused at the handshake
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP`,
    requests,
    held,
    receipts,
    schemaComplaints,
    next: (...behaviours) => queued.push(...behaviours),
    always: (behaviour) => {
      standing = behaviour;
    },
    reset: () => {
      queued.length = 0;
      standing = null;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

type Line = {
  record: ReceivedRecord;
  state: "Correcto" | "AceptadoConErrores" | "Incorrecto";
  code?: string;
  text?: string;
  duplicate?: "Correcta" | "AceptadaConErrores";
};

function answerLine(record: ReceivedRecord, behaviour: Behaviour, held: AeatStandIn["held"]): Line {
  if (record.operation === "Anulacion") {
    // An anulación of an invoice the service holds no alta of must say so (SinRegistroPrevio = S);
    // the error code is the stand-in's choice (the AEAT's list of validation codes is not in ../shared).
    if (!held.has(record.seriesNumber) && !record.sinRegistroPrevio) {
      return { record, state: "Incorrecto", code: "3002", text: "No existe el registro de facturación." };
    }
    return { record, state: "Correcto" };
  }
  const already = held.get(record.seriesNumber);
  if (already && !record.subsanacion) {
    return {
      record,
      state: "Incorrecto",
      code: "3000",
      text: "Registro de facturación duplicado.",
      duplicate: already,
    };
  }
  if (record.subsanacion && !already && record.rechazoPrevio !== "S") {
    return {
      record,
      state: "Incorrecto",
      code: "3001",
      text: "Subsanación de un registro que no existe en la AEAT: indique RechazoPrevio.",
    };
  }
  if (behaviour.kind === "refuse" && behaviour.series.includes(record.seriesNumber)) {
    const state = behaviour.state ?? "Incorrecto";
    if (state === "AceptadoConErrores") held.set(record.seriesNumber, "AceptadaConErrores");
    return {
      record,
      state,
      code: behaviour.code ?? "1100",
      text: behaviour.text ?? "Valor o tipo incorrecto del campo: DescripcionOperacion.",
    };
  }
  held.set(record.seriesNumber, "Correcta");
  return { record, state: "Correcto" };
}

function soapBody(envelope: string): string | null {
  if (!envelope.includes(`xmlns:soapenv="${SOAP_NS}"`)) return null;
  const match = /<soapenv:Body>([\s\S]*)<\/soapenv:Body>/.exec(envelope);
  return match?.[1]?.trim() ?? null;
}

function readSubmission(body: string) {
  const root = obj(parser.parse(body).RegFactuSistemaFacturacion);
  const header = obj(root.Cabecera);
  const issuer = obj(header.ObligadoEmision);
  const records = ((root.RegistroFactura as unknown[]) ?? []).map((raw): ReceivedRecord => {
    const cancelling = obj(raw).RegistroAnulacion !== undefined;
    const alta = obj(cancelling ? obj(raw).RegistroAnulacion : obj(raw).RegistroAlta);
    const id = obj(alta.IDFactura);
    const chain = obj(alta.Encadenamiento);
    return {
      operation: cancelling ? "Anulacion" : "Alta",
      issuerNif: str(id.IDEmisorFactura ?? id.IDEmisorFacturaAnulada) ?? "",
      seriesNumber: str(id.NumSerieFactura ?? id.NumSerieFacturaAnulada) ?? "",
      issueDate: str(id.FechaExpedicionFactura ?? id.FechaExpedicionFacturaAnulada) ?? "",
      hash: str(alta.Huella) ?? "",
      previousHash: str(obj(chain.RegistroAnterior).Huella),
      first: str(chain.PrimerRegistro) === "S",
      subsanacion: str(alta.Subsanacion) === "S",
      rechazoPrevio: str(alta.RechazoPrevio),
      sinRegistroPrevio: str(alta.SinRegistroPrevio) === "S",
    };
  });
  return {
    issuer: { name: str(issuer.NombreRazon) ?? "", nif: str(issuer.NIF) ?? "" },
    incidencia: str(obj(header.RemisionVoluntaria).Incidencia) === "S",
    records,
  };
}

function envelope(inner: string | undefined): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<env:Envelope xmlns:env="${SOAP_NS}"><env:Header/><env:Body Id="Body">${inner ?? ""}</env:Body></env:Envelope>\n`;
}

function fault(code: string, message: string): string {
  return envelope(serialise(node("env:Fault", leaf("faultcode", code), leaf("faultstring", message))));
}

function answer(a: {
  csv: string | null;
  issuer: { name: string; nif: string };
  incidencia: boolean;
  waitSeconds: number;
  state: string;
  lines: Line[];
}): string {
  const body = rootElement(
    "tikR:RespuestaRegFactuSistemaFacturacion",
    { "xmlns:tikR": NS_R, "xmlns:tik": NS_I },
    leaf("tikR:CSV", a.csv),
    a.csv
      ? node(
          "tikR:DatosPresentacion",
          leaf("tik:NIFPresentador", a.issuer.nif),
          leaf("tik:TimestampPresentacion", new Date().toISOString().replace(/\.\d+Z$/, "+00:00")),
        )
      : undefined,
    node(
      "tikR:Cabecera",
      node("tik:ObligadoEmision", leaf("tik:NombreRazon", a.issuer.name), leaf("tik:NIF", a.issuer.nif)),
      a.incidencia ? node("tik:RemisionVoluntaria", leaf("tik:Incidencia", "S")) : undefined,
    ),
    leaf("tikR:TiempoEsperaEnvio", String(a.waitSeconds)),
    leaf("tikR:EstadoEnvio", a.state),
    ...a.lines.map((line) =>
      node(
        "tikR:RespuestaLinea",
        node(
          "tikR:IDFactura",
          leaf("tik:IDEmisorFactura", line.record.issuerNif),
          leaf("tik:NumSerieFactura", line.record.seriesNumber),
          leaf("tik:FechaExpedicionFactura", line.record.issueDate),
        ),
        node(
          "tikR:Operacion",
          leaf("tik:TipoOperacion", line.record.operation),
          line.record.subsanacion ? leaf("tik:Subsanacion", "S") : undefined,
          line.record.rechazoPrevio ? leaf("tik:RechazoPrevio", line.record.rechazoPrevio) : undefined,
        ),
        leaf("tikR:EstadoRegistro", line.state),
        leaf("tikR:CodigoErrorRegistro", line.code),
        leaf("tikR:DescripcionErrorRegistro", line.text),
        line.duplicate
          ? node(
              "tikR:RegistroDuplicado",
              leaf("tik:IdPeticionRegistroDuplicado", "202611230000001"),
              leaf("tik:EstadoRegistroDuplicado", line.duplicate),
            )
          : undefined,
      ),
    ),
  );
  return envelope(body.replace(/^<\?xml[^>]*\?>\s*/, ""));
}

/** The stand-in's "all accepted" answer to an envelope, without the network (no schema check). */
export function acceptAllAnswer(envelope: string): string {
  return answerAll(envelope, { state: "Correcto" });
}

/** Every record of the envelope refused (Incorrecto) with this AEAT error code and text. */
export function refuseAllAnswer(envelope: string, code: string, text: string): string {
  return answerAll(envelope, { state: "Incorrecto", code, text });
}

function answerAll(envelope: string, verdict: Omit<Line, "record">): string {
  const body = soapBody(envelope);
  if (!body) throw new Error("not a SOAP 1.1 envelope");
  const submission = readSubmission(body);
  return answer({
    csv: "A-TESTCSV0000001",
    issuer: submission.issuer,
    incidencia: submission.incidencia,
    waitSeconds: 60,
    state: verdict.state === "Correcto" ? "Correcto" : "Incorrecto",
    lines: submission.records.map((record) => ({ record, ...verdict })),
  });
}
