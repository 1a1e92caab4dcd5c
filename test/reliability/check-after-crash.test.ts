import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MANIFEST } from "../../generator/write/names.ts";
import { ROOT, snapshot, SPECS, tempDir } from "../helpers/project.ts";
import { run, writeFiles, type Exit } from "./spawn.ts";

const CLI = join(ROOT, "bin/hwspec.js");
const TRAP = pathToFileURL(join(ROOT, "test/reliability/fs-trap.ts")).href;
const COMMIT = "renameSync:/.hwspec-staging/commit.json";

// A small spec tree, and the same tree with one doc edited: the two outputs differ in a few files.
const base = tempDir("hwspec-check-crash-");
afterAll(() => rmSync(base, { recursive: true, force: true }));
const specsOld = join(base, "specs-old");
const specsNew = join(base, "specs-new");
for (const dir of [specsOld, specsNew]) {
  cpSync(join(SPECS, "schema"), join(dir, "schema"), { recursive: true });
  cpSync(join(SPECS, "x86/control-registers.json"), join(dir, "x86/control-registers.json"));
}
const cr = join(specsNew, "x86/control-registers.json");
writeFileSync(cr, readFileSync(cr, "utf8").replace('"Protection Enable: 1 enables protected mode."', '"Protection Enable (edited): 1 enables protected mode."'));

const mine = { "NOTES.md": "the user's notes\n", "ts/x86/extra.ts": "export const extra = 1;\n" };
const hw = (...args: string[]) => run([CLI, ...args], { cwd: ROOT });
const check = (specs: string, out: string) => hw("generate", "--check", "--specs", specs, "--out", out);
const ok = (e: Exit) => expect(`${e.stderr}exit ${e.code}`).toBe("exit 0");
const owned = (out: string) => {
  const t = snapshot(out);
  for (const k of [...t.keys()]) if (k in mine || k.startsWith(".hwspec-")) t.delete(k);
  return t;
};
const intact = (out: string) => Object.entries(mine).every(([rel, text]) => readFileSync(join(out, rel), "utf8") === text);

/** An output folder holding the old output, plus the user's own files in it. */
async function seeded(name: string): Promise<string> {
  const out = join(base, name, "generated");
  ok(await hw("generate", "--specs", specsOld, "--out", out));
  writeFiles(out, mine);
  return out;
}

/** `generate` over the new specs, stopped by the fs trap at `at` (see fs-trap.ts). */
function trapped(out: string, at: string, mode: "kill" | "pause", whilePaused?: () => Promise<void>): Promise<Exit> {
  let started = false;
  return run(["--import", "tsx", "--import", TRAP, CLI, "generate", "--specs", specsNew, "--out", out], {
    cwd: ROOT,
    env: { ...process.env, HWSPEC_TRAP_DIR: out, HWSPEC_TRAP_AT: at, HWSPEC_TRAP: mode },
    onStderr: (stderr, kill) => {
      if (started || !stderr.includes("trap paused")) return;
      started = true;
      void whilePaused!().finally(kill);
    },
  });
}

describe("generate --check reads the committed view of a write in progress or killed", () => {
  it("a writer paused before its commit record: --check sees the old output; killed there, the next run completes", async () => {
    const out = await seeded("paused");
    const before = owned(out);
    const seen: { old?: Exit; next?: Exit; staging?: boolean; lock?: boolean } = {};
    const exit = await trapped(out, COMMIT, "pause", async () => {
      seen.staging = readdirSync(join(out, ".hwspec-staging")).some((n) => n.endsWith(".staged"));
      seen.lock = existsSync(join(out, ".hwspec-lock"));
      [seen.old, seen.next] = await Promise.all([check(specsOld, out), check(specsNew, out)]);
    });
    expect(exit.signal, exit.stderr).toBe("SIGKILL");
    expect(seen.staging && seen.lock).toBe(true); // it really was stopped half way, holding the lock
    ok(seen.old!);
    expect(seen.next!.code).toBe(1);
    expect(owned(out)).toEqual(before);
    expect(intact(out)).toBe(true);
    ok(await check(specsOld, out));

    ok(await hw("generate", "--specs", specsNew, "--out", out));
    ok(await check(specsNew, out));
    expect(intact(out)).toBe(true);
    expect(existsSync(join(out, ".hwspec-staging"))).toBe(false);
  });

  it("a writer killed just after its commit record: --check already sees the new output; the next run rolls forward", async () => {
    const out = await seeded("committed");
    const before = owned(out);
    const exit = await trapped(out, `${COMMIT}+1`, "kill");
    expect(exit.signal, exit.stderr).toBe("SIGKILL");
    // Nothing moved into place yet: the disk still holds the old files, the commit record says new.
    expect(owned(out)).toEqual(before);
    const [next, old] = await Promise.all([check(specsNew, out), check(specsOld, out)]);
    ok(next);
    expect(old.code).toBe(1);
    expect(intact(out)).toBe(true);

    const again = await hw("generate", "--specs", specsNew, "--out", out);
    ok(again);
    expect(again.stdout).toMatch(/already up to date/);
    expect(owned(out)).not.toEqual(before);
    ok(await check(specsNew, out));
    expect(intact(out)).toBe(true);
    expect(existsSync(join(out, ".hwspec-staging"))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, MANIFEST), "utf8")).files).not.toContain("NOTES.md");
  });
});
