import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { recover, writeTree } from "../../generator/write/atomic.ts";
import { copyTree, ROOT, snapshot, SPECS, tempDir } from "../helpers/project.ts";
import { pool, run, writeFiles, type Exit } from "./spawn.ts";

const CHILD = join(ROOT, "test/reliability/crash-child.ts");
const CLI = join(ROOT, "bin/hwspec.js");

const OLD = { "ts/a.ts": "export const a = 1;\n", "ts/sub/b.ts": "export const b = 2;\n", "c/gone.h": "#define GONE 1\n" };
const NEW = { "ts/a.ts": "export const a = 10;\n", "ts/sub/b.ts": "export const b = 2;\n", "ts/sub/deep/c.ts": "export const c = 3;\n", "c/new.h": "#define NEW 1\n" };
const asMap = (o: Record<string, string>) => new Map(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const treeOf = (dir: string) => (existsSync(dir) ? snapshot(dir) : new Map<string, string>());

/** Which reference tree `dir` holds: "old", "new", "missing" or "mixed". */
function classify(dir: string, old: Map<string, string>, next: Map<string, string>): string {
  if (!existsSync(dir)) return "missing";
  const t = snapshot(dir);
  if (same(t, old)) return "old";
  if (same(t, next)) return "new";
  return "mixed";
}
const same = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

function writeFilesJson(dir: string, files: Record<string, string>): string {
  const path = join(dir, "files.json");
  writeFileSync(path, JSON.stringify(Object.entries(files).map(([p, content]) => ({ path: p, content }))));
  return path;
}

describe("writeTree survives SIGKILL at every file-system step", () => {
  it("after recover() the folder is entirely the old tree or entirely the new one", async () => {
    const base = tempDir("hwspec-crash-");
    const filesJson = writeFilesJson(base, NEW);
    const old = asMap(OLD);
    const next = asMap(NEW);
    // Find how many mutating calls a complete run makes (K = 0 never kills).
    writeFiles(join(base, "probe", "out"), OLD);
    const full = await run(["--import", "tsx", CHILD, join(base, "probe", "out"), filesJson, "0"], { cwd: ROOT });
    expect(full.stderr).toBe("");
    const calls = Number(/calls (\d+)/.exec(full.stdout)?.[1]);
    expect(calls).toBeGreaterThan(Object.keys(NEW).length);

    const ks = Array.from({ length: calls + 1 }, (_, i) => i + 1);
    const results = await pool(
      ks.map((k) => async () => {
        const out = join(base, `k${k}`, "out");
        writeFiles(out, OLD);
        const exit = await run(["--import", "tsx", CHILD, out, filesJson, String(k)], { cwd: ROOT });
        const before = classify(out, old, next);
        recover(out);
        const after = classify(out, old, next);
        // A later run breaks the dead run's stale lock and completes.
        const plan = writeTree(out, Object.entries(NEW).map(([path, content]) => ({ path, content, lang: "ts" as const, source: "test" })));
        const completed = classify(out, old, next);
        const leftovers = [".new", ".old", ".lock"].filter((s) => existsSync(out + s));
        return { k, exit, before, after, completed, plan, leftovers };
      }),
    );
    for (const r of results) {
      const what = `crash before call ${r.k}: ${r.exit.stderr}`;
      if (r.k <= calls) expect(r.exit.signal, what).toBe("SIGKILL");
      else expect(r.exit.code, what).toBe(0);
      expect(["old", "new"], what).toContain(r.after);
      expect(r.completed, what).toBe("new");
      expect(r.leftovers, what).toEqual([]);
    }
    const seen = new Set(results.map((r) => r.after));
    // The crash points span the swap: early ones keep the old tree, late ones the new one.
    expect([...seen].sort()).toEqual(["new", "old"]);
    // Between the two renames the folder is briefly absent; recover() puts the old tree back.
    expect(results.some((r) => r.before === "missing" && r.after === "old")).toBe(true);
    // A dead holder's lock file is left behind at some crash points and never blocks the next run.
    rmSync(base, { recursive: true, force: true });
  });

  it("concurrent writers of different trees never interleave files", async () => {
    const base = tempDir("hwspec-race-");
    const out = join(base, "out");
    const trees = [0, 1, 2, 3].map((w) => {
      const files: Record<string, string> = {};
      for (let i = 0; i < 150; i++) files[`d${i % 7}/f${i}.ts`] = `// writer ${w}\nexport const v${i} = ${w};\n`;
      if (w % 2) files[`only-${w}.ts`] = `// writer ${w}\n`;
      return files;
    });
    for (let round = 0; round < 2; round++) {
      const jsons = trees.map((t, w) => {
        const dir = join(base, `w${w}`);
        writeFiles(dir, {});
        return writeFilesJson(tempDir("hwspec-race-json-"), t);
      });
      const exits = await Promise.all(jsons.map((j) => run(["--import", "tsx", CHILD, out, j, "0"], { cwd: ROOT })));
      for (const e of exits) expect(e.stderr + `exit ${e.code}`).toBe("exit 0");
      const final = snapshot(out);
      expect(trees.some((t) => same(final, asMap(t)))).toBe(true);
      expect([".new", ".old", ".lock"].filter((s) => existsSync(out + s))).toEqual([]);
    }
    rmSync(base, { recursive: true, force: true });
  });
});

describe("hwspec generate as a child process", () => {
  const base = tempDir("hwspec-cli-");
  const specsOld = join(base, "specs-old");
  const specsNew = join(base, "specs-new");
  copyTree(SPECS, specsOld);
  copyTree(SPECS, specsNew);
  const cr = join(specsNew, "x86/control-registers.json");
  writeFileSync(cr, readFileSync(cr, "utf8").replace('"Protection Enable: 1 enables protected mode."', '"Protection Enable (edited): 1 enables protected mode."'));
  const generate = (specs: string, out: string, extra: Parameters<typeof run>[1] = {}) =>
    run([CLI, "generate", "--specs", specs, "--out", out], { cwd: ROOT, ...extra });
  const ok = (e: Exit) => expect(`${e.stderr}exit ${e.code}`).toBe("exit 0");

  let refOld = new Map<string, string>();
  let refNew = new Map<string, string>();
  const references = async () => {
    if (refOld.size) return;
    const [a, b] = await Promise.all([generate(specsOld, join(base, "ref-old")), generate(specsNew, join(base, "ref-new"))]);
    ok(a);
    ok(b);
    refOld = snapshot(join(base, "ref-old"));
    refNew = snapshot(join(base, "ref-new"));
    expect(same(refOld, refNew)).toBe(false);
  };

  it("killed with SIGKILL at varied moments, generated/ is the old or the new output after recovery", async () => {
    await references();
    // Triggers: observed stages of the write (lock taken, staging folder present, swap under way)
    // and delays spread by iteration; whichever moment the kill lands on, the invariant must hold.
    const triggers: { name: string; make: (out: string) => () => boolean }[] = [
      { name: "lock appears", make: (out) => () => existsSync(`${out}.lock`) },
      { name: "staging appears", make: (out) => () => existsSync(`${out}.new`) },
      ...[0].map((i) => ({
        name: `delay #${i}`,
        make: () => {
          const start = process.hrtime.bigint();
          const ms = BigInt(1500 + i * 2500);
          return () => (process.hrtime.bigint() - start) / 1_000_000n >= ms;
        },
      })),
    ];
    const results = await pool(
      triggers.map((t, i) => async () => {
        const out = join(base, `kill${i}`, "generated");
        copyTree(join(base, "ref-old"), out);
        const exit = await generate(specsNew, out, { killWhen: t.make(out) });
        recover(out);
        const t1 = treeOf(out);
        return { name: t.name, exit, old: same(t1, refOld), new: same(t1, refNew) };
      }),
    );
    for (const r of results) {
      expect(r.exit.signal === "SIGKILL" || r.exit.code === 0, `${r.name}: ${r.exit.stderr}`).toBe(true);
      expect(r.old || r.new, `${r.name}: the tree is neither the old nor the new output`).toBe(true);
      if (r.exit.code === 0) expect(r.new, r.name).toBe(true);
    }
  });

  it("two concurrent generate runs on one folder leave one complete output", async () => {
    await references();
    const out = join(base, "shared", "generated");
    const [a, b] = await Promise.all([generate(specsOld, out), generate(specsNew, out)]);
    ok(a);
    ok(b);
    const final = treeOf(out);
    expect(same(final, refOld) || same(final, refNew)).toBe(true);
    expect([".new", ".old", ".lock"].filter((s) => existsSync(out + s))).toEqual([]);
  });
});
