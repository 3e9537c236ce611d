// `cobro verifactu cert import FILE [--password P]`: the taxpayer's certificate for sending records
// to the AEAT (PKCS#12 .p12/.pfx, or PEM with certificate and key), kept sealed in the database.
import { readFile } from "node:fs/promises";
import { DomainError } from "../domain/errors.ts";
import { importVerifactuCertificate } from "../invoicing/index.ts";
import { createCipher, resolveEncryptionKey } from "../secrets.ts";
import { resolveWorkspace } from "../workspace/index.ts";
import { stringFlag } from "./args.ts";
import { cliCtx } from "./ctx.ts";
import { EXIT } from "./types.ts";
import type { VerifactuSubcommand } from "./verifactu.ts";

export const verifactuCert: VerifactuSubcommand = {
  usage: "cert import FILE [--password P] [--workspace W]",
  values: ["password", "workspace"],
  positionals: 2,
  run: async ({ openApp, out, config }, parsed) => {
    const [, action, file] = parsed.positional;
    if (action !== "import" || !file) {
      throw new DomainError("cli.usage", "cert needs import and a file", {
        userMessage:
          "Say which certificate to import: cobro verifactu cert import company.p12 --password '…' (or a PEM file with certificate and key).",
      });
    }
    const contents = await readFile(file).catch(() => {
      throw new DomainError("cli.file", `cannot read ${file}`, {
        userMessage: `Cannot read ${file}: check the path.`,
      });
    });
    const app = await openApp();
    const workspace = await resolveWorkspace(app.db, stringFlag(parsed, "workspace"));
    const imported = await importVerifactuCertificate(
      { ...cliCtx(app, workspace.id), cipher: createCipher(resolveEncryptionKey(config)) },
      { file, contents, password: stringFlag(parsed, "password") },
    );
    out(
      `Certificate of ${imported.subject} imported, valid until ${imported.notAfter.toISOString().slice(0, 10)}: records now go to the AEAT ${config.verifactuAeat.url ? `stand-in at ${config.verifactuAeat.url}` : `${config.verifactuAeat.environment} service`}.`,
    );
    const other = imported.otherHolder;
    if (other) {
      const holder = other.holderIds.join(", ");
      out(
        `Warning: this certificate is of ${holder}, not of ${other.issuerNif}, whose records it sends. The AEAT accepts it only if ${holder} may file for ${other.issuerNif} (apoderamiento or colaborador social); otherwise import ${other.issuerNif}'s own certificate.`,
      );
    }
    return EXIT.ok;
  },
};
