/**
 * Names hwspec reserves at the top of every output folder it writes. Everything starting with
 * `.hwspec-` there is hwspec's own bookkeeping: never listed as output, never taken for a user's file.
 */
export const RESERVED_PREFIX = ".hwspec-";
export const MANIFEST = ".hwspec-manifest.json";
export const STAGING = ".hwspec-staging";
export const LOCK = ".hwspec-lock";

export const isReserved = (rel: string) => rel.split("/")[0]!.startsWith(RESERVED_PREFIX);

/** A relative path hwspec may write or delete: forward slashes, no empty, `.` or `..` segment, nothing absolute. */
export function isSafeRelative(rel: string): boolean {
  if (typeof rel !== "string" || rel === "" || rel.startsWith("/") || /[\\\0]/.test(rel) || /^[A-Za-z]:/.test(rel)) return false;
  return rel.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Byte order, not locale order: the manifest must be identical on every machine. */
export const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
