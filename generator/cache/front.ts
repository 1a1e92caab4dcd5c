import { createHash } from "node:crypto";
import { Diagnostics, type Diagnostic } from "../diagnostics.ts";
import type { Kind } from "../kinds/index.ts";
import type { LoadedTree } from "../load/tree.ts";
import type { SpecSource } from "../load/source.ts";
import { runFront, type Front, type FrontResult } from "../pipeline.ts";
import { specDependencies } from "./deps.ts";
import { generatorFingerprint } from "./fingerprint.ts";
import { CACHE_FORMAT, type EmitCache } from "./store.ts";

/** A spec of the tree as the back end needs it when its elaborated form was not made this run. */
export interface TreeSpecOf {
  rel: string;
  name: string;
  kind: Kind;
}

/**
 * A front end run over part of the tree: `front` holds the specs made again (and what they
 * reference); every other spec passed the front end unchanged in an earlier run, and `full`
 * makes the whole front when the back end finds one of their files missing from the cache.
 */
export interface PartialFront {
  specs: TreeSpecOf[];
  full(): Front;
}

export type CachedFrontResult = FrontResult & { partial?: PartialFront; reused: number };

/** The identifiers one group of specs claims in each namespace the whole tree shares. */
type Claims = Record<Space, string[]>;
const SPACES = ["c", "module", "barrel", "namespace", "member", "macro"] as const;
type Space = (typeof SPACES)[number];
/** Which spaces a claim must not meet in another group: a macro may not spell a struct member either. */
const CLASHES: Record<Space, Space[]> = { c: ["c"], module: ["module"], barrel: ["barrel"], namespace: ["namespace"], member: ["macro"], macro: ["member"] };

interface GroupRecord {
  warnings: Diagnostic[];
  claims: Claims;
}

/**
 * A group's record as stored: each space's identifiers in one string, NUL between them (no
 * identifier, path or name holds one), since a tree claims hundreds of thousands of them and one
 * string per space reads and writes far faster than as many JSON strings.
 */
interface StoredGroup {
  warnings: Diagnostic[];
  claims: Record<Space, string>;
}

const store = (g: GroupRecord): StoredGroup => ({ warnings: g.warnings, claims: Object.fromEntries(SPACES.map((s) => [s, g.claims[s].join("\0")])) as Record<Space, string> });

const sha = (...parts: string[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex");
};

/**
 * The front end (load to check) with the results of unchanged specs taken from `cache`
 * (docs/output-ownership.md#front-end-cache). Specs fall into groups, the connected parts of
 * the graph of references (deps.ts), since a spec's checks and elaboration read only what it
 * references. A group whose files (paths, shown names, texts) are those of a group of the last
 * accepted tree under `root` is not checked again: its warnings come from the record of that
 * run, and what it claims in the namespaces the whole tree shares (C identifiers, module paths,
 * barrel names, spec names) is checked against the groups made again. Any error, any clash and
 * any doubt runs the whole front end, so diagnostics are always those of a full run.
 */
export function runFrontCached(tree: LoadedTree, d: Diagnostics, cache: EmitCache, root: string): CachedFrontResult {
  const loadWarnings = d.warnings.length;
  const treeKey = sha(`front ${CACHE_FORMAT}`, generatorFingerprint(), root);
  const groups = groupsOf(tree.sources);
  const whole = (): CachedFrontResult => {
    const r = runFront(tree, d, true);
    if (r.ok && r.claims) {
      const made = recordsOf(r, groups, d.warnings.slice(loadWarnings));
      if (made) cache.putRecord(treeKey, { groups: Object.fromEntries(groups.map((g, i) => [g.key, store(made[i]!)])) });
    }
    if (r.ok) delete r.claims;
    return { ...r, reused: 0 };
  };
  // A tree that does not parse is reported by the whole front end.
  if (d.count) return whole();
  const last = parseRecord(cache.getRecord(treeKey));
  if (!last) return whole();
  const dirty = groups.filter((g) => !last.has(g.key));
  const again = dirty.flatMap((g) => g.sources);
  // Checking most of the tree apart from the rest saves nothing.
  if (again.length * 2 > tree.sources.length) return whole();
  const d2 = new Diagnostics();
  const part = runFront({ sources: again }, d2, true);
  if (!part.ok || !part.claims) return whole();
  const made = recordsOf(part, dirty, d2.warnings);
  if (!made) return whole();
  const clean = groups.filter((g) => last.has(g.key));
  // The clean groups were accepted together; the groups made again must not meet them.
  const fresh = new Map<Space, Set<string>>(SPACES.map((s) => [s, new Set(made.flatMap((m) => m.claims[s]))]));
  for (const g of clean) {
    const rec = last.get(g.key)!;
    for (const s of SPACES) {
      const against = CLASHES[s].map((o) => fresh.get(o)!).filter((set) => set.size);
      if (!against.length || !rec.claims[s]) continue;
      for (const id of rec.claims[s].split("\0")) for (const set of against) if (set.has(id)) return whole();
    }
  }
  const all = new Diagnostics();
  all.warnings.push(...d.warnings, ...d2.warnings, ...clean.flatMap((g) => last.get(g.key)!.warnings));
  // An unchanged tree leaves the record as it is.
  if (dirty.length || last.size !== groups.length) {
    const records = new Map<string, StoredGroup>([...clean.map((g) => [g.key, last.get(g.key)!] as const), ...dirty.map((g, i) => [g.key, store(made[i]!)] as const)]);
    cache.putRecord(treeKey, { groups: Object.fromEntries(groups.map((g) => [g.key, records.get(g.key)!])) });
  }
  const specs = tree.sources
    .map((s) => {
      const j = s.json as { name: string; kind: Kind };
      return { rel: s.rel, name: j.name, kind: j.kind };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const full = (): Front => {
    const r = runFront(tree, new Diagnostics());
    if (!r.ok) throw new Error(`internal: a tree accepted in parts is refused whole: ${r.diagnostics[0]?.message}`);
    return r.front;
  };
  return { ok: true, front: part.front, warnings: all.sortedWarnings(), partial: { specs, full }, reused: tree.sources.length - again.length };
}

interface Group {
  key: string;
  sources: SpecSource[];
}

/** The connected parts of the reference graph, each keyed by the generator and its files' paths, shown names and texts. */
function groupsOf(sources: readonly SpecSource[]): Group[] {
  const deps = specDependencies(sources);
  const up = new Map<string, string>(sources.map((s) => [s.rel, s.rel]));
  const find = (r: string): string => {
    let x = r;
    while (up.get(x) !== x) x = up.get(x)!;
    up.set(r, x);
    return x;
  };
  for (const s of sources) for (const dep of deps.get(s.rel) ?? []) if (up.has(dep)) up.set(find(dep), find(s.rel));
  const byRoot = new Map<string, SpecSource[]>();
  for (const s of sources) {
    const r = find(s.rel);
    if (!byRoot.has(r)) byRoot.set(r, []);
    byRoot.get(r)!.push(s);
  }
  const base = sha(`front ${CACHE_FORMAT}`, generatorFingerprint());
  return [...byRoot.values()].map((members) => ({ key: sha(base, ...members.flatMap((s) => [s.rel, s.file, s.text])), sources: members }));
}

/**
 * What each group of `groups` claims and was warned about in an accepted run over (at least)
 * them, by the file each claim and warning is located in; undefined when one is located in no
 * file of these groups, which would leave it without an owner.
 */
function recordsOf(r: FrontResult & { ok: true }, groups: readonly Group[], warnings: readonly Diagnostic[]): GroupRecord[] | undefined {
  const byFile = new Map<string, GroupRecord>();
  const byRel = new Map<string, GroupRecord>();
  const records = groups.map((g) => {
    const rec: GroupRecord = { warnings: [], claims: { c: [], module: [], barrel: [], namespace: [], member: [], macro: [] } };
    for (const s of g.sources) (byFile.set(s.file, rec), byRel.set(s.rel, rec));
    return rec;
  });
  let orphan = false;
  const at = (file: string) => byFile.get(file) ?? ((orphan = true), undefined);
  const claims = r.claims!;
  claims.c.scope.eachClaim((id, file) => at(file)?.claims.c.push(id));
  claims.modules.eachClaim((id, file) => at(file)?.claims.module.push(id));
  claims.barrel.eachClaim((id, file) => at(file)?.claims.barrel.push(id));
  for (const [file, ids] of claims.c.members) at(file)?.claims.member.push(...ids);
  for (const [id, file] of claims.c.macros) at(file)?.claims.macro.push(id);
  for (const s of r.front.model.specs) {
    const rec = byRel.get(s.rel);
    if (rec) rec.claims.namespace.push(s.name);
    else orphan = true;
  }
  for (const w of warnings) at(w.file)?.warnings.push({ file: w.file, line: w.line, col: w.col, pointer: w.pointer, message: w.message });
  return orphan ? undefined : records;
}

/** The last accepted tree's groups, or undefined when the record is missing or not one this code wrote. */
function parseRecord(v: unknown): Map<string, StoredGroup> | undefined {
  const groups = (v as { groups?: unknown } | undefined)?.groups;
  if (!groups || typeof groups !== "object") return undefined;
  const out = new Map<string, StoredGroup>();
  for (const [key, rec] of Object.entries(groups as Record<string, unknown>)) {
    const g = rec as Partial<StoredGroup> | null;
    if (!g || typeof g !== "object" || !Array.isArray(g.warnings) || !g.claims || typeof g.claims !== "object") return undefined;
    for (const s of SPACES) if (typeof g.claims[s] !== "string") return undefined;
    for (const w of g.warnings as Partial<Diagnostic>[]) {
      if (!w || typeof w.file !== "string" || typeof w.line !== "number" || typeof w.col !== "number" || typeof w.pointer !== "string" || typeof w.message !== "string") return undefined;
    }
    out.set(key, g as StoredGroup);
  }
  return out;
}
