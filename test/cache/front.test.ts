import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { runBackCached } from "../../generator/cache/back.ts";
import { runFrontCached } from "../../generator/cache/front.ts";
import { EmitCache } from "../../generator/cache/store.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { listSpecFiles, loadFiles } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { enMode, oneRegisterSpec, reservedAbove, SPECS, tempDir } from "../helpers/project.ts";

// tempDir folders are removed after the file (test/setup/temp.ts).
const cacheFolder = () => tempDir("hwspec-front-cache-test-");

const bytes = (files: OutFile[]) => files.map((f) => [f.path, f.content] as const);
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * One `generate` through the caches of `dir` (a new cache object, as a new process has) beside a
 * clean run of the same files: the diagnostics, warnings and bytes must be the clean run's.
 */
async function cachedAndClean(files: Record<string, string>, dir: string) {
  const d = new Diagnostics();
  const tree = loadFiles(files, d);
  const cache = new EmitCache(dir);
  const f = runFrontCached(tree, d, cache, "specs");
  const dc = new Diagnostics();
  const clean = runFront(loadFiles(files, dc), dc);
  expect(f.ok).toBe(clean.ok);
  if (!f.ok || !clean.ok) {
    expect(plain(f.ok ? [] : f.diagnostics)).toEqual(plain(clean.ok ? [] : clean.diagnostics));
    return { f, files: [] as OutFile[] };
  }
  expect(plain(f.warnings)).toEqual(plain(clean.warnings));
  const r = await runBackCached(f.front, tree.sources, cache, undefined, f.partial);
  expect(bytes(r.files)).toEqual(bytes(await runBack(clean.front)));
  return { f, files: r.files };
}



/** Unrelated specs, one nesting a layout of another, and one whose enum repeats a value (a warning). */
function small(edit: { plain2?: Record<string, unknown>; plain2Name?: string; baseBit2?: boolean } = {}): Record<string, string> {
  const ctl = { go: { bits: "0", doc: "Go." }, ...(edit.baseBit2 ? { more: { bits: "1", doc: "More." } } : {}) };
  const files: Record<string, string> = {
    "t/base.json": oneRegisterSpec("t.base", { extra: { layouts: { ctl: { width: 32, doc: "Control.", fields: ctl, reserved: reservedAbove(edit.baseBit2 ? 2 : 1) } } } }),
    "t/user.json": oneRegisterSpec("t.user", { fields: { lo: { bits: "31:0", layout: "t.base.ctl", doc: "Low." } }, used: 32 }),
    "t/warned.json": oneRegisterSpec("t.warned", { fields: { mode: { bits: "1:0", enum: { A: 0, B: 0 }, doc: "Mode." } }, used: 2 }),
  };
  for (let i = 0; i < 5; i++) files[`t/plain${i}.json`] = oneRegisterSpec(i === 2 && edit.plain2Name ? edit.plain2Name : `t.plain${i}`, { fields: i === 2 && edit.plain2 ? edit.plain2 : enMode() });
  return files;
}

function shippedTree(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of listSpecFiles(SPECS)) files[relative(SPECS, path).split(sep).join("/")] = readFileSync(path, "utf8");
  return files;
}

/** The first doc string of a spec text, changed: a valid edit that changes the spec's output. */
const editDoc = (text: string) => text.replace(/"doc": "/, '"doc": "Edited. ');

describe("front-end cache", () => {
  it("after an edit of one shipped spec re-checks only the specs connected to it, with a clean run's warnings and bytes", async () => {
    const dir = cacheFolder();
    const files = shippedTree();
    const total = Object.keys(files).length;
    expect((await cachedAndClean(files, dir)).f.reused).toBe(0);
    // A register block with overlays, entries, a machine with variants.
    for (const rel of ["arm/pl011.json", "x86/pagetable.json", "xen/dpci-softirq.json"]) {
      expect(files[rel]).toBeDefined();
      files[rel] = editDoc(files[rel]!);
      const { f } = await cachedAndClean(files, dir);
      expect(f.reused).toBeGreaterThan(0);
      expect(f.reused).toBeLessThan(total);
    }
    // Nothing edited: nothing checked again.
    expect((await cachedAndClean(files, dir)).f.reused).toBe(total);
  }, 120_000);

  it("re-checks every spec that references an edited one", async () => {
    const dir = cacheFolder();
    const first = await cachedAndClean(small(), dir);
    const after = await cachedAndClean(small({ baseBit2: true }), dir);
    // base and user (nests base's layout) again; the other six from the record.
    expect(after.f.reused).toBe(6);
    const header = (r: { files: OutFile[] }) => r.files.find((x) => x.path === "c/t/user.h")!.content;
    expect(header(after)).not.toBe(header(first));
  });

  it("keeps the warnings of specs it does not check again", async () => {
    const dir = cacheFolder();
    const first = await cachedAndClean(small(), dir);
    expect(first.f.ok && first.f.warnings.map((w) => w.file)).toEqual(["specs/t/warned.json"]);
    const after = await cachedAndClean(small({ plain2: enMode("Enable, edited.") }), dir);
    expect(after.f.reused).toBe(7);
    expect(after.f.ok && after.f.warnings.map((w) => w.file)).toEqual(["specs/t/warned.json"]);
  });

  it("reports an error of the edited spec as a clean run does, and serves the rest again once it is fixed", async () => {
    const dir = cacheFolder();
    await cachedAndClean(small(), dir);
    const broken = await cachedAndClean(small({ plain2: { en: { bits: "1:0", doc: "A." }, mode: { bits: "3:1", doc: "B." } } }), dir);
    expect(broken.f.ok).toBe(false);
    // The last accepted tree is still the first one.
    expect((await cachedAndClean(small(), dir)).f.reused).toBe(8);
  });

  it("runs the whole front end when an edited spec clashes with one it does not check again", async () => {
    const dir = cacheFolder();
    await cachedAndClean(small(), dir);
    // The namespace of another spec; then a name whose barrel namespace and C names are another's.
    for (const name of ["t.plain0", "t_plain0"]) {
      const r = await cachedAndClean(small({ plain2Name: name }), dir);
      expect(r.f.ok).toBe(false);
      expect(r.f.ok ? [] : r.f.diagnostics.map((x) => x.message).join("\n")).toMatch(/t\.plain0|t_plain0/);
    }
  });

  it("after a deleted or renamed spec file gives a clean run's result, checking only what changed", async () => {
    const dir = cacheFolder();
    const files = small();
    await cachedAndClean(files, dir);
    const { "t/plain3.json": gone, ...rest } = files;
    // Nothing to check again: the rest was accepted with it.
    expect((await cachedAndClean(rest, dir)).f.reused).toBe(7);
    const renamed = { ...rest, "t/moved/plain3.json": gone! };
    const r = await cachedAndClean(renamed, dir);
    expect(r.f.reused).toBe(7);
    expect(r.files.some((f) => f.path === "c/t/moved/plain3.h")).toBe(true);
  });

  it("checks new claims of an edited spec against every other group: a clash is a clean run's error, no clash reuses the rest", async () => {
    const dir = cacheFolder();
    await cachedAndClean(small(), dir);
    // A second register in plain2 under plain0's register name: the same C identifiers, claimed anew.
    const withRegister = (name: string) => {
      const files = small();
      const spec = JSON.parse(files["t/plain2.json"]!) as { registers: Record<string, { index: string }> };
      spec.registers[name] = { ...Object.values(spec.registers)[0]!, index: "0x200" };
      return { ...files, "t/plain2.json": JSON.stringify(spec, null, 2) };
    };
    const clash = await cachedAndClean(withRegister("R_t_plain0"), dir);
    expect(clash.f.ok).toBe(false);
    expect(clash.f.ok ? "" : clash.f.diagnostics.map((x) => x.message).join("\n")).toMatch(/already taken/);
    const fine = await cachedAndClean(withRegister("R_t_plain2_more"), dir);
    expect(fine.f.reused).toBe(7);
    // Back to a claim set the record holds (a subset of the last tree's): still the clean run's result.
    expect((await cachedAndClean(small(), dir)).f.reused).toBe(7);
  });

  it("reads no clean group's claims after an edit that claims nothing new", async () => {
    const dir = cacheFolder();
    await cachedAndClean(small(), dir);
    const read: string[] = [];
    const cache = new (class extends EmitCache {
      override getRecord(key: string) {
        read.push(key);
        return super.getRecord(key);
      }
    })(dir);
    const d = new Diagnostics();
    const f = runFrontCached(loadFiles(small({ plain2: enMode("Enable, edited.") }), d), d, cache, "specs");
    expect(f.ok && f.reused).toBe(7);
    // The tree's record and the claims of plain2 as it was.
    expect(read).toHaveLength(2);
  });

  it("makes the whole front when a spec it did not check again has lost its emitted files", async () => {
    const dir = cacheFolder();
    await cachedAndClean(small(), dir);
    // Only the front end's record is left.
    for (const n of readdirSync(dir)) if (readFileSync(join(dir, n), "utf8").includes('"files":')) rmSync(join(dir, n));
    const r = await cachedAndClean(small({ plain2: enMode("Enable, edited.") }), dir);
    expect(r.f.reused).toBe(7);
  });
});
