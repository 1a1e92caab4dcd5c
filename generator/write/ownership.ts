import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { digestOf } from "../cache/digest.ts";
import { GENERATED_HEADER } from "../emit/escape.ts";
import type { OutFile } from "../emit/types.ts";
import { manifestText, parseManifest } from "./manifest.ts";
import { byCodeUnit, isReserved, isSafeRelative, MANIFEST, STAGING } from "./names.ts";
import { OutputRefused } from "./refused.ts";
import { stampOf, type KnownFile } from "./stamps.ts";

/** What a run commits to: the staged files to move into place, the owned files to delete, the new manifest. */
export interface CommitRecord {
  version: 1;
  moves: string[];
  deletes: string[];
  manifest: string[];
}

export const stagingDir = (out: string) => join(out, STAGING);
export const commitFile = (out: string) => join(out, STAGING, "commit.json");

/**
 * Where a run stages the file for `rel`: in the staging folder itself, named by the digest of the
 * path, so staging makes no folders and clearing it is one rmdir (removing folders is most of a
 * small write's time on ext4). A digest never meets another path's name on a disk that ignores case.
 */
export const stagedFile = (out: string, rel: string) => join(out, STAGING, `${digestOf(rel)}.staged`);

/**
 * The staged copy of `rel` a commit record counts on, if it is still there: where this version
 * stages it, or `files/<rel>`, where earlier versions did (a run of one killed after its commit
 * point is finished by the next run of this one).
 */
export function stagedCopy(out: string, rel: string): string | undefined {
  for (const path of [stagedFile(out, rel), join(out, STAGING, "files", rel)]) if (kindAt(path) === "file") return path;
  return undefined;
}

type Kind = "file" | "dir" | "other" | "missing";

/** What is at `path`, without following a symlink (a symlink is "other": never written through, never read as ours). */
export function kindAt(path: string): Kind {
  try {
    const s = lstatSync(path);
    return s.isFile() ? "file" : s.isDirectory() ? "dir" : "other";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" || (e as NodeJS.ErrnoException).code === "ENOTDIR") return "missing";
    throw e;
  }
}

/**
 * What is at `out/rel`, and the first folder on the way that is not a real folder (a file or a
 * symlink), if any. `folders` remembers what each folder on the way was, for one inspection of
 * a tree whose files share a few folders (a large output has a thousand files in ten of them).
 */
export function reach(out: string, rel: string, folders?: Map<string, Kind>): { kind: Kind; blockedAt?: string } {
  const way = wayTo(out, rel, folders);
  return way === "open" ? { kind: kindAt(join(out, rel)) } : way;
}

/** Whether every folder on the way to `out/rel` is a real folder ("open"), else what reach says of it. */
function wayTo(out: string, rel: string, folders?: Map<string, Kind>): "open" | { kind: "missing"; blockedAt?: string } {
  for (let at = rel.indexOf("/"); at >= 0; at = rel.indexOf("/", at + 1)) {
    const dir = rel.slice(0, at);
    let k = folders?.get(dir);
    if (k === undefined) {
      k = kindAt(join(out, dir));
      folders?.set(dir, k);
    }
    if (k === "missing") return { kind: "missing" };
    if (k !== "dir") return { kind: "missing", blockedAt: dir };
  }
  return "open";
}

export function readCommit(out: string): CommitRecord | undefined {
  let text: string;
  try {
    text = readFileSync(commitFile(out), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const bad = () => new OutputRefused("bookkeeping", `${commitFile(out)} is not a commit record hwspec wrote; remove ${stagingDir(out)} if it is not yours`);
  let r: CommitRecord;
  try {
    r = JSON.parse(text) as CommitRecord;
  } catch {
    throw bad();
  }
  const list = (x: unknown) => Array.isArray(x) && x.every((p) => typeof p === "string" && isSafeRelative(p) && !isReserved(p));
  if (!r || r.version !== 1 || !list(r.moves) || !list(r.deletes) || !list(r.manifest)) throw bad();
  return r;
}

/** Every entry under `out` that is not a folder (files, symlinks, others), relative, hwspec's bookkeeping left out. */
export function listEntries(out: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir).sort(byCodeUnit)) {
      const rel = prefix + name;
      if (!prefix && isReserved(rel)) continue;
      if (kindAt(join(dir, name)) === "dir") walk(join(dir, name), rel + "/");
      else found.push(rel);
    }
  };
  walk(out, "");
  return found;
}

const BANNER = new RegExp(`^[ \\t]*(?://|/\\*+|<!--|#|%%)[ \\t]*${GENERATED_HEADER.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "m");

export interface Ownership {
  /** hwspec's files in the committed view: path → content, for those whose text was read. */
  owned: Map<string, string>;
  /** hwspec's files known to hold exactly the text of the produced file of their path, by stamp and digest; not read. */
  unread: Set<string>;
  /** The committed manifest is exactly the one for the produced files. */
  manifestCurrent: boolean;
  /** How ownership was established: a manifest, an empty or new folder, adopted legacy output, or --force. */
  basis: "manifest" | "empty" | "adopted" | "forced";
}

/**
 * Decides, without writing, which files in `out` are hwspec's in the committed view (a killed
 * run's commit record counts as done), and refuses when writing `files` would touch anything else.
 * A listed file whose stamp is the one `known` holds for it, with the digest of the produced file
 * of its path, is that file's text already: it goes in `unread`, and neither text is read.
 */
export function inspect(out: string, files: OutFile[], force: boolean, known?: ReadonlyMap<string, KnownFile>): Ownership {
  const commit = readCommit(out);
  const manifestOnDisk = kindAt(join(out, MANIFEST)) === "file" ? readFileSync(join(out, MANIFEST), "utf8") : undefined;
  const listed = commit ? commit.manifest : manifestOnDisk !== undefined ? parseManifest(manifestOnDisk, out) : undefined;
  const produced = new Map(files.map((f) => [f.path, f]));
  const moves = new Set(commit?.moves ?? []);
  const folders = new Map<string, Kind>();
  const read = (rel: string): string | undefined => {
    // A concurrent writer may move a staged file into place between two reads: try both places.
    const copy = moves.has(rel) ? stagedCopy(out, rel) : undefined;
    const staged = copy !== undefined ? readIfThere(copy) : undefined;
    if (staged !== undefined) return staged;
    const r = reach(out, rel, folders);
    return r.kind === "file" && !r.blockedAt ? readIfThere(join(out, rel)) : undefined;
  };

  const owned = new Map<string, string>();
  const unread = new Set<string>();
  // Where the same file's text may stand staged, only reading tells. The stamp is of a regular
  // file only (lstat), so the folders on the way are all that reach must still rule out.
  const isKnown = (rel: string) => {
    const digest = produced.get(rel)?.digest;
    const k = digest && !moves.has(rel) ? known?.get(rel) : undefined;
    if (!k || k.digest !== digest) return false;
    return wayTo(out, rel, folders) === "open" && stampOf(join(out, rel)) === k.stamp;
  };
  let basis: Ownership["basis"];
  if (listed) {
    basis = "manifest";
    for (const rel of listed) {
      if (isKnown(rel)) {
        unread.add(rel);
        continue;
      }
      const text = read(rel);
      if (text !== undefined) owned.set(rel, text);
    }
  } else {
    const present = listEntries(out);
    const adoptable = (rel: string) => {
      const text = read(rel);
      return text !== undefined && (text === produced.get(rel)?.content || BANNER.test(text.slice(0, 4096)));
    };
    const foreign = present.filter((rel) => !adoptable(rel));
    if (!present.length) basis = "empty";
    else if (!foreign.length) {
      basis = "adopted";
      for (const rel of present) owned.set(rel, read(rel)!);
    } else if (!force) {
      throw new OutputRefused(
        "foreign",
        `refusing to write output into ${out}: it holds files hwspec did not write (${sample(foreign)}) and no ${MANIFEST}. ` +
          `Choose an empty or new folder, or pass --force to write beside those files (hwspec never changes or deletes them)`,
        foreign,
      );
    } else basis = "forced";
  }

  const collisions = [...produced.keys()].filter((rel) => {
    if (owned.has(rel) || unread.has(rel)) return false;
    const r = reach(out, rel, folders);
    // An owned file that is going away may stand where a produced folder goes; it is deleted first.
    if (r.blockedAt) return !(owned.has(r.blockedAt) && !produced.has(r.blockedAt));
    return r.kind !== "missing";
  });
  if (collisions.length) {
    throw new OutputRefused(
      "collision",
      `refusing to write output into ${out}: ${collisions.length === 1 ? "a file" : "files"} hwspec would write already exist${collisions.length === 1 ? "s" : ""} and hwspec did not write ${collisions.length === 1 ? "it" : "them"}: ` +
        `${sample(collisions)}. Move ${collisions.length === 1 ? "it" : "them"} away (--force never overwrites a file hwspec did not write)`,
      collisions,
    );
  }
  const sorted = [...produced.keys()].sort(byCodeUnit);
  const manifestCurrent = commit ? commit.manifest.join("\0") === sorted.join("\0") : manifestOnDisk === manifestText(sorted);
  return { owned, unread, manifestCurrent, basis };
}

/** The committed view of hwspec's files in `out` per its manifest (or a killed run's commit record); empty without one. */
export function ownedView(out: string): Map<string, string> {
  if (!existsSync(out) || !statSync(out).isDirectory()) return new Map();
  const commit = readCommit(out);
  const hasManifest = kindAt(join(out, MANIFEST)) === "file";
  if (!commit && !hasManifest) return new Map();
  return readConsistently(out, () => inspect(out, [], true).owned);
}

/** A file's text, or undefined when there is no file (any other error is thrown). */
export function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/**
 * Identifies the committed state: the commit record and the manifest, by inode and mtime. Every
 * commit replaces the manifest with a new file, so a change between two stamps means a writer
 * committed in between (a reader without the lock then reads again).
 */
export function commitStamp(out: string): string {
  const one = (path: string) => {
    try {
      const s = lstatSync(path, { bigint: true });
      return `${s.ino}:${s.mtimeNs}:${s.size}`;
    } catch {
      return "-";
    }
  };
  return `${one(commitFile(out))}|${one(join(out, MANIFEST))}`;
}

/** `read` against a folder a writer may be committing to right now, retried until no commit happened during it. */
export function readConsistently<T>(out: string, read: () => T): T {
  for (let attempt = 0; ; attempt++) {
    const before = commitStamp(out);
    let result: T | undefined;
    let error: unknown;
    try {
      result = read();
    } catch (e) {
      error = e;
    }
    if (commitStamp(out) === before || attempt >= 50) {
      if (error !== undefined) throw error;
      return result as T;
    }
  }
}

function sample(paths: string[]): string {
  const shown = paths.slice(0, 5).join(", ");
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}
