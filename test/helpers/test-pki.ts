// A throwaway PKI for the AEAT stand-in, made with the openssl command line (always on Debian, and
// what a taxpayer's IT would use): a test CA, a server certificate for 127.0.0.1 and a client
// certificate for the taxpayer, as PEM and as a password-protected PKCS#12 file.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TestPki = {
  dir: string;
  caPem: string;
  serverKey: string;
  serverPem: string;
  clientKey: string;
  clientPem: string;
  /** The client certificate and key as PKCS#12, protected by `p12Password`. */
  clientP12File: string;
  clientPemFile: string;
  clientKeyFile: string;
  p12Password: string;
};

const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export function makeTestPki(options: { clientDays?: number; subject?: string } = {}): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "cobro-aeat-pki-"));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl(
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "30",
    "-subj",
    "/CN=Cobro test CA",
  );
  const signed = (name: string, subject: string, days: number, extensions: string) => {
    writeFileSync(file(`${name}.ext`), extensions);
    openssl("req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    openssl(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      String(days),
      "-extfile",
      `${name}.ext`,
    );
  };
  signed(
    "server",
    "/CN=localhost",
    30,
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
  );
  signed(
    "client",
    options.subject ?? "/C=ES/serialNumber=IDCES-B12345678/CN=ACME CONSULTING SL",
    options.clientDays ?? 365,
    "extendedKeyUsage=clientAuth\n",
  );
  const p12Password = "p12-secret";
  openssl(
    "pkcs12",
    "-export",
    "-in",
    "client.pem",
    "-inkey",
    "client.key",
    "-out",
    "client.p12",
    "-passout",
    `pass:${p12Password}`,
  );
  const read = (name: string) => readFileSync(file(name), "utf8");
  return {
    dir,
    caPem: read("ca.pem"),
    serverKey: read("server.key"),
    serverPem: read("server.pem"),
    clientKey: read("client.key"),
    clientPem: read("client.pem"),
    clientP12File: file("client.p12"),
    clientPemFile: file("client.pem"),
    clientKeyFile: file("client.key"),
    p12Password,
  };
}
