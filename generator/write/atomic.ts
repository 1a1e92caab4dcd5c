import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, openSync, closeSync, unlinkSync } from "node:fs";
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
  const lock = `${outDir}.lock`;
  const release = acquire(lock);
  try {
    recover(outDir);
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
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const holder = Number(readFileSync(lock, "utf8") || "0");
      if (!holder || !alive(holder)) {
        unlinkSync(lock);
        continue;
      }
      if (attempt > 600) throw new Error(`${lock} is held by process ${holder}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
