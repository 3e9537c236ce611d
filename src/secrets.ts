// Secrets at rest (Slack tokens): AES-256-GCM with COBRO_ENCRYPTION_KEY.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { DomainError } from "./domain/errors.ts";

/** The configured key, or (embedded mode only) one generated once into the data directory. */
export function resolveEncryptionKey(config: { encryptionKey: string | undefined; dataDir: string }): Buffer {
  if (config.encryptionKey) return Buffer.from(config.encryptionKey, "base64");
  const directory = resolve(config.dataDir);
  const file = join(directory, "encryption.key");
  if (!existsSync(file)) {
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  const key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  if (key.length !== 32) {
    throw new DomainError("secrets.bad_key", `${file} does not hold a 32-byte base64 key`, {
      userMessage: `${file} is damaged: it must hold 32 random bytes in base64. Restore it from a backup (tokens encrypted with it cannot be read otherwise).`,
    });
  }
  return key;
}

export type Cipher = { encrypt: (plain: string) => string; decrypt: (sealed: string) => string };

export function createCipher(key: Buffer): Cipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return [
        "v1",
        iv.toString("base64"),
        cipher.getAuthTag().toString("base64"),
        body.toString("base64"),
      ].join(".");
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || !body) {
        throw new DomainError("secrets.format", "sealed secret has an unknown format");
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64")), decipher.final()]).toString("utf8");
    },
  };
}
