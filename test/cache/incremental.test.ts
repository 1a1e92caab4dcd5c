import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBackCached } from "../../generator/cache/back.ts";
import { specDependencies } from "../../generator/cache/deps.ts";
import { EmitCache } from "../../generator/cache/store.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { loadFiles } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { oneRegisterSpec, tempDir } from "../helpers/project.ts";

/**
 * A small tree with every way one spec reaches another: `t.user` nests a layout of `t.base` by its
 * qualified name, `t.variant` is an overlay of `t.base`; the `t.plain*` specs name no other spec.
 */
function tree(edits: { baseLayoutBit2?: boolean; plain2Doc?: string } = {}): Record<string, string> {
  const ctlFields = { go: { bits: "0", doc: "Go." }, stop: { bits: "1", doc: "Stop." }, ...(edits.baseLayoutBit2 ? { more: { bits: "2", doc: "More." } } : {}) };
  const files: Record<string, string> = {
    "t/base.json": oneRegisterSpec("t.base", {
      doc: "Base register.",
      extra: { layouts: { ctl: { width: 32, doc: "Control bits.", fields: ctlFields, reserved: [{ bits: edits.baseLayoutBit2 ? "31:3" : "31:2", policy: "res0", doc: "Unused." }] } } },
    }),
    "t/user.json": JSON.stringify(
      {
        $schema: "../schema/registers.schema.json",
        kind: "registers",
        name: "t.user",
        doc: "Uses a layout of t.base.",
        registers: { CTLS: { index: "0x200", width: 64, access: "ro", doc: "Two halves.", fields: { lo: { bits: "31:0", layout: "t.base.ctl", doc: "Low." }, hi: { bits: "63:32", layout: "t.base.ctl", doc: "High." } } } },
      },
      null,
      2,
    ),
    "t/variant.json": JSON.stringify(
      {
        $schema: "../schema/overlay.schema.json",
        kind: "registers",
        name: "t.variant",
        doc: "A variant of t.base.",
        extends: "t.base",
        overlay: [{ op: "replace", path: "/registers/R_t_base/doc", value: "Variant register.", doc: "Says which." }],
      },
      null,
      2,
    ),
  };
  for (let i = 0; i < 6; i++) files[`t/plain${i}.json`] = oneRegisterSpec(`t.plain${i}`, { doc: i === 2 && edits.plain2Doc ? edits.plain2Doc : `Plain register ${i}.` });
  return files;
}

function front(files: Record<string, string>) {
  const d = new Diagnostics();
  const t = loadFiles(files, d);
  const r = runFront(t, d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  return { front: r.front, sources: t.sources };
}

const bytes = (files: OutFile[]) => files.map((f) => [f.path, f.content] as const);
const sourcesOf = (files: OutFile[], paths: string[]) => files.filter((f) => paths.includes(f.path));

// tempDir folders are removed after the file (test/setup/temp.ts).
const cacheFolder = () => tempDir("hwspec-cache-test-");

describe("emit cache", () => {
  it("reads references from the texts: nested layouts by qualified name and overlay bases, transitively", () => {
    const deps = specDependencies(front(tree()).sources);
    expect(deps.get("t/user.json")).toEqual(["t/base.json", "t/user.json"]);
    expect(deps.get("t/variant.json")).toEqual(["t/base.json", "t/variant.json"]);
    expect(deps.get("t/base.json")).toEqual(["t/base.json"]);
    expect(deps.get("t/plain2.json")).toEqual(["t/plain2.json"]);
  });

  it("after one spec is edited, a second run from the disk cache re-emits only it and gives the bytes of a clean full run", async () => {
    const dir = cacheFolder();
    const first = front(tree());
    const r1 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    expect(bytes(r1.files)).toEqual(bytes(await runBack(first.front)));
    expect(r1.hits).toBe(0);

    const edited = front(tree({ plain2Doc: "Plain register two, edited." }));
    // A new cache object: only what the first run left on disk carries over, as for a second `hwspec generate`.
    const r2 = await runBackCached(edited.front, edited.sources, new EmitCache(dir), undefined);
    expect(bytes(r2.files)).toEqual(bytes(await runBack(edited.front)));
    // One spec, two targets (ts, c) emitted again; every other spec came from the cache.
    expect(r2.misses).toBe(2);
    expect(r2.hits).toBe(r1.misses - 2);
    const changed = r2.files.filter((f, i) => f.content !== r1.files[i]!.content).map((f) => f.path);
    expect(changed).toEqual(expect.arrayContaining(["c/t/plain2.h", "ts/t/plain2.ts"]));
    expect(changed.every((p) => /plain2\./.test(p))).toBe(true);
  });

  it("is bypassed for every spec that references an edited spec", async () => {
    const dir = cacheFolder();
    const first = front(tree());
    const r1 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    // A new bit in the nested layout changes the user's reserved mask: a stale entry would show.
    const edited = front(tree({ baseLayoutBit2: true }));
    const r2 = await runBackCached(edited.front, edited.sources, new EmitCache(dir), undefined);
    expect(bytes(r2.files)).toEqual(bytes(await runBack(edited.front)));
    // base, user (nests base's layout) and variant (an overlay of base), each for ts and c.
    expect(r2.misses).toBe(6);
    expect(r2.hits).toBe(r1.misses - 6);
    const text = (files: OutFile[], p: string) => files.find((f) => f.path === p)!.content;
    expect(text(r1.files, "c/t/user.h")).toContain("CTLS_RES0_MASK UINT64_C(0xfffffffcfffffffc)");
    expect(text(r2.files, "c/t/user.h")).toContain("CTLS_RES0_MASK UINT64_C(0xfffffff8fffffff8)");
    expect(sourcesOf(r2.files, ["ts/t/plain0.ts"])[0]!.content).toBe(sourcesOf(r1.files, ["ts/t/plain0.ts"])[0]!.content);
  });

  it("ignores corrupt, foreign and mislabelled entries and rewrites them", async () => {
    const dir = cacheFolder();
    const first = front(tree());
    await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    // Entries of one file each (a spec's file for one target), so each spoiled one costs one file formatted again.
    const single = (n: string) => {
      const text = readFileSync(join(dir, n), "utf8");
      return (JSON.parse(text.slice(0, text.indexOf("\n"))) as { files?: unknown[] }).files?.length === 1;
    };
    const entries = readdirSync(dir).filter((n) => n.endsWith(".json") && single(n)).sort();
    expect(entries.length).toBeGreaterThan(10);
    const [a, b, c, d, e, f] = entries;
    writeFileSync(join(dir, a!), "{ not json");
    writeFileSync(join(dir, b!), JSON.stringify({ cache: "something-else", format: 1, key: b!.slice(0, -5), files: [] }));
    // Right shape, another key inside: a copied or renamed entry is not served under this name.
    writeFileSync(join(dir, c!), readFileSync(join(dir, d!), "utf8"));
    // An entry is a JSON header line, then the files' texts.
    const text = readFileSync(join(dir, e!), "utf8");
    const entry = JSON.parse(text.slice(0, text.indexOf("\n"))) as { files: OutFile[] };
    entry.files[0]!.path = "../outside.ts";
    writeFileSync(join(dir, e!), JSON.stringify(entry) + text.slice(text.indexOf("\n")));
    // Cut short, as by a full disk: the texts no longer add up to the lengths the header gives.
    const whole = readFileSync(join(dir, f!), "utf8");
    writeFileSync(join(dir, f!), whole.slice(0, -1));
    const r = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    expect(bytes(r.files)).toEqual(bytes(await runBack(first.front)));
    expect(r.formatted).toBe(5);
    // Rewritten whole: a third run is served entirely from the cache.
    const r3 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    expect(r3.formatted).toBe(0);
    expect(bytes(r3.files)).toEqual(bytes(r.files));
  });

  it("serves a file's text from disk only when it is read, and never a text that changed since its header was read", async () => {
    const dir = cacheFolder();
    const first = front(tree());
    const r1 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    const r2 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    expect(r2.formatted).toBe(0);
    const header = r2.files.find((f) => f.path === "c/t/plain1.h")!;
    expect(header.digest).toMatch(/^[0-9a-f]{64}$/);
    // The entry holding it, spoiled at the same length after the run took its header.
    const entry = readdirSync(dir).find((n) => readFileSync(join(dir, n), "utf8").split("\n", 1)[0]!.includes('"c/t/plain1.h"'))!;
    const text = readFileSync(join(dir, entry), "utf8");
    writeFileSync(join(dir, entry), text.replace("PLAIN1", "PLAIN9"));
    expect(() => header.content).toThrow(/changed while this run used it/);
    // Every other file is still its clean text.
    const others = (files: OutFile[]) => bytes(files.filter((f) => f.path !== "c/t/plain1.h"));
    expect(others(r2.files)).toEqual(others(r1.files));
    // The spoiled entry is gone: the next run emits that file again, as a clean run does.
    const r3 = await runBackCached(first.front, first.sources, new EmitCache(dir), undefined);
    expect(r3.formatted).toBe(1);
    expect(bytes(r3.files)).toEqual(bytes(r1.files));
  });

  it("keys by options: TS with .js imports is not served the .ts-import files", async () => {
    const dir = cacheFolder();
    const f = front(tree());
    await runBackCached(f.front, f.sources, new EmitCache(dir), undefined);
    const js = { targets: ["ts", "c"] as const, ts: { importExtension: ".js" as const, emit: "ts" as const } };
    const r = await runBackCached(f.front, f.sources, new EmitCache(dir), js);
    expect(bytes(r.files)).toEqual(bytes(await runBack(f.front, js)));
    expect(r.files.find((x) => x.path === "ts/t/user.ts")!.content).toMatch(/from "\.\/base\.js"/);
  });
});
