import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, linkSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import type { OutFile } from "../emit/types.ts";

export interface WritePlan {
  added: string[];
  changed: string[];
  removed: string[];
}

/** Files currently under `dir`, relative, with forward slashes. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(relative(dir, full).split(sep).join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(dir);
  return out;
}

/**
 * What a reader should take as the output: `outDir`, or, when a killed run left the swap half done
 * (outDir renamed away, new tree not yet in place), the old tree it renamed. Never writes.
 */
export function currentTree(outDir: string): Map<string, string> {
  const old = `${outDir}.old`;
  return !existsSync(outDir) && existsSync(old) ? readTree(old) : readTree(outDir);
}

export function plan(files: OutFile[], current: Map<string, string>): WritePlan {
  const next = new Map(files.map((f) => [f.path, f.content]));
  const added = [...next.keys()].filter((p) => !current.has(p));
  const changed = [...next.keys()].filter((p) => current.has(p) && current.get(p) !== next.get(p));
  const removed = [...current.keys()].filter((p) => !next.has(p));
  return { added, changed, removed };
}

export const isEmptyPlan = (p: WritePlan) => !p.added.length && !p.changed.length && !p.removed.length;

/**
 * Replaces `outDir` with exactly `files`: the new tree is written beside it, then swapped in with
 * renames, so a crash leaves the old tree or the new one (recover() finishes an interrupted swap).
 * A lock file keeps two runs from interleaving.
 */
export function writeTree(outDir: string, files: OutFile[]): WritePlan {
  return underLock(outDir, () => {
    const current = readTree(outDir);
    const p = plan(files, current);
    if (isEmptyPlan(p)) return p;
    const staging = `${outDir}.new`;
    rmSync(staging, { recursive: true, force: true });
    for (const f of files) {
      const path = join(staging, f.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    const old = `${outDir}.old`;
    rmSync(old, { recursive: true, force: true });
    if (existsSync(outDir)) renameSync(outDir, old);
    renameSync(staging, outDir);
    rmSync(old, { recursive: true, force: true });
    return p;
  });
}

/** Runs `write` holding `<outDir>.lock`, after finishing any swap a killed run left half done. */
function underLock<T>(outDir: string, write: () => T): T {
  mkdirSync(dirname(outDir), { recursive: true });
  const release = acquire(`${outDir}.lock`);
  try {
    recover(outDir);
    return write();
  } finally {
    release();
  }
}

/** Completes or rolls back a swap a killed run left half done. */
export function recover(outDir: string): void {
  const staging = `${outDir}.new`;
  const old = `${outDir}.old`;
  if (!existsSync(outDir) && existsSync(old)) renameSync(old, outDir);
  rmSync(staging, { recursive: true, force: true });
  rmSync(old, { recursive: true, force: true });
}

function acquire(lock: string): () => void {
  // The lock appears atomically with its holder's pid already in it (link of a fully written file),
  // so a contender never reads an empty lock and mistakes it for a stale one.
  const mine = `${lock}.${process.pid}`;
  writeFileSync(mine, String(process.pid));
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(mine, lock);
        return () => {
          if (readOrEmpty(lock) === String(process.pid)) rmSync(lock, { force: true });
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const text = readOrEmpty(lock);
        if (text === undefined) continue; // released meanwhile
        const holder = Number(text || "0");
        if (!holder || !alive(holder)) {
          breakStale(lock, text);
          continue;
        }
        if (attempt > 600) throw new Error(`${lock} is held by process ${holder}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  } finally {
    rmSync(mine, { force: true });
  }
}

function readOrEmpty(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

/** Removes a dead holder's lock; renaming first means only one contender removes it, and a live lock taken by mistake is put back. */
function breakStale(lock: string, seen: string): void {
  const aside = `${lock}.stale.${process.pid}`;
  try {
    renameSync(lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (readOrEmpty(aside) !== seen) {
    try {
      linkSync(aside, lock);
    } catch {
      /* someone else holds it now */
    }
  }
  rmSync(aside, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Incremental variant for `hwspec watch`: writes only added or changed files and deletes removed
 * ones, leaving unchanged files (and their mtimes) alone so editors and tsc --watch see only real
 * changes. Each file is replaced atomically (written beside it, then renamed over it) under the same
 * lock as writeTree, after finishing any interrupted swap. Trade-off: the tree as a whole is not
 * swapped in one step, so a crash between two files can leave some files new and some old (each one
 * complete); the next run, or `hwspec generate`, completes it and `generate --check` reports it.
 */
export function writeChanged(outDir: string, files: OutFile[]): WritePlan {
  return underLock(outDir, () => {
    const p = plan(files, readTree(outDir));
    const byPath = new Map(files.map((f) => [f.path, f.content]));
    for (const rel of [...p.added, ...p.changed]) {
      const path = join(outDir, rel);
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, byPath.get(rel)!);
      renameSync(tmp, path);
    }
    for (const rel of p.removed) {
      rmSync(join(outDir, rel), { force: true });
      for (let dir = dirname(join(outDir, rel)); dir.startsWith(outDir + sep) && readdirSync(dir).length === 0; dir = dirname(dir))
        rmSync(dir, { recursive: true });
    }
    return p;
  });
}
