import { createHash } from "node:crypto";
import type { SpecSource } from "../load/source.ts";

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

const texts = new WeakMap<SpecSource, string>();

/**
 * The SHA-256 of a spec's text, once per loaded source: the front end's group keys and the emit
 * cache's spec keys both cover every text, and hashing a large tree's texts twice was a visible
 * part of an edited run.
 */
export function textDigest(s: SpecSource): string {
  let d = texts.get(s);
  if (d === undefined) texts.set(s, (d = digestOf(s.text)));
  return d;
}
