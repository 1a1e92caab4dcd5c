import { Diagnostics, type Diagnostic } from "../diagnostics.ts";
import type { Kind } from "../kinds/index.ts";
import type { LoadedTree } from "../load/tree.ts";
import type { SpecSource } from "../load/source.ts";
import { runFront, type Front, type FrontResult } from "../pipeline.ts";
import { specDependencies } from "./deps.ts";
import { sha } from "./digest.ts";
import { summaryOf } from "./summary.ts";
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
 * A group's claims as stored: each space's identifiers in one string, NUL between them (no
 * identifier, path or name holds one), since a tree claims hundreds of thousands of them and one
 * string per space reads and writes far faster than as many JSON strings. An entry of its own,
 * keyed by the group's key alone (what a group claims depends on its files only), so an edit
 * writes the claims of the groups it made again and reads those of no group it did not.
 */
type StoredClaims = Record<Space, string>;

const storedClaims = (c: Claims): StoredClaims => Object.fromEntries(SPACES.map((s) => [s, c[s].join("\0")])) as StoredClaims;
const claimsKey = (groupKey: string) => sha(`front claims ${CACHE_FORMAT}`, groupKey);

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
      if (made) {
        groups.forEach((g, i) => cache.putRecord(claimsKey(g.key), { claims: storedClaims(made[i]!.claims) }));
        cache.putRecord(treeKey, { groups: Object.fromEntries(groups.map((g, i) => [g.key, made[i]!.warnings])) });
      }
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
  if (!apart(made, clean, last, groups, cache)) return whole();
  const all = new Diagnostics();
  all.warnings.push(...d.warnings, ...d2.warnings, ...clean.flatMap((g) => last.get(g.key)!));
  // An unchanged tree leaves the record as it is.
  if (dirty.length || last.size !== groups.length) {
    dirty.forEach((g, i) => cache.putRecord(claimsKey(g.key), { claims: storedClaims(made[i]!.claims) }));
    const warnings = new Map<string, Diagnostic[]>(dirty.map((g, i) => [g.key, made[i]!.warnings]));
    cache.putRecord(treeKey, { groups: Object.fromEntries(groups.map((g) => [g.key, warnings.get(g.key) ?? last.get(g.key)!])) });
  }
  // Unread, the clean groups' claims are still this tree's: kept from pruning and from a watcher's sweep.
  for (const g of clean) cache.keep(claimsKey(g.key));
  const specs = tree.sources
    .map((s) => {
      // An accepted spec has its name and kind; the summary has them without reading the file.
      const { name, kind } = summaryOf(s);
      return { rel: s.rel, name, kind: kind as Kind };
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
  return [...byRoot.values()].map((members) => ({ key: sha(base, ...members.flatMap((s) => [s.rel, s.file, summaryOf(s).digest])), sources: members }));
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

/**
 * Whether the claims of the groups made again (`made`, for the groups not in `last`) meet none of
 * the clean groups' in a space where they clash. An accepted tree's claims never meet, and every
 * recorded tree was accepted (whole, or in parts that were checked against each other here), so
 * claims that the groups of the last tree now gone (`last` minus `groups`) held in the same
 * space cannot meet the clean groups either: when the groups made again claim nothing else, as
 * after an edit of docs or values, no clean group's claims are read. Otherwise every clean
 * group's claims are checked; a claims entry missing or not one this code wrote is a doubt (false).
 */
function apart(made: readonly GroupRecord[], clean: readonly Group[], last: ReadonlyMap<string, unknown>, groups: readonly Group[], cache: EmitCache): boolean {
  const fresh = new Map<Space, Set<string>>(SPACES.map((s) => [s, new Set(made.flatMap((m) => m.claims[s]))]));
  const claimsOf = (groupKey: string) => parseClaims(cache.getRecord(claimsKey(groupKey)));
  const current = new Set(groups.map((g) => g.key));
  const gone = [...last.keys()].filter((k) => !current.has(k)).map(claimsOf);
  if (gone.every((c) => c !== undefined)) {
    const held = new Map<Space, Set<string>>(SPACES.map((s) => [s, new Set(gone.flatMap((c) => (c![s] ? c![s].split("\0") : [])))]));
    if (SPACES.every((s) => [...fresh.get(s)!].every((id) => held.get(s)!.has(id)))) return true;
  }
  for (const g of clean) {
    const claims = claimsOf(g.key);
    if (!claims) return false;
    for (const s of SPACES) {
      const against = CLASHES[s].map((o) => fresh.get(o)!).filter((set) => set.size);
      if (!against.length || !claims[s]) continue;
      for (const id of claims[s].split("\0")) for (const set of against) if (set.has(id)) return false;
    }
  }
  return true;
}

/** A group's stored claims, or undefined when the entry is missing or not one this code wrote. */
function parseClaims(v: unknown): StoredClaims | undefined {
  const claims = (v as { claims?: unknown } | undefined)?.claims as Partial<StoredClaims> | undefined;
  if (!claims || typeof claims !== "object") return undefined;
  for (const s of SPACES) if (typeof claims[s] !== "string") return undefined;
  return claims as StoredClaims;
}

/** The last accepted tree's groups with their warnings, or undefined when the record is missing or not one this code wrote. */
function parseRecord(v: unknown): Map<string, Diagnostic[]> | undefined {
  const groups = (v as { groups?: unknown } | undefined)?.groups;
  if (!groups || typeof groups !== "object") return undefined;
  const out = new Map<string, Diagnostic[]>();
  for (const [key, warnings] of Object.entries(groups as Record<string, unknown>)) {
    if (!Array.isArray(warnings)) return undefined;
    for (const w of warnings as Partial<Diagnostic>[]) {
      if (!w || typeof w.file !== "string" || typeof w.line !== "number" || typeof w.col !== "number" || typeof w.pointer !== "string" || typeof w.message !== "string") return undefined;
    }
    out.set(key, warnings as Diagnostic[]);
  }
  return out;
}
