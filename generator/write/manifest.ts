import { GENERATED_HEADER } from "../emit/escape.ts";
import { byCodeUnit, isReserved, isSafeRelative, MANIFEST } from "./names.ts";
import { OutputRefused } from "./refused.ts";

const NOTE = `${GENERATED_HEADER}. The files hwspec owns in this folder: it replaces or deletes only these.`;

/**
 * The manifest's exact text for a set of owned paths. Paths only, no hashes or timestamps: the
 * text changes only when the set of files changes, so a committed output folder stays
 * byte-for-byte reproducible and two branches that regenerate different contents do not conflict on it.
 */
export function manifestText(paths: Iterable<string>): string {
  const files = [...new Set(paths)].sort(byCodeUnit);
  return JSON.stringify({ note: NOTE, version: 1, files }, null, 2) + "\n";
}

/** The owned paths a manifest text lists; anything hwspec would not have written is refused, never guessed at. */
export function parseManifest(text: string, where: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new OutputRefused("bookkeeping", `${where}/${MANIFEST} is not valid JSON; hwspec will not guess which files it owns (restore it from version control or remove the folder yourself)`);
  }
  const v = value as { version?: unknown; files?: unknown };
  if (!v || typeof v !== "object" || v.version !== 1 || !Array.isArray(v.files)) {
    throw new OutputRefused("bookkeeping", `${where}/${MANIFEST} is not a version 1 hwspec manifest; hwspec will not guess which files it owns`);
  }
  const bad = v.files.filter((p) => typeof p !== "string" || !isSafeRelative(p) || isReserved(p));
  if (bad.length) {
    throw new OutputRefused("bookkeeping", `${where}/${MANIFEST} lists paths hwspec never writes: ${bad.slice(0, 5).map((p) => JSON.stringify(p)).join(", ")}`);
  }
  return [...new Set(v.files as string[])].sort(byCodeUnit);
}
