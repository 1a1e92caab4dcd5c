import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { OutFile } from "../emit/types.ts";
import { withLock } from "./lock.ts";
import { manifestText } from "./manifest.ts";
import { byCodeUnit, isReserved, isSafeRelative, MANIFEST, RESERVED_PREFIX } from "./names.ts";
import { commitFile, inspect, kindAt, ownedView, reach, readCommit, readConsistently, stagedCopy, stagedFile, stagingDir, type CommitRecord } from "./ownership.ts";
import { removeFolder, unlinkIfThere } from "./remove.ts";
import { checkPlacement, type Placement } from "./placement.ts";
import { OutputRefused } from "./refused.ts";
import { sameKnown, stampsOf, type KnownFiles } from "./stamps.ts";

export { OutputRefused };

export interface WritePlan {
  added: string[];
  changed: string[];
  removed: string[];
}

export interface WriteOptions extends Placement {
  /** Write into a folder that holds files hwspec did not write; they are still never touched. */
  force?: boolean;
  /** The stamps of the folder's files as the last write left them (stamps.ts): files still so are not read. */
  known?: KnownFiles;
}

/** What a reader should take as hwspec's output in `outDir`: its owned files as last committed. Never writes. */
export function currentTree(outDir: string): Map<string, string> {
  return ownedView(outDir);
}

/**
 * `current` is hwspec's own files; files it does not own never appear in a plan. `unread` are
 * owned files known to hold their produced text already: present and unchanged, and not read.
 */
export function plan(files: OutFile[], current: Map<string, string>, unread: ReadonlySet<string> = new Set()): WritePlan {
  const next = new Map(files.map((f) => [f.path, f]));
  const added = [...next.keys()].filter((p) => !current.has(p) && !unread.has(p)).sort(byCodeUnit);
  const changed = [...next.keys()].filter((p) => current.has(p) && current.get(p) !== next.get(p)!.content).sort(byCodeUnit);
  const removed = [...current.keys()].filter((p) => !next.has(p)).sort(byCodeUnit);
  return { added, changed, removed };
}

export const isEmptyPlan = (p: WritePlan) => !p.added.length && !p.changed.length && !p.removed.length;

/**
 * What `writeTree` would do, read-only, against the committed view: the plan, and whether the
 * manifest is current. Throws OutputRefused exactly where writeTree would.
 */
export function checkTree(outDir: string, files: OutFile[], opts: WriteOptions = {}): { plan: WritePlan; manifestCurrent: boolean } {
  checkProduced(files);
  checkPlacement(outDir, opts);
  if (!existsSync(outDir)) return { plan: plan(files, new Map()), manifestCurrent: false };
  // No lock: a reader must work on a read-only checkout and while a writer runs.
  const own = readConsistently(outDir, () => inspect(outDir, files, !!opts.force, opts.known?.files));
  return { plan: plan(files, own.owned, own.unread), manifestCurrent: own.manifestCurrent };
}

/**
 * Makes hwspec's files in `outDir` exactly `files`, touching nothing it does not own. Used by
 * generate, docs and watch alike. Under the lock: finish a killed run, decide ownership (refusing
 * foreign folders and collisions), stage the added and changed files in `.hwspec-staging/`,
 * write the commit record, then apply it. Unchanged files are not rewritten, so their mtimes stay.
 */
export function writeTree(outDir: string, files: OutFile[], opts: WriteOptions = {}): WritePlan {
  checkProduced(files);
  checkPlacement(outDir, opts);
  // A folder hwspec has never written (no .hwspec-* entry) is refused before the lock, so it is
  // not touched at all, not even by the lock file. Where hwspec is or was at work, a concurrent
  // run may be half way through, so only the inspection under the lock decides; inspecting there
  // beforehand too would read every owned file twice for nothing.
  if (existsSync(outDir) && !readdirSync(outDir).some((n) => n.startsWith(RESERVED_PREFIX))) inspect(outDir, files, !!opts.force);
  mkdirSync(outDir, { recursive: true });
  return withLock(outDir, () => {
    recover(outDir);
    const own = inspect(outDir, files, !!opts.force, opts.known?.files);
    const p = plan(files, own.owned, own.unread);
    // Under the lock, so the stamps are of this run's files, and kept only when they changed.
    const remember = () => {
      if (!opts.known) return;
      const next = stampsOf(outDir, files, own.unread, opts.known.files);
      if (!sameKnown(next, opts.known.files)) opts.known.save(next);
    };
    if (isEmptyPlan(p) && own.manifestCurrent) return (remember(), p);
    const byPath = new Map(files.map((f) => [f.path, f]));
    const moves = [...p.added, ...p.changed].sort(byCodeUnit);
    mkdirSync(stagingDir(outDir), { recursive: true });
    for (const rel of moves) writeFileSync(stagedFile(outDir, rel), byPath.get(rel)!.content);
    const record: CommitRecord = { version: 1, moves, deletes: p.removed, manifest: [...byPath.keys()].sort(byCodeUnit) };
    // The commit point: once this rename lands, the new output is the committed one and recovery rolls forward.
    const tmp = `${commitFile(outDir)}.tmp`;
    writeFileSync(tmp, JSON.stringify(record, null, 2) + "\n");
    renameSync(tmp, commitFile(outDir));
    apply(outDir, record);
    remember();
    return p;
  });
}

/**
 * Finishes what a killed run left in `.hwspec-staging/`: with a commit record it rolls forward
 * (idempotent: a move already done is skipped), without one the staging is discarded. Call it
 * only while no writer is running (writeTree calls it under the lock).
 */
export function recover(outDir: string): void {
  if (kindAt(stagingDir(outDir)) === "missing") return;
  const record = readCommit(outDir);
  if (record) apply(outDir, record);
  else rmSync(stagingDir(outDir), { recursive: true, force: true });
}

function apply(out: string, record: CommitRecord): void {
  // Deletes first: an owned file going away may stand where a new folder goes.
  for (const rel of record.deletes) removeOwned(out, rel);
  for (const rel of record.moves) {
    const from = stagedCopy(out, rel);
    if (from === undefined) continue; // moved before the crash
    mkdirSync(dirname(join(out, rel)), { recursive: true });
    renameSync(from, join(out, rel));
  }
  // Replaced even when it lists the same files: a new manifest file is how a reader without the
  // lock sees that a commit happened while it read (commitStamp in ownership.ts).
  const tmp = join(stagingDir(out), "manifest.tmp");
  writeFileSync(tmp, manifestText(record.manifest));
  renameSync(tmp, join(out, MANIFEST));
  unlinkIfThere(commitFile(out));
  removeFolder(stagingDir(out));
}

/** Deletes an owned file (never a folder, never a symlink someone put in its place), then the folders it leaves empty. */
function removeOwned(out: string, rel: string): void {
  const r = reach(out, rel);
  if (r.blockedAt || r.kind !== "file") return;
  rmSync(join(out, rel));
  for (let dir = dirname(rel); dir !== "."; dir = dirname(dir)) {
    const abs = join(out, dir);
    if (readdirSync(abs).length) break;
    rmdirSync(abs);
  }
}

function checkProduced(files: OutFile[]): void {
  const seen = new Set<string>();
  for (const f of files) {
    if (!isSafeRelative(f.path) || isReserved(f.path) || seen.has(f.path)) throw new Error(`internal: an emitter produced the output path ${JSON.stringify(f.path)}`);
    seen.add(f.path);
  }
}
