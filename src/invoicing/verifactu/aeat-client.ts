// The AEAT's VERI*FACTU web service: one SOAP 1.1 POST over HTTPS, authenticated by the taxpayer's
// client certificate (mutual TLS). node:https does it all; nothing else is needed.
import { request } from "node:https";

/** A PKCS#12 file (with its password) or a PEM certificate and key. */
export type AeatCredentials =
  | { format: "pkcs12"; pfx: string /* base64 */; passphrase?: string | undefined }
  | { format: "pem"; cert: string; key: string; passphrase?: string | undefined };

export type AeatReply = { status: number; body: string };
export type AeatPost = (envelope: string) => Promise<AeatReply>;

/** No answer came (connection refused, TLS failure, timeout): the submission may or may not have arrived. */
export class AeatUnreachableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "AeatUnreachableError";
  }
}

export const AEAT_ENDPOINTS = {
  production: "https://www1.agenciatributaria.gob.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
  test: "https://prewww1.aeat.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
  // The same service for a certificado de sello (entity seal certificate).
  "production-seal":
    "https://www10.agenciatributaria.gob.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
  "test-seal": "https://prewww10.aeat.es/wlpl/TIKE-CONT/ws/SistemaFacturacion/VerifactuSOAP",
} as const;

export function createAeatClient(options: {
  url: string;
  credentials: AeatCredentials;
  /** Extra trusted CA (PEM), for a stand-in of the service; the AEAT's own chain is public. */
  ca?: string | undefined;
  timeoutMs?: number;
}): AeatPost {
  const { credentials } = options;
  const tlsOptions =
    credentials.format === "pkcs12"
      ? { pfx: Buffer.from(credentials.pfx, "base64"), passphrase: credentials.passphrase }
      : { cert: credentials.cert, key: credentials.key, passphrase: credentials.passphrase };
  const timeoutMs = options.timeoutMs ?? 120_000;
  return (envelope) =>
    new Promise<AeatReply>((resolve, reject) => {
      const req = request(
        options.url,
        {
          method: "POST",
          // A fresh connection each time: requests are a minute apart, and a kept-alive socket the
          // server has closed meanwhile fails with ECONNRESET.
          agent: false,
          ...tlsOptions,
          ...(options.ca ? { ca: options.ca } : {}),
          headers: {
            "content-type": "text/xml; charset=utf-8",
            soapaction: '""',
            "content-length": Buffer.byteLength(envelope),
          },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", (error) => reject(new AeatUnreachableError(error.message)));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
      req.on("error", (error) => reject(new AeatUnreachableError(error.message)));
      req.end(envelope);
    });
}
