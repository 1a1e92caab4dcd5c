import { createHash } from "node:crypto";

/** SHA-256 of `parts`, each ended by a NUL (no part of a key holds one), in hex. */
export const sha = (...parts: string[]): string => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
};

/** Whether a value read back is a digest as `digestOf` and `sha` write them. */
export const isDigest = (v: unknown): v is string => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

/** The SHA-256 of a text in hex (of its UTF-8 bytes, as `sha256sum` of the file gives). */
export const digestOf = (text: string): string => createHash("sha256").update(text).digest("hex");
