// How an API key looks and how it is stored: only its SHA-256, found by its prefix.
import { createHash } from "node:crypto";

export const API_KEY_PREFIX = "cobro_";

export function hashApiKey(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
