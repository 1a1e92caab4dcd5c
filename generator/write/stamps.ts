import { lstatSync, type BigIntStats } from "node:fs";
import { join } from "node:path";
import type { OutFile } from "../emit/types.ts";

/** A file of an output folder as hwspec last left it: its stamp and the digest of the text it wrote there. */
export interface KnownFile {
  stamp: string;
  digest: string;
}

/**
 * What hwspec knows of an output folder's files from its last write, and where it keeps what it
 * learns from this one (the emit cache, never the output folder: a committed folder stays the
 * same bytes on every machine).
 */
export interface KnownFiles {
  files: ReadonlyMap<string, KnownFile>;
  save(files: Map<string, KnownFile>): void;
}

/**
 * Identifies one version of a regular file: inode, size, and modification and change times in
 * nanoseconds. Any write or rename in place gives another stamp; the change time cannot be set
 * back by hand. The one change it misses is one of the same size within the clock tick of
 * hwspec's own write (a few milliseconds), which leaves every part of the stamp as it was.
 */
export function stampOf(path: string): string | undefined {
  try {
    const s = lstatSync(path, { bigint: true });
    return s.isFile() ? stampFrom(s) : undefined;
  } catch {
    return undefined;
  }
}

/** The stamp of a file from its (bigint) stats, for a caller that has them already. */
export const stampFrom = (s: BigIntStats): string => `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;

/**
 * The stamps of `files` with a digest as they now stand in `out` (call it under the lock, after
 * writing). The files in `untouched` were found with their `known` stamp before this write and
 * not written, so that stamp stands without another lstat.
 */
export function stampsOf(out: string, files: readonly OutFile[], untouched?: ReadonlySet<string>, known?: ReadonlyMap<string, KnownFile>): Map<string, KnownFile> {
  const next = new Map<string, KnownFile>();
  for (const f of files) {
    if (!f.digest) continue;
    const stamp = (untouched?.has(f.path) ? known?.get(f.path)?.stamp : undefined) ?? stampOf(join(out, f.path));
    if (stamp) next.set(f.path, { stamp, digest: f.digest });
  }
  return next;
}

export const sameKnown = (a: ReadonlyMap<string, KnownFile>, b: ReadonlyMap<string, KnownFile>) =>
  a.size === b.size && [...a].every(([rel, k]) => b.get(rel)?.stamp === k.stamp && b.get(rel)?.digest === k.digest);
