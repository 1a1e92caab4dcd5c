import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { OutFile } from "../emit/types.ts";
import { isReserved, isSafeRelative } from "../write/names.ts";
import { digestOf, isDigest } from "./digest.ts";

/** Bumped whenever the entry format or the meaning of a key changes; older entries are then never read. */
export const CACHE_FORMAT = 4;
const MARK = "hwspec-emit-cache";
const ENTRY = /^[0-9a-f]{64}\.json$/;
const LANGS = new Set<OutFile["lang"]>(["ts", "c", "md", "html", "mermaid", "dot", "promela", "json", "css", "js", "svg"]);
/** Entries no run has used for this long are removed (a cache of a tree long since changed). */
export const MAX_AGE_MS = 14 * 24 * 3600 * 1000;
/**
 * How fresh "used" is kept: an entry read is marked used (its modification time set to now) only
 * when its mark is older than this, and the folder is swept at most this often. Against an age of
 * two weeks a day is exact enough, and a run after an edit then neither marks its hundreds of hits
 * nor looks at every entry's age (docs/output-ownership.md#emit-cache).
 */
export const MARK_EVERY_MS = 24 * 3600 * 1000;
/** When the folder was last swept, by its modification time; dot-named, so never taken for an entry. */
export const SWEPT = ".swept";
/** A header line is far shorter than this; an entry whose first line is longer is no entry this code wrote (a miss). */
const PEEK = 16 * 1024;
/** One buffer for every peek: a run peeks at an entry per spec and target, and each is decoded before the next. */
const peekBuffer = Buffer.allocUnsafe(PEEK);

/** A file as an entry's header lists it. */
interface FileMeta {
  path: string;
  lang: OutFile["lang"];
  source: string;
  /** The text's length in UTF-16 units (as `content.length`) and its SHA-256. */
  length: number;
  digest: string;
}

/**
 * Formatted output files, and the front end's records (front.ts), by key: in memory for the life
 * of the process (watch), and, with `dir`, on disk for the next run (one file per key). What is read from disk is checked, never
 * trusted: an entry that does not parse, carries another key or format, holds a path hwspec
 * would never write, or is not as long as its header says is a miss. Writes go through a temporary file and a rename, so a killed run
 * leaves a whole entry or none; a disk that refuses writes makes the cache a memory one.
 *
 * A file served from disk is read lazily: `get` reads the entry's header line, and the texts
 * only when a file's `content` is first read (each checked against the digest the header
 * gives). After one edit, writeTree finds nearly every file unchanged by its digest, so the
 * megabytes of unchanged text are read neither from here nor from the output folder.
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
    return this.lookup(key, this.memory, (path) => {
      const head = peekHeader(path);
      const entry = head && parseEntry(head.line, key);
      // A cut or padded entry is no entry.
      const metas = entry && entry.bodyBytes === head.bodyBytes ? parseMetas(entry.files) : undefined;
      if (!head || !metas) return undefined;
      const texts = once(() => readBody(path, key, metas));
      const memory = this.memory;
      const files = metas.map(({ path: p, lang, source, digest }, i): OutFile => ({
        path: p,
        lang,
        source,
        digest,
        get content() {
          try {
            return texts()[i]!;
          } catch (e) {
            // A watcher's next run emits these files again rather than meeting the same entry.
            memory.delete(key);
            throw e;
          }
        },
      }));
      return { value: files, mtimeMs: head.mtimeMs };
    });
  }

  /** Stores `files` under `key`; gives them back with their digests. */
  put(key: string, files: OutFile[]): OutFile[] {
    const withDigest = files.map((f) => ({ ...f, digest: f.digest ?? digestOf(f.content) }));
    this.memory.set(key, withDigest);
    const body = withDigest.map((f) => f.content).join("");
    const metas: FileMeta[] = withDigest.map(({ path, lang, source, content, digest }) => ({ path, lang, source, length: content.length, digest }));
    this.write(key, { bodyBytes: Buffer.byteLength(body), files: metas }, body);
    return withDigest;
  }

  /** A JSON value stored by `putRecord` under `key`; the caller checks its shape, as for any input. */
  getRecord(key: string): unknown {
    return this.lookup(key, this.records, (path) => {
      const whole = readWhole(path);
      if (!whole) return undefined;
      const cut = whole.text.indexOf("\n");
      return { value: parseEntry(cut < 0 ? whole.text : whole.text.slice(0, cut), key)?.record, mtimeMs: whole.mtimeMs };
    });
  }

  putRecord(key: string, record: unknown): void {
    this.records.set(key, record);
    this.write(key, { record });
  }

  /**
   * The value under `key`: from `memory`, else, with a disk, what `load` makes of its entry file
   * (undefined: a miss). A hit from disk is kept in memory and marks the entry as in use.
   */
  private lookup<T>(key: string, memory: Map<string, T>, load: (path: string) => { value: T | undefined; mtimeMs: number } | undefined): T | undefined {
    this.used.add(key);
    const hit = memory.get(key);
    if (hit !== undefined || !this.diskOk) return hit;
    const path = join(this.dir!, `${key}.json`);
    const found = load(path);
    if (found?.value === undefined) return undefined;
    if (Date.now() - found.mtimeMs > MARK_EVERY_MS) touch(path);
    memory.set(key, found.value);
    return found.value;
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

  /**
   * Removes disk entries unused for two weeks; only files named like entries, never anything else
   * in the folder. At most once a day (by the SWEPT file's time): a sweep looks at every entry.
   */
  pruneDisk(now = Date.now()): void {
    if (!this.diskOk) return;
    const swept = join(this.dir!, SWEPT);
    try {
      if (now - statSync(swept).mtimeMs < MARK_EVERY_MS) return;
    } catch {
      /* never swept */
    }
    let names: string[];
    try {
      names = readdirSync(this.dir!);
      writeFileSync(swept, "");
      utimesSync(swept, now / 1000, now / 1000);
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

/** Marks an entry as in use, for pruning. */
function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    /* read-only cache: still usable */
  }
}

/** What `read` makes of the open entry file at `path`; undefined when it cannot be opened or read (a miss). */
function withEntry<T>(path: string, read: (fd: number) => T | undefined): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    return read(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A record entry's text and when it was last marked used. */
const readWhole = (path: string): { text: string; mtimeMs: number } | undefined =>
  withEntry(path, (fd) => ({ mtimeMs: fstatSync(fd).mtimeMs, text: readFileSync(fd, "utf8") }));

/** An entry whose texts a run counted on changed on disk before it read them (see `readBody`). */
export class CacheEntryChanged extends Error {}

const once = <T>(make: () => T): (() => T) => {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
};

/**
 * An entry is a header line of JSON, then the files' texts one after another, as they are:
 * JSON-escaping megabytes of generated code cost more to write and read than the rest of a
 * cached run. Gives the header line and how many bytes follow it, without reading them.
 */
function peekHeader(path: string): { line: string; bodyBytes: number; mtimeMs: number } | undefined {
  return withEntry(path, (fd) => {
    const { size, mtimeMs } = fstatSync(fd);
    const n = readSync(fd, peekBuffer, 0, Math.min(size, PEEK), 0);
    const cut = peekBuffer.subarray(0, n).indexOf(10);
    return cut < 0 ? undefined : { line: peekBuffer.toString("utf8", 0, cut), bodyBytes: size - cut - 1, mtimeMs };
  });
}

/** The header's file list, when it is one this code wrote. */
function parseMetas(list: unknown): FileMeta[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const metas: FileMeta[] = [];
  for (const f of list as Partial<FileMeta>[]) {
    if (!f || typeof f !== "object") return undefined;
    const { path, lang, source, length, digest } = f;
    if (typeof path !== "string" || !isSafeRelative(path) || isReserved(path)) return undefined;
    if (typeof lang !== "string" || !LANGS.has(lang) || typeof source !== "string") return undefined;
    if (typeof length !== "number" || !Number.isInteger(length) || length < 0) return undefined;
    if (!isDigest(digest)) return undefined;
    metas.push({ path, lang, source, length, digest });
  }
  return metas;
}

/**
 * The texts of an entry whose header `get` accepted, read when first needed. The entry was whole
 * then; one that changed since (removed, cut, or a text spoiled at the same length) is not
 * served, and since the run has already counted on it, that is an error to run again after. The
 * entry goes, so the next run emits those files afresh rather than meeting it again.
 */
function readBody(path: string, key: string, metas: readonly FileMeta[]): string[] {
  const fail = (): never => {
    try {
      rmSync(path, { force: true });
    } catch {
      /* read-only cache: the next run reads it, and fails, again */
    }
    throw new CacheEntryChanged(`the emit cache entry ${path} changed while this run used it; run again (or pass --no-cache)`);
  };
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return fail();
  }
  const cut = text.indexOf("\n");
  if (cut < 0 || !parseEntry(text.slice(0, cut), key)) return fail();
  const body = text.slice(cut + 1);
  let at = 0;
  const texts = metas.map((m) => body.slice(at, (at += m.length)));
  // Every text accounted for and each the one its digest names.
  if (at !== body.length || texts.some((t, i) => digestOf(t) !== metas[i]!.digest)) return fail();
  return texts;
}
