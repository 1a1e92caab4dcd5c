import type { ElabSpec } from "../elaborate/model.ts";
import type { OutFile } from "../emit/types.ts";
import type { TargetPlugin } from "../emit/target.ts";
import { kindReaches } from "../kinds/index.ts";
import type { SpecSource } from "../load/source.ts";
import { DEFAULT_GENERATE_OPTIONS, effectiveOptions, type GenerateOptions } from "../options.ts";
import type { Front } from "../pipeline.ts";
import { specDependencies } from "./deps.ts";
import { sha } from "./digest.ts";
import { summaryOf } from "./summary.ts";
import { collectIfLarge } from "../heap.ts";
import { generatorFingerprint } from "./fingerprint.ts";
import type { PartialFront } from "./front.ts";
import { CACHE_FORMAT, EmitCache } from "./store.ts";

export interface CachedBack {
  files: OutFile[];
  /** Files that went through prettier in this run (the rest came from the cache). */
  formatted: number;
  /** Per-spec, per-target results served from the cache / emitted afresh. */
  hits: number;
  misses: number;
}

/**
 * emit → format like `runBack`, with each spec's files per target taken from `cache` when the key
 * matches. The key holds everything a spec's files are made from: the generator (version and code),
 * the options, the target, the spec's path and text (by its digest), and the paths and texts of every spec it
 * references, transitively (deps.ts). A target's fixed files (support modules, schema types) are
 * made from the generator alone and cached under its key; the files that see the whole tree (the
 * barrel) are emitted every run, and formatted only when their text is new.
 * The result is the same list, byte for byte, as `runBack` gives for the same tree.
 */
export async function runBackCached(front: Front, sources: readonly SpecSource[], cache: EmitCache, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS, partial?: PartialFront): Promise<CachedBack> {
  const [{ TARGETS }, { formatFiles }] = await Promise.all([import("../emit/targets.ts"), import("../emit/format.ts")]);
  const effective = effectiveOptions(options);
  if (effective.ts.emit === "js+dts") {
    // The JavaScript build compiles all modules together; per-spec caching does not apply.
    const { runBack } = await import("../pipeline.ts");
    const whole = partial ? partial.full() : front;
    const files = await runBack(whole, options);
    return { files, formatted: files.length, hits: 0, misses: whole.model.specs.length };
  }
  // The front end's garbage goes before emit adds its own (heap.ts); the branch above has it from runBack.
  collectIfLarge();
  // With a partial front, specs it does not hold must all be served from the cache.
  const specs: readonly { rel: string; name: string; kind: ElabSpec["kind"] }[] = partial ? partial.specs : front.model.specs;
  const made = new Map(front.model.specs.map((s) => [s.rel, s]));
  const base = sha(`format ${CACHE_FORMAT}`, generatorFingerprint(), JSON.stringify(effective));
  const byRel = new Map(sources.map((s) => [s.rel, s]));
  const deps = specDependencies(sources);
  // Every target keys a spec by the same texts.
  const specKeys = new Map<string, string>();
  const specKey = (spec: { rel: string }) => {
    let key = specKeys.get(spec.rel);
    if (key === undefined) {
      const rels = deps.get(spec.rel) ?? [spec.rel];
      const parts = rels.flatMap((r) => {
        const s = byRel.get(r);
        return [r, s ? summaryOf(s).digest : ""];
      });
      specKeys.set(spec.rel, (key = sha(base, ...parts)));
    }
    return key;
  };
  // Fresh entries: one file per spec and target, or a target's fixed files together.
  const fresh: { key: string; files: OutFile[] }[] = [];
  let hits = 0;
  let misses = 0;
  const out: OutFile[][] = [];
  for (const name of effective.targets) {
    const t: TargetPlugin = TARGETS[name];
    const perSpec: OutFile[] = [];
    for (const spec of specs) {
      const one = t.kinds[spec.kind] as ((s: ElabSpec, f: Front, o: GenerateOptions) => OutFile) | undefined;
      if (!one) continue;
      if (!kindReaches(spec.kind).includes(t.language)) throw new Error(`internal: target ${t.target} emits ${spec.kind} specs, which do not reach ${t.language}`);
      const key = sha(specKey(spec), `target ${t.target}`, spec.rel);
      const hit = cache.get(key);
      if (hit && hit.length === 1) {
        hits++;
        perSpec.push(hit[0]!);
        continue;
      }
      const elab = made.get(spec.rel);
      // A spec the partial front skipped lost its files (pruned, other targets before): start again from the whole front.
      if (!elab) return runBackCached(partial!.full(), sources, cache, options);
      misses++;
      const file = one(elab, front, effective);
      fresh.push({ key, files: [file] });
      perSpec.push(file);
    }
    // Shared files see the per-spec files' paths and sources, which a cached file keeps.
    const shared: OutFile[] = [];
    for (const file of (await t.shared?.(specs, perSpec, effective)) ?? []) {
      const key = sha(base, `shared ${t.target}`, file.path, file.content);
      const hit = cache.get(key);
      if (hit && hit.length === 1) shared.push(hit[0]!);
      else (fresh.push({ key, files: [file] }), shared.push(file));
    }
    // Fixed files are made from what the generator fingerprint covers, so `base` is their whole key.
    if (t.fixed) {
      const key = sha(base, `fixed ${t.target}`);
      const hit = cache.get(key);
      const files = hit ?? (await t.fixed());
      if (!hit) fresh.push({ key, files });
      shared.push(...files);
    }
    out.push(perSpec, shared);
  }
  const done = await formatFiles(fresh.flatMap((f) => f.files));
  const formattedOf = new Map<OutFile, OutFile>();
  let at = 0;
  for (const { key, files } of fresh) {
    const formatted = cache.put(key, done.slice(at, (at += files.length)));
    files.forEach((f, i) => formattedOf.set(f, formatted[i]!));
  }
  // Fresh files are replaced by their formatted text; hits are formatted already.
  const files = out.flat().map((f) => formattedOf.get(f) ?? f);
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), formatted: done.length, hits, misses };
}
