import { readdirSync, readFileSync, statSync, type BigIntStats } from "node:fs";
import { join, relative, sep } from "node:path";
import { Diagnostics } from "../diagnostics.ts";
import { parseSpec, specFromValue } from "./parse.ts";
import { RESERVED_PREFIX } from "../write/names.ts";
import { stampFrom } from "../write/stamps.ts";
import type { SpecSource } from "./source.ts";

/** Spec files under `root`, sorted so enumeration order never leaks into output. schema/ is not a spec. */
export function listSpecFiles(root: string): string[] {
  return walkSpecs(root, () => ({})).map((f) => f.path);
}

/** As listSpecFiles, with each file's stamp (write/stamps.ts) and when it last changed (modification or change time, the later), from the one stat the walk makes anyway. */
export function listSpecStats(root: string): { path: string; stamp: string; changedMs: number }[] {
  return walkSpecs(root, (s) => ({ stamp: stampFrom(s), changedMs: Math.max(Number(s.mtimeMs), Number(s.ctimeMs)) }));
}

function walkSpecs<T>(root: string, info: (s: BigIntStats) => T): ({ path: string } & T)[] {
  const out: ({ path: string } & T)[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      // hwspec's own bookkeeping (the manifest `hwspec import` leaves beside the specs it wrote) is no spec.
      if (name.startsWith(RESERVED_PREFIX)) continue;
      const full = join(dir, name);
      const s = statSync(full, { bigint: true });
      if (s.isDirectory()) {
        if (dir === root && name === "schema") continue;
        walk(full);
      } else if (name.endsWith(".json")) out.push({ path: full, ...info(s) });
    }
  };
  walk(root);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A spec's path relative to the specs root, with forward slashes. */
export const relOf = (root: string, path: string): string => relative(root, path).split(sep).join("/");

export interface LoadedTree {
  sources: SpecSource[];
}

/**
 * Reads and parses every spec under `root`. `display` is how file names appear in diagnostics
 * (relative to the current directory when possible, always with forward slashes).
 */
export function loadTree(root: string, d: Diagnostics, display = (p: string) => toDisplay(p)): LoadedTree {
  const sources: SpecSource[] = [];
  for (const path of listSpecFiles(root)) {
    const src = parseSpec(display(path), relOf(root, path), readFileSync(path, "utf8"), d);
    if (src) sources.push(src);
  }
  return { sources };
}

/** In-memory variant for tests and diff: `files` maps paths relative to the specs root to text. */
export function loadFiles(files: Record<string, string>, d: Diagnostics, prefix = "specs/"): LoadedTree {
  const sources: SpecSource[] = [];
  for (const rel of Object.keys(files).sort()) {
    const src = parseSpec(prefix + rel, rel, files[rel]!, d);
    if (src) sources.push(src);
  }
  return { sources };
}

export function toDisplay(path: string): string {
  const rel = relative(process.cwd(), path);
  const shown = rel && !rel.startsWith("..") ? rel : path;
  return shown.split(sep).join("/");
}

/** loadFiles for specs held as values (an import before it is written): `toText` is how each would be written. */
export function loadValues(files: { path: string; json: Record<string, unknown> }[], toText: (json: unknown) => string, d: Diagnostics, prefix: string): LoadedTree {
  const sources: SpecSource[] = [];
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of sorted) {
    const src = specFromValue(prefix + f.path, f.path, f.json, () => toText(f.json), d);
    if (src) sources.push(src);
  }
  return { sources };
}
