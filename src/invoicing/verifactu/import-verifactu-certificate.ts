// Keeps the taxpayer's client certificate for the AEAT (PKCS#12 with its password, or PEM
// certificate and key), sealed with the workspace key; the subject and expiry stay readable so
// `cobro doctor` can warn before it lapses. Node's own TLS reads both formats: no library needed.
import { createPrivateKey, X509Certificate } from "node:crypto";
import { createSecureContext, TLSSocket } from "node:tls";
import type { Ctx } from "../../context.ts";
import { DomainError } from "../../domain/errors.ts";
import { assertAllowed } from "../../domain/permissions.ts";
import { verifactuScope } from "../../domain/verifactu.ts";
import type { Cipher } from "../../secrets.ts";
import { findWorkspaceById } from "../../workspace/index.ts";
import type { AeatCredentials } from "./aeat-client.ts";
import { saveCertificate } from "./repo.ts";

export type ImportedCertificate = {
  subject: string;
  notAfter: Date;
  fingerprint: string;
  /**
   * The certificate names a holder (its NIF or company NIF) other than the issuer whose records it
   * sends: the AEAT accepts it only from someone entitled to file for that issuer.
   */
  otherHolder?: { holderIds: string[]; issuerNif: string } | undefined;
};

export async function importVerifactuCertificate(
  ctx: Ctx & { cipher: Cipher },
  input: { file: string; contents: Buffer; password?: string | undefined },
): Promise<ImportedCertificate> {
  assertAllowed(ctx.actor, { action: "configure" });
  const { workspaceId } = ctx;
  const credentials = readCredentials(input.file, input.contents, input.password);
  const certificate = certificateOf(input.file, credentials);
  const notAfter = new Date(certificate.validTo);
  if (notAfter.getTime() <= ctx.now().getTime()) {
    throw refuse(
      `${input.file} expired on ${notAfter.toISOString().slice(0, 10)}: the AEAT will refuse it. Renew it (FNMT or your provider) and import the new one.`,
    );
  }
  const imported = {
    subject: subjectName(certificate.subject),
    notAfter,
    fingerprint: certificate.fingerprint256,
  };
  const sealed = ctx.cipher.encrypt(JSON.stringify(credentials));
  await saveCertificate(ctx.db, workspaceId, { sealed, ...imported });
  const workspace = await findWorkspaceById(ctx.db, workspaceId);
  const scope = verifactuScope(workspace?.seller);
  const holderIds = holderTaxIds(certificate.subject);
  const otherHolder =
    scope.applies && holderIds.length > 0 && !holderIds.includes(scope.nif)
      ? { holderIds, issuerNif: scope.nif }
      : undefined;
  return { ...imported, otherHolder };
}

/**
 * The Spanish tax ids a certificate's subject names: its serialNumber (IDCES-12345678Z for a person
 * or a representative) and organizationIdentifier (VATES-B12345678, the company a representative
 * certificate acts for), as FNMT and other Spanish providers write them.
 */
function holderTaxIds(subject: string): string[] {
  const ids = [...subject.matchAll(/(?:^|\n)(?:serialNumber|organizationIdentifier|2\.5\.4\.97)=([^\n]+)/g)]
    .map((match) => (match[1] ?? "").trim().toUpperCase().split("-").at(-1) ?? "")
    .filter((id) => /^[A-Z0-9]{9}$/.test(id));
  return [...new Set(ids)];
}

function readCredentials(file: string, contents: Buffer, password: string | undefined): AeatCredentials {
  const text = contents.toString("utf8");
  if (text.includes("-----BEGIN")) {
    const cert = pemBlocks(text, /CERTIFICATE/);
    const key = pemBlocks(text, /PRIVATE KEY/);
    if (!cert) throw refuse(`${file} has no certificate (-----BEGIN CERTIFICATE-----).`);
    if (!key) {
      throw refuse(
        `${file} has a certificate but no private key: put both in one PEM file (cat cert.pem key.pem > both.pem), or import the PKCS#12 (.p12/.pfx) file.`,
      );
    }
    try {
      const privateKey = createPrivateKey({ key, ...(password ? { passphrase: password } : {}) });
      if (!new X509Certificate(cert).checkPrivateKey(privateKey)) {
        throw refuse(`The private key in ${file} does not belong to its certificate.`);
      }
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw refuse(
        password
          ? `The password does not open the private key in ${file}.`
          : `The private key in ${file} is encrypted: give its password with --password.`,
      );
    }
    return { format: "pem", cert, key, passphrase: password };
  }
  const pfx = contents.toString("base64");
  try {
    createSecureContext({ pfx: contents, passphrase: password ?? "" });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/mac verify failure|bad decrypt/i.test(reason)) {
      throw refuse(
        password
          ? `The password does not open ${file}.`
          : `${file} is protected by a password: give it with --password.`,
      );
    }
    if (/unsupported/i.test(reason)) {
      throw refuse(
        `${file} uses an old encryption this system cannot read. Convert it: openssl pkcs12 -legacy -in ${file} -nodes -out both.pem, then import both.pem.`,
      );
    }
    throw refuse(`${file} is neither a PKCS#12 (.p12/.pfx) file nor PEM (${reason}).`);
  }
  return { format: "pkcs12", pfx, passphrase: password };
}

function certificateOf(file: string, credentials: AeatCredentials): X509Certificate {
  if (credentials.format === "pem") return new X509Certificate(credentials.cert);
  const socket = new TLSSocket(null as never, {
    secureContext: createSecureContext({
      pfx: Buffer.from(credentials.pfx, "base64"),
      passphrase: credentials.passphrase ?? "",
    }),
  });
  const certificate = socket.getX509Certificate();
  socket.destroy();
  if (!certificate) throw refuse(`${file} holds a key but no certificate.`);
  return certificate;
}

function pemBlocks(text: string, label: RegExp): string | null {
  const blocks = [...text.matchAll(/-----BEGIN ([A-Z ]+)-----[\s\S]+?-----END \1-----/g)]
    .filter((m) => label.test(m[1] ?? ""))
    .map((m) => m[0]);
  return blocks.length > 0 ? `${blocks.join("\n")}\n` : null;
}

/** "CN=ACME CONSULTING SL\nserialNumber=…" → "ACME CONSULTING SL". */
function subjectName(subject: string): string {
  return /(?:^|\n)CN=([^\n]+)/.exec(subject)?.[1] ?? subject.replace(/\n/g, ", ");
}

function refuse(message: string): DomainError {
  return new DomainError("verifactu.certificate", message, { userMessage: message });
}
