import { describe, expect, it } from "vitest";
import { type VerifactuBacklog, verifactuWarnings } from "../../src/domain/verifactu-backlog.ts";
import { parseAeatAnswer, soapEnvelope } from "../../src/einvoice/verifactu-soap.ts";

const NS_R =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/RespuestaSuministro.xsd";
const NS_I =
  "https://www2.agenciatributaria.gob.es/static_files/common/internet/dep/aplicaciones/es/aeat/tike/cont/ws/SuministroInformacion.xsd";

describe("the AEAT's answer", () => {
  it("reads each record's state, the CSV, the wait and a duplicate's stored state", () => {
    const answer = parseAeatAnswer(`<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Header/><env:Body Id="Body">
<tikR:RespuestaRegFactuSistemaFacturacion xmlns:tikR="${NS_R}" xmlns:tik="${NS_I}">
<tikR:CSV>A-Y23JP3582934</tikR:CSV>
<tikR:Cabecera><tik:ObligadoEmision><tik:NombreRazon>ACME</tik:NombreRazon><tik:NIF>B12345678</tik:NIF></tik:ObligadoEmision></tikR:Cabecera>
<tikR:TiempoEsperaEnvio>120</tikR:TiempoEsperaEnvio>
<tikR:EstadoEnvio>ParcialmenteCorrecto</tikR:EstadoEnvio>
<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>B12345678</tik:IDEmisorFactura><tik:NumSerieFactura>F-1</tik:NumSerieFactura><tik:FechaExpedicionFactura>23-11-2026</tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>Alta</tik:TipoOperacion></tikR:Operacion><tikR:EstadoRegistro>Correcto</tikR:EstadoRegistro></tikR:RespuestaLinea>
<tikR:RespuestaLinea><tikR:IDFactura><tik:IDEmisorFactura>B12345678</tik:IDEmisorFactura><tik:NumSerieFactura>F-2</tik:NumSerieFactura><tik:FechaExpedicionFactura>23-11-2026</tik:FechaExpedicionFactura></tikR:IDFactura><tikR:Operacion><tik:TipoOperacion>Alta</tik:TipoOperacion></tikR:Operacion><tikR:EstadoRegistro>Incorrecto</tikR:EstadoRegistro><tikR:CodigoErrorRegistro>3000</tikR:CodigoErrorRegistro><tikR:DescripcionErrorRegistro>Registro de facturación duplicado.</tikR:DescripcionErrorRegistro><tikR:RegistroDuplicado><tik:IdPeticionRegistroDuplicado>1</tik:IdPeticionRegistroDuplicado><tik:EstadoRegistroDuplicado>Correcta</tik:EstadoRegistroDuplicado></tikR:RegistroDuplicado></tikR:RespuestaLinea>
</tikR:RespuestaRegFactuSistemaFacturacion></env:Body></env:Envelope>`);
    expect(answer).toEqual({
      kind: "answer",
      csv: "A-Y23JP3582934",
      waitSeconds: 120,
      state: "ParcialmenteCorrecto",
      lines: [
        expect.objectContaining({
          seriesNumber: "F-1",
          issueDate: "23-11-2026",
          state: "Correcto",
          errorCode: null,
        }),
        expect.objectContaining({
          seriesNumber: "F-2",
          state: "Incorrecto",
          errorCode: "3000",
          error: "Registro de facturación duplicado.",
          duplicateState: "Correcta",
        }),
      ],
    });
  });

  it("a SOAP Fault refuses the whole submission; an HTML error page is not an answer", () => {
    expect(
      parseAeatAnswer(
        `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><env:Fault><faultcode>env:Client</faultcode><faultstring>Codigo[4102].El XML no cumple el esquema.</faultstring></env:Fault></env:Body></env:Envelope>`,
      ),
    ).toEqual({ kind: "fault", code: "env:Client", message: "Codigo[4102].El XML no cumple el esquema." });
    expect(() => parseAeatAnswer("<html><body><h1>503 Service Unavailable</h1></body></html>")).toThrow(
      "not a VERI*FACTU answer",
    );
  });

  it("the envelope carries the submission without its XML declaration", () => {
    expect(soapEnvelope('<?xml version="1.0" encoding="UTF-8"?>\n<sfLR:RegFactuSistemaFacturacion/>\n')).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header/><soapenv:Body><sfLR:RegFactuSistemaFacturacion/>\n</soapenv:Body></soapenv:Envelope>\n',
    );
  });
});

describe("VERI*FACTU warnings", () => {
  const now = new Date("2026-11-23T09:00:00Z");
  const calm: VerifactuBacklog = {
    unsent: 0,
    oldestUnsentAt: null,
    rejected: 0,
    withErrors: 0,
    toCorrect: [],
    failingSince: null,
    lastError: null,
    nextSendAt: null,
    certificate: { subject: "ACME", notAfter: new Date("2027-06-01T00:00:00Z") },
  };

  it("none while records leave within the AEAT's wait", () => {
    expect(
      verifactuWarnings({ ...calm, unsent: 40, oldestUnsentAt: new Date("2026-11-23T08:59:00Z") }, now),
    ).toEqual([]);
  });

  it("records waiting over 15 minutes, sending failing, or no certificate: the count and why", () => {
    expect(
      verifactuWarnings({ ...calm, unsent: 3, oldestUnsentAt: new Date("2026-11-23T08:40:00Z") }, now),
    ).toEqual([
      "3 VERI*FACTU record(s) not sent to the AEAT: they are waiting for the sending job (is `cobro serve` running?).",
    ]);
    expect(
      verifactuWarnings(
        {
          ...calm,
          unsent: 7,
          oldestUnsentAt: now,
          failingSince: new Date("2026-11-22T09:00:00Z"),
          lastError: "read ECONNRESET",
        },
        now,
      )[0],
    ).toBe(
      "7 VERI*FACTU record(s) not sent to the AEAT: sending fails since 2026-11-22T09:00:00.000Z: read ECONNRESET; retried at least hourly, sent with Incidencia when it works again.",
    );
  });

  it("the certificate: warned 30 days before it expires, and once expired", () => {
    expect(
      verifactuWarnings(
        { ...calm, certificate: { subject: "ACME", notAfter: new Date("2026-12-25T00:00:00Z") } },
        now,
      ),
    ).toEqual([]);
    expect(
      verifactuWarnings(
        { ...calm, certificate: { subject: "ACME", notAfter: new Date("2026-12-22T00:00:00Z") } },
        now,
      ),
    ).toEqual([
      "The AEAT certificate of ACME expires on 2026-12-22 (28 days): renew it and import the new one.",
    ]);
    expect(
      verifactuWarnings(
        { ...calm, certificate: { subject: "ACME", notAfter: new Date("2026-11-20T00:00:00Z") } },
        now,
      ),
    ).toEqual(["The AEAT certificate of ACME expired on 2026-11-20: import a renewed one."]);
  });
});
