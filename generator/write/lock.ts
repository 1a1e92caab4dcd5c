import { linkSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LOCK } from "./names.ts";
import { readIfThere } from "./ownership.ts";
import { OutputRefused } from "./refused.ts";
import { unlinkIfThere } from "./remove.ts";

/**
 * Runs `fn` holding `<outDir>/.hwspec-lock`. The lock lives inside the output folder, under a
 * reserved name, rather than beside it: a sibling such as `generated.lock` could be a user's file.
 */
export function withLock<T>(outDir: string, fn: () => T): T {
  const release = acquire(join(outDir, LOCK));
  try {
    clearDeadLeftovers(outDir);
    return fn();
  } finally {
    release();
  }
}

const PID = /^[1-9][0-9]*$/;

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
          if (readIfThere(lock) === String(process.pid)) unlinkIfThere(lock);
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const text = readIfThere(lock);
        if (text === undefined) continue; // released meanwhile
        // Only ever a pid: anything else was not written by hwspec, so it is not removed.
        if (!PID.test(text)) throw new OutputRefused("bookkeeping", `${lock} exists and is not a hwspec lock; remove it if it is not yours`);
        const holder = Number(text);
        if (!alive(holder)) {
          breakStale(lock, text);
          continue;
        }
        if (attempt > 600) throw new Error(`${lock} is held by process ${holder}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
    }
  } finally {
    unlinkIfThere(mine);
  }
}

/** A run killed while taking or breaking the lock leaves `.hwspec-lock.<pid>` files; the next holder removes dead ones. */
function clearDeadLeftovers(outDir: string): void {
  for (const name of readdirSync(outDir)) {
    const m = /^\.hwspec-lock\.(?:stale\.)?([1-9][0-9]*)$/.exec(name);
    if (m && Number(m[1]) !== process.pid && !alive(Number(m[1]))) unlinkIfThere(join(outDir, name));
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
  if (readIfThere(aside) !== seen) {
    try {
      linkSync(aside, lock);
    } catch {
      /* someone else holds it now */
    }
  }
  unlinkIfThere(aside);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
