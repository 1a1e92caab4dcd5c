import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { digestOf } from "../../generator/cache/digest.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { checkTree, writeTree } from "../../generator/write/atomic.ts";
import type { KnownFile, KnownFiles } from "../../generator/write/stamps.ts";
import { tempDir } from "../helpers/project.ts";

/** Files with digests whose texts count how often they are read, as the emit cache serves them. */
function served(texts: Record<string, string>, reads: string[]): OutFile[] {
  return Object.entries(texts).map(([path, text]) => ({
    path,
    lang: "ts" as const,
    source: "test",
    digest: digestOf(text),
    get content() {
      reads.push(path);
      return text;
    },
  }));
}

function memoryKnown(): KnownFiles & { saves: number } {
  const k = {
    files: new Map<string, KnownFile>() as ReadonlyMap<string, KnownFile>,
    saves: 0,
    save(next: Map<string, KnownFile>) {
      k.files = next;
      k.saves++;
    },
  };
  return k;
}

const TEXTS = { "ts/a.ts": "export const a = 1;\n", "ts/b.ts": "export const b = 2;\n", "ts/c.ts": "export const c = 3;\n" };

/** Waits until the clock has moved on from now by more than a file-time tick, so a later write gets other times. */
function nextTick(): void {
  const until = Date.now() + 30;
  while (Date.now() < until) {
    /* spin: a few milliseconds */
  }
}

describe("writeTree with the stamps of its last write", () => {
  it("reads no text of a file that is as it left it and whose produced text has the same digest", () => {
    const out = join(tempDir("hwspec-known-"), "out");
    const known = memoryKnown();
    const first: string[] = [];
    expect(writeTree(out, served(TEXTS, first), { known }).added).toHaveLength(3);
    expect(known.files.size).toBe(3);
    const second: string[] = [];
    const p = writeTree(out, served(TEXTS, second), { known });
    expect(p).toEqual({ added: [], changed: [], removed: [] });
    expect(second).toEqual([]);
    // Nothing new learnt: the record is not written again.
    expect(known.saves).toBe(1);
    expect(checkTree(out, served(TEXTS, second), { known }).plan).toEqual({ added: [], changed: [], removed: [] });
    expect(second).toEqual([]);
  });

  it("reads and rewrites a file changed on disk, in place at the same size or replaced, and one whose produced text changed", () => {
    const out = join(tempDir("hwspec-known-"), "out");
    const known = memoryKnown();
    writeTree(out, served(TEXTS, []), { known });
    nextTick();
    // Same size, same inode: only the times tell.
    writeFileSync(join(out, "ts/a.ts"), "export const a = 9;\n");
    // Another file renamed over it.
    writeFileSync(join(out, "ts/b.tmp"), "export const b = 8;\n");
    renameSync(join(out, "ts/b.tmp"), join(out, "ts/b.ts"));
    const reads: string[] = [];
    const p = writeTree(out, served({ ...TEXTS, "ts/c.ts": "export const c = 4;\n" }, reads), { known });
    expect(p.changed).toEqual(["ts/a.ts", "ts/b.ts", "ts/c.ts"]);
    expect(readFileSync(join(out, "ts/a.ts"), "utf8")).toBe(TEXTS["ts/a.ts"]);
    expect(readFileSync(join(out, "ts/b.ts"), "utf8")).toBe(TEXTS["ts/b.ts"]);
    expect(readFileSync(join(out, "ts/c.ts"), "utf8")).toBe("export const c = 4;\n");
    const again: string[] = [];
    expect(writeTree(out, served({ ...TEXTS, "ts/c.ts": "export const c = 4;\n" }, again), { known })).toEqual({ added: [], changed: [], removed: [] });
    expect(again).toEqual([]);
  });

  it("treats a record from elsewhere, or a file without a digest, as unknown", () => {
    const out = join(tempDir("hwspec-known-"), "out");
    const known = memoryKnown();
    writeTree(out, served(TEXTS, []), { known });
    // The digest recorded is not the produced file's: its text must be compared.
    const wrong = { files: new Map([...known.files].map(([rel, k]) => [rel, { ...k, digest: digestOf("other") }])), save: () => {} };
    const reads: string[] = [];
    expect(writeTree(out, served(TEXTS, reads), { known: wrong })).toEqual({ added: [], changed: [], removed: [] });
    expect(reads.sort()).toEqual(Object.keys(TEXTS));
    const plain = Object.entries(TEXTS).map(([path, content]) => ({ path, content: content.replace("1", "5"), lang: "ts" as const, source: "test" }));
    expect(writeTree(out, plain, { known }).changed).toEqual(["ts/a.ts"]);
  });
});
