import { readFileSync } from "node:fs";
import { Diagnostics } from "../diagnostics.ts";
import { parseSpec } from "../load/parse.ts";
import type { SpecSource } from "../load/source.ts";
import { listSpecStats, relOf, toDisplay, type LoadedTree } from "../load/tree.ts";
import { digestOf, isDigest, sha } from "./digest.ts";
import { generatorFingerprint } from "./fingerprint.ts";
import { CACHE_FORMAT, CacheEntryChanged, type EmitCache } from "./store.ts";
import { summaryOf, type SpecSummary, type SummarizedSource } from "./summary.ts";

/**
 * A file changed (written, or its times set) less than this before it was read could change
 * again within the same clock tick without changing its stamp, so its summary is not kept: the
 * next run reads it again. Far above any file system's tick; a file edited that recently costs
 * one more read, no more.
 */
export const RECENT_MS = 2000;

export interface LoadOptions {
  /** How a file's text is read (tests count the reads). */
  read?: (path: string) => string;
  /** The clock RECENT_MS is measured on (tests move it on rather than wait). */
  now?: () => number;
}

interface Stored extends SpecSummary {
  /** The file's stamp when it was read (inode, size, modification and change times). */
  stamp: string;
  /** How diagnostics show its path: a summary is kept per shown name too. */
  file: string;
}

/**
 * `loadTree` for `generate` with the emit cache (docs/output-ownership.md#spec-summaries): a spec
 * whose file has the stamp it had when an earlier run read it is not read. Its source carries that
 * run's summary (digest, name, kind, references), which is all the caches ask of an unchanged spec;
 * its text and value are read when something needs them (a group made again, the whole front as a
 * fallback), and checked against the digest then. Every other file is read and parsed as by
 * `loadTree`.
 */
export function loadTreeCached(root: string, d: Diagnostics, cache: EmitCache, { read = (p) => readFileSync(p, "utf8"), now = Date.now }: LoadOptions = {}): LoadedTree {
  const key = sha(`spec summaries ${CACHE_FORMAT}`, generatorFingerprint(), root);
  const last = parseStored(cache.getRecord(key));
  const next: Record<string, Stored> = {};
  const sources: SpecSource[] = [];
  let changed = !last;
  for (const { path, stamp, changedMs } of listSpecStats(root)) {
    const rel = relOf(root, path);
    const file = toDisplay(path);
    const known = last?.get(rel);
    if (known && known.stamp === stamp && known.file === file) {
      const { digest, name, kind, refs } = known;
      sources.push(unread(path, file, rel, { digest, name, kind, refs }, read));
      next[rel] = known;
      continue;
    }
    changed = true;
    const readAt = now();
    const src = parseSpec(file, rel, read(path), d);
    if (!src) continue;
    sources.push(src);
    if (readAt - changedMs > RECENT_MS) next[rel] = { stamp, file, ...summaryOf(src) };
  }
  if (changed || Object.keys(next).length !== last?.size) cache.putRecord(key, { files: next });
  else cache.keep(key);
  return { sources };
}

/** A spec source whose text is read, checked against the summary and parsed only when first used. */
function unread(path: string, file: string, rel: string, summary: SpecSummary, read: (path: string) => string): SummarizedSource {
  let parsed: SpecSource | undefined;
  const get = (): SpecSource => {
    if (parsed) return parsed;
    const text = read(path);
    // Between the stamp and now the file changed: this run has counted on the old text.
    if (digestOf(text) !== summary.digest) throw new CacheEntryChanged(`${file} changed while this run read the spec tree; run again`);
    parsed = parseSpec(file, rel, text, new Diagnostics());
    if (!parsed) throw new CacheEntryChanged(`${file} no longer parses as it did when its summary was kept; run again`);
    return parsed;
  };
  return {
    file,
    rel,
    summary,
    get text() {
      return get().text;
    },
    get json() {
      return get().json;
    },
    at: (pointer) => get().at(pointer),
    keyAt: (pointer) => get().keyAt(pointer),
  };
}

/** The stored summaries by rel, or undefined when the record is missing or not one this code wrote. */
function parseStored(v: unknown): Map<string, Stored> | undefined {
  const files = (v as { files?: unknown } | undefined)?.files;
  if (!files || typeof files !== "object") return undefined;
  const out = new Map<string, Stored>();
  for (const [rel, s] of Object.entries(files as Record<string, Partial<Stored>>)) {
    if (!s || typeof s.stamp !== "string" || typeof s.file !== "string" || !isDigest(s.digest) || typeof s.name !== "string" || typeof s.kind !== "string") return undefined;
    if (!Array.isArray(s.refs) || !s.refs.every((r) => typeof r === "string")) return undefined;
    out.set(rel, s as Stored);
  }
  return out;
}
