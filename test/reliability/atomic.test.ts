import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentTree, recover, writeTree } from "../../generator/write/atomic.ts";
import { manifestText } from "../../generator/write/manifest.ts";
import { MANIFEST } from "../../generator/write/names.ts";
import { commitStamp } from "../../generator/write/ownership.ts";
import { copyTree, ROOT, snapshot, SPECS, tempDir } from "../helpers/project.ts";
import { pool, run, writeFiles, type Exit } from "./spawn.ts";

const CHILD = join(ROOT, "test/reliability/crash-child.ts");
const CLI = join(ROOT, "bin/hwspec.js");

const OLD = { "ts/a.ts": "export const a = 1;\n", "ts/sub/b.ts": "export const b = 2;\n", "c/gone.h": "#define GONE 1\n" };
const NEW = { "ts/a.ts": "export const a = 10;\n", "ts/sub/b.ts": "export const b = 2;\n", "ts/sub/deep/c.ts": "export const c = 3;\n", "c/new.h": "#define NEW 1\n" };
/** A user's files inside the output folder (one beside hwspec's in its own folders) and beside it, named like the old swap's folders. */
const FOREIGN = { "notes.txt": "mine\n", "ts/user.ts": "export const mine = 1;\n", "c/vendor/x.h": "#define X 1\n" };
const SIBLINGS = { ".new/keep.txt": "user folder named like a staging folder\n", ".old/keep.txt": "user folder named like a backup\n", ".lock": "not a lock\n" };
const asMap = (o: Record<string, string>) => new Map(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
const outFiles = (o: Record<string, string>) => Object.entries(o).map(([path, content]) => ({ path, content, lang: "ts" as const, source: "test" }));
const same = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);

/** hwspec's files on disk: everything but the user's files and hwspec's bookkeeping. */
function ownedOnDisk(dir: string, foreign: Record<string, string> = FOREIGN): Map<string, string> {
  if (!existsSync(dir)) return new Map();
  const t = snapshot(dir);
  for (const k of [...t.keys()]) if (k in foreign || k.startsWith(".hwspec-")) t.delete(k);
  return t;
}

/** Which reference tree `t` is: "old", "new" or "mixed". */
const classify = (t: Map<string, string>, old: Map<string, string>, next: Map<string, string>) => (same(t, old) ? "old" : same(t, next) ? "new" : "mixed");

/** An output folder holding OLD as hwspec wrote it, the user's files in and beside it. */
function seed(out: string): void {
  writeTree(out, outFiles(OLD));
  writeFiles(out, FOREIGN);
  for (const [suffix, text] of Object.entries(SIBLINGS)) writeFiles(dirname(out), { [basename(out) + suffix]: text });
}

/** The user's files, in the folder and beside it, byte for byte as seeded. */
function userFilesIntact(out: string): boolean {
  const inside = Object.entries(FOREIGN).every(([rel, text]) => existsSync(join(out, rel)) && readFileSync(join(out, rel), "utf8") === text);
  const beside = Object.entries(SIBLINGS).every(([rel, text]) => existsSync(out + rel) && readFileSync(out + rel, "utf8") === text);
  return inside && beside;
}

/** hwspec's bookkeeping left in the folder: only the manifest once a run has completed. */
const bookkeeping = (out: string) => readdirSync(out).filter((n) => n.startsWith(".hwspec-")).sort();

function writeFilesJson(dir: string, files: Record<string, string>): string {
  const path = join(dir, "files.json");
  writeFileSync(path, JSON.stringify(outFiles(files)));
  return path;
}

describe("writeTree survives SIGKILL at every file-system step", () => {
  it("the committed view is always the old or the new tree, recovery lands on it, and the user's files never change", async () => {
    const base = tempDir("hwspec-crash-");
    const filesJson = writeFilesJson(base, NEW);
    const old = asMap(OLD);
    const next = asMap(NEW);
    // Find how many mutating calls a complete run makes (K = 0 never kills).
    seed(join(base, "probe", "out"));
    const full = await run(["--import", "tsx", CHILD, join(base, "probe", "out"), filesJson, "0"], { cwd: ROOT });
    expect(full.stderr).toBe("");
    const calls = Number(/calls (\d+)/.exec(full.stdout)?.[1]);
    expect(calls).toBeGreaterThan(Object.keys(NEW).length);

    const ks = Array.from({ length: calls + 1 }, (_, i) => i + 1);
    const results = await pool(
      ks.map((k) => async () => {
        const out = join(base, `k${k}`, "out");
        seed(out);
        const exit = await run(["--import", "tsx", CHILD, out, filesJson, String(k)], { cwd: ROOT });
        const disk = classify(ownedOnDisk(out), old, next);
        const committed = classify(currentTree(out), old, next);
        const intactAfterKill = userFilesIntact(out);
        recover(out);
        const recovered = classify(ownedOnDisk(out), old, next);
        const manifestAfterRecovery = readFileSync(join(out, MANIFEST), "utf8");
        // A later run breaks the dead run's stale lock and completes.
        const plan = writeTree(out, outFiles(NEW));
        const completed = classify(ownedOnDisk(out), old, next);
        return { k, exit, disk, committed, recovered, manifestAfterRecovery, completed, plan, intactAfterKill, intact: userFilesIntact(out), left: bookkeeping(out) };
      }),
    );
    for (const r of results) {
      const what = `crash before call ${r.k}: ${r.exit.stderr}`;
      if (r.k <= calls) expect(r.exit.signal, what).toBe("SIGKILL");
      else expect(r.exit.code, what).toBe(0);
      expect(["old", "new"], what).toContain(r.committed);
      // Recovery rolls forward exactly when the commit record had landed, and back otherwise.
      expect(r.recovered, what).toBe(r.committed);
      expect(r.manifestAfterRecovery, what).toBe(manifestText((r.recovered === "new" ? next : old).keys()));
      expect(r.completed, what).toBe("new");
      expect(r.intactAfterKill, what).toBe(true);
      expect(r.intact, what).toBe(true);
      expect(r.left, what).toEqual([MANIFEST]);
    }
    const seen = new Set(results.map((r) => r.committed));
    // The crash points span the commit: early ones keep the old tree, late ones the new one.
    expect([...seen].sort()).toEqual(["new", "old"]);
    // Some crash lands half way through moving files into place: the disk is mixed, the committed view is new.
    expect(results.some((r) => r.disk === "mixed" && r.committed === "new")).toBe(true);
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
      const jsons = trees.map((t) => writeFilesJson(tempDir("hwspec-race-json-"), t));
      const exits = await Promise.all(jsons.map((j) => run(["--import", "tsx", CHILD, out, j, "0"], { cwd: ROOT })));
      for (const e of exits) expect(e.stderr + `exit ${e.code}`).toBe("exit 0");
      const final = ownedOnDisk(out);
      const winner = trees.find((t) => same(final, asMap(t)));
      expect(winner).toBeDefined();
      expect(readFileSync(join(out, MANIFEST), "utf8")).toBe(manifestText(Object.keys(winner!)));
      expect(bookkeeping(out)).toEqual([MANIFEST]);
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
  const mine = { "README.md": "my notes about the output\n", "ts/x86/handwritten.ts": "export const handwritten = true;\n" };

  let refOld = new Map<string, string>();
  let refNew = new Map<string, string>();
  const references = async () => {
    if (refOld.size) return;
    const [a, b] = await Promise.all([generate(specsOld, join(base, "ref-old")), generate(specsNew, join(base, "ref-new"))]);
    ok(a);
    ok(b);
    refOld = ownedOnDisk(join(base, "ref-old"));
    refNew = ownedOnDisk(join(base, "ref-new"));
    expect(same(refOld, refNew)).toBe(false);
  };

  it("killed with SIGKILL at varied moments, the committed output is the old or the new one and the user's files are intact", async () => {
    await references();
    // Triggers: observed stages of the write (lock taken, staging folder present) and a delay;
    // whichever moment the kill lands on, the invariant must hold.
    const triggers: { name: string; make: (out: string) => () => boolean }[] = [
      { name: "lock appears", make: (out) => () => existsSync(join(out, ".hwspec-lock")) },
      { name: "staging appears", make: (out) => () => existsSync(join(out, ".hwspec-staging")) },
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
        writeFiles(out, mine);
        const exit = await generate(specsNew, out, { killWhen: t.make(out) });
        const committed = currentTree(out);
        recover(out);
        const t1 = ownedOnDisk(out, mine);
        const intact = Object.entries(mine).every(([rel, text]) => readFileSync(join(out, rel), "utf8") === text);
        return { name: t.name, exit, committed, old: same(t1, refOld), new: same(t1, refNew), recoveredToCommitted: same(t1, committed), intact };
      }),
    );
    for (const r of results) {
      expect(r.exit.signal === "SIGKILL" || r.exit.code === 0, `${r.name}: ${r.exit.stderr}`).toBe(true);
      expect(r.old || r.new, `${r.name}: the tree is neither the old nor the new output`).toBe(true);
      expect(r.recoveredToCommitted, r.name).toBe(true);
      expect(r.intact, `${r.name}: a user's file changed`).toBe(true);
      if (r.exit.code === 0) expect(r.new, r.name).toBe(true);
    }
  });

  it("two concurrent generate runs on one folder leave one complete output", async () => {
    await references();
    const out = join(base, "shared", "generated");
    const [a, b] = await Promise.all([generate(specsOld, out), generate(specsNew, out)]);
    ok(a);
    ok(b);
    const final = ownedOnDisk(out);
    expect(same(final, refOld) || same(final, refNew)).toBe(true);
    expect(bookkeeping(out)).toEqual([MANIFEST]);
    expect([".new", ".old", ".lock"].filter((s) => existsSync(out + s))).toEqual([]);
  });
});

describe("a write an earlier version committed and did not finish", () => {
  // Earlier versions staged each file at .hwspec-staging/files/<path>; this one stages flat.
  it("is rolled forward from its files/<path> staging by the next write, which then writes its own tree", () => {
    const out = join(tempDir(), "generated");
    seed(out);
    const staging = join(out, ".hwspec-staging");
    writeFiles(join(staging, "files"), { "ts/a.ts": NEW["ts/a.ts"], "ts/sub/deep/c.ts": NEW["ts/sub/deep/c.ts"], "c/new.h": NEW["c/new.h"] });
    const record = { version: 1, moves: ["c/new.h", "ts/a.ts", "ts/sub/deep/c.ts"], deletes: ["c/gone.h"], manifest: Object.keys(NEW).sort() };
    writeFileSync(join(staging, "commit.json"), JSON.stringify(record));
    // Before the next write, a reader already sees the committed tree.
    expect(currentTree(out)).toEqual(asMap(NEW));
    recover(out);
    expect(ownedOnDisk(out)).toEqual(asMap(NEW));
    expect(bookkeeping(out)).toEqual([MANIFEST]);
    expect(readFileSync(join(out, MANIFEST), "utf8")).toBe(manifestText(asMap(NEW).keys()));
    expect(userFilesIntact(out)).toBe(true);
    const plan = writeTree(out, outFiles({ ...NEW, "ts/a.ts": "export const a = 11;\n" }));
    expect(plan).toEqual({ added: [], changed: ["ts/a.ts"], removed: [] });
    expect(bookkeeping(out)).toEqual([MANIFEST]);
  });
});

describe("a commit that lists the same files", () => {
  // A reader without the lock (generate --check) reads again when the committed-state stamp moved.
  it("still changes the committed-state stamp, so a reader notices it", () => {
    const out = join(tempDir(), "generated");
    writeTree(out, outFiles(OLD));
    const before = commitStamp(out);
    const plan = writeTree(out, outFiles({ ...OLD, "ts/a.ts": "export const a = 2;\n" }));
    expect(plan).toEqual({ added: [], changed: ["ts/a.ts"], removed: [] });
    expect(readFileSync(join(out, MANIFEST), "utf8")).toBe(manifestText(asMap(OLD).keys()));
    expect(commitStamp(out)).not.toBe(before);
  });
});
