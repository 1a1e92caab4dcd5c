import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutFile } from "../emit/types.ts";
import { isReserved, isSafeRelative } from "../write/names.ts";

/** Bumped whenever the entry format or the meaning of a key changes; older entries are then never read. */
export const CACHE_FORMAT = 3;
const MARK = "hwspec-emit-cache";
const ENTRY = /^[0-9a-f]{64}\.json$/;
const LANGS = new Set<OutFile["lang"]>(["ts", "c", "md", "html", "mermaid", "dot", "promela", "json", "css", "js", "svg"]);
/** Entries no run has used for this long are removed (a cache of a tree long since changed). */
const MAX_AGE_MS = 14 * 24 * 3600 * 1000;

/**
 * Formatted output files, and the front end's records (front.ts), by key: in memory for the life
 * of the process (watch), and, with `dir`, on disk for the next run (one file per key). What is read from disk is checked, never
 * trusted: an entry that does not parse, carries another key or format, or holds a path hwspec
 * would never write is a miss. Writes go through a temporary file and a rename, so a killed run
 * leaves a whole entry or none; a disk that refuses writes makes the cache a memory one.
 */
export class EmitCache {
  private readonly memory = new Map<string, OutFile[]>();
  private readonly records = new Map<string, unknown>();
  private readonly used = new Set<string>();
  private diskOk: boolean;

  constructor(readonly dir?: string) {
    this.diskOk = !!dir;
  }

  get(key: string): OutFile[] | undefined {
    return this.read(key, this.memory, (e, body) => parseFiles(e.files, body));
  }

  put(key: string, files: OutFile[]): void {
    this.memory.set(key, files);
    this.write(key, { files: files.map(({ path, lang, source, content }) => ({ path, lang, source, length: content.length })) }, files.map((f) => f.content).join(""));
  }

  /** A JSON value stored by `putRecord` under `key`; the caller checks its shape, as for any input. */
  getRecord(key: string): unknown {
    return this.read(key, this.records, (e) => e.record);
  }

  putRecord(key: string, record: unknown): void {
    this.records.set(key, record);
    this.write(key, { record });
  }

  private read<T>(key: string, memory: Map<string, T>, take: (entry: Record<string, unknown>, body: string) => T | undefined): T | undefined {
    this.used.add(key);
    const hit = memory.get(key);
    if (hit !== undefined || !this.diskOk) return hit;
    const path = join(this.dir!, `${key}.json`);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
    // A header line of JSON, then the files' texts one after another, as they are: JSON-escaping
    // megabytes of generated code cost more to write and read than the rest of a cached run.
    const cut = text.indexOf("\n");
    const entry = parseEntry(cut < 0 ? text : text.slice(0, cut), key);
    const value = entry && take(entry, cut < 0 ? "" : text.slice(cut + 1));
    if (value === undefined) return undefined;
    try {
      // Marks the entry as in use, for pruning.
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      /* read-only cache: still usable */
    }
    memory.set(key, value);
    return value;
  }

  private write(key: string, header: Record<string, unknown>, body = ""): void {
    this.used.add(key);
    if (!this.diskOk) return;
    try {
      mkdirSync(this.dir!, { recursive: true });
      const tmp = join(this.dir!, `.${key}.${process.pid}.tmp`);
      writeFileSync(tmp, `${JSON.stringify({ cache: MARK, format: CACHE_FORMAT, key, ...header })}\n${body}`);
      renameSync(tmp, join(this.dir!, `${key}.json`));
    } catch {
      this.diskOk = false;
    }
  }

  /** Marks an entry as in use without reading it: this run needs it kept, maybe for the next one. */
  keep(key: string): void {
    this.used.add(key);
  }

  /** Forgets in-memory entries this process has not used since the last call (a watcher's edited-away versions). */
  sweepMemory(): void {
    for (const k of this.memory.keys()) if (!this.used.has(k)) this.memory.delete(k);
    for (const k of this.records.keys()) if (!this.used.has(k)) this.records.delete(k);
    this.used.clear();
  }

  /** Removes disk entries unused for two weeks; only files named like entries, never anything else in the folder. */
  pruneDisk(now = Date.now()): void {
    if (!this.diskOk) return;
    let names: string[];
    try {
      names = readdirSync(this.dir!);
    } catch {
      return;
    }
    for (const n of names) {
      if (!ENTRY.test(n) || this.used.has(n.slice(0, -5))) continue;
      try {
        if (now - statSync(join(this.dir!, n)).mtimeMs > MAX_AGE_MS) rmSync(join(this.dir!, n), { force: true });
      } catch {
        /* gone meanwhile */
      }
    }
  }
}

function parseEntry(text: string, key: string): Record<string, unknown> | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = v as { cache?: unknown; format?: unknown; key?: unknown };
  if (!e || typeof e !== "object" || e.cache !== MARK || e.format !== CACHE_FORMAT || e.key !== key) return undefined;
  return e as Record<string, unknown>;
}

function parseFiles(list: unknown, body: string): OutFile[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const files: OutFile[] = [];
  let at = 0;
  for (const f of list as (Partial<OutFile> & { length?: unknown })[]) {
    if (!f || typeof f !== "object") return undefined;
    const { path, lang, source, length } = f;
    if (typeof path !== "string" || !isSafeRelative(path) || isReserved(path)) return undefined;
    if (typeof lang !== "string" || !LANGS.has(lang) || typeof source !== "string") return undefined;
    if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || at + length > body.length) return undefined;
    files.push({ path, lang, source, content: body.slice(at, (at += length)) });
  }
  // Every text accounted for: a cut or padded entry is no entry.
  return at === body.length ? files : undefined;
}
