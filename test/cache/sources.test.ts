import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBackCached } from "../../generator/cache/back.ts";
import { runFrontCached } from "../../generator/cache/front.ts";
import { loadTreeCached, RECENT_MS } from "../../generator/cache/sources.ts";
import { CacheEntryChanged, EmitCache } from "../../generator/cache/store.ts";
import { summaryOf } from "../../generator/cache/summary.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { oneRegisterSpec, tempDir } from "../helpers/project.ts";

/** A tree of four specs, `t.b` nesting a layout of `t.a`, read by a clock `agoMs` ahead of the writes. */
function project(agoMs: number) {
  const root = tempDir("hwspec-summaries-");
  const specs = join(root, "specs");
  mkdirSync(join(specs, "t"), { recursive: true });
  const files: Record<string, string> = {
    "t/a.json": oneRegisterSpec("t.a", { extra: { layouts: { ctl: { width: 32, doc: "Bits.", fields: { go: { bits: "0", doc: "Go." } }, reserved: "res0" } } } }),
    "t/b.json": JSON.stringify({ $schema: "../schema/registers.schema.json", kind: "registers", name: "t.b", doc: "Uses t.a.", registers: { B: { index: "0x300", width: 32, access: "rw", doc: "B.", fields: { c: { bits: "31:0", layout: "t.a.ctl", doc: "C." } } } } }, null, 2) + "\n",
    "t/c.json": oneRegisterSpec("t.c"),
    "t/d.json": oneRegisterSpec("t.d"),
  };
  for (const [rel, text] of Object.entries(files)) writeFileSync(join(specs, rel), text);
  const reads: string[] = [];
  const read = (p: string) => (reads.push(p.slice(specs.length + 1)), readFileSync(p, "utf8"));
  // Read a minute on: the files were just written (their change times are now), as a tree is long before a run.
  return { specs, cache: new EmitCache(join(root, "cache")), reads, opts: { read, now: () => Date.now() + agoMs } };
}

const OLD = 60_000;

describe("the cached spec loader", () => {
  it("reads no file whose stamp is as an earlier run recorded it, and generates the same bytes", async () => {
    const p = project(OLD);
    loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    expect(p.reads.sort()).toEqual(["t/a.json", "t/b.json", "t/c.json", "t/d.json"]);
    p.reads.length = 0;
    const d = new Diagnostics();
    const tree = loadTreeCached(p.specs, d, p.cache, p.opts);
    expect(p.reads).toEqual([]);
    const clean = loadTree(p.specs, new Diagnostics());
    expect(tree.sources.map((s) => summaryOf(s))).toEqual(clean.sources.map((s) => summaryOf(s)));
    // No front-end record or emitted file yet: the whole tree is made from the unread sources.
    const f = runFrontCached(tree, d, p.cache, p.specs);
    expect(f.ok).toBe(true);
    if (!f.ok) return;
    const files = (await runBackCached(f.front, tree.sources, p.cache, undefined, f.partial)).files;
    const whole = runFront(clean, new Diagnostics());
    if (!whole.ok) throw new Error("refused");
    expect(files.map((x) => [x.path, x.content])).toEqual((await runBack(whole.front)).map((x) => [x.path, x.content]));
  });

  it("reads an edited file again (in place, same size) and no other", () => {
    const p = project(OLD);
    loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    p.reads.length = 0;
    const c = join(p.specs, "t/c.json");
    const text = readFileSync(c, "utf8");
    writeFileSync(c, text.replace("A register.", "A_register."));
    const tree = loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    expect(p.reads).toEqual(["t/c.json"]);
    expect(tree.sources.find((s) => s.rel === "t/c.json")!.text).toContain("A_register.");
  });

  it("keeps no summary of a file changed just before it was read: the next run reads it again", () => {
    const p = project(RECENT_MS / 4);
    loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    p.reads.length = 0;
    loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    expect(p.reads.sort()).toEqual(["t/a.json", "t/b.json", "t/c.json", "t/d.json"]);
  });

  it("an unread spec that changed before it is read is an error to run again after, never stale text", () => {
    const p = project(OLD);
    loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    const tree = loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    const d = tree.sources.find((s) => s.rel === "t/d.json")!;
    writeFileSync(join(p.specs, "t/d.json"), oneRegisterSpec("t.d", { doc: "Changed meanwhile." }));
    expect(() => d.text).toThrow(CacheEntryChanged);
    expect(() => d.json).toThrow(/changed while this run read the spec tree; run again/);
  });

  it("a group made again reads the unchanged specs it holds, and its result is that of a clean run", async () => {
    const p = project(OLD);
    const first = loadTreeCached(p.specs, new Diagnostics(), p.cache, p.opts);
    const f1 = runFrontCached(first, new Diagnostics(), p.cache, p.specs);
    if (!f1.ok) throw new Error("refused");
    await runBackCached(f1.front, first.sources, p.cache, undefined, f1.partial);
    // Edit t.b, which nests a layout of t.a: their group is checked again, t.c and t.d are not read.
    const b = join(p.specs, "t/b.json");
    writeFileSync(b, readFileSync(b, "utf8").replace('"C."', '"C, edited."'));
    p.reads.length = 0;
    const d = new Diagnostics();
    const tree = loadTreeCached(p.specs, d, p.cache, p.opts);
    const f = runFrontCached(tree, d, p.cache, p.specs);
    expect(f.ok && f.reused).toBe(2);
    if (!f.ok) return;
    const files = (await runBackCached(f.front, tree.sources, p.cache, undefined, f.partial)).files;
    expect(p.reads.sort()).toEqual(["t/a.json", "t/b.json"]);
    const whole = runFront(loadTree(p.specs, new Diagnostics()), new Diagnostics());
    if (!whole.ok) throw new Error("refused");
    expect(files.map((x) => [x.path, x.content])).toEqual((await runBack(whole.front)).map((x) => [x.path, x.content]));
  });
});
