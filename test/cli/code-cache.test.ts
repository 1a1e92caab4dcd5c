import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers/project.ts";

/**
 * bin/hwspec.js compiles the bundled CLI (dist/cli/main.cjs) with a V8 code cache per node
 * version and command, kept beside the bundle. These run a copy of the built package, so the
 * checkout's own caches are never touched while other tests start the CLI.
 */
describe("the CLI's code cache", () => {
  let pkg: string;
  const caches = () => join(pkg, "dist/cli/code-cache");
  const run = (...args: string[]) => spawnSync(process.execPath, [join(pkg, "bin/hwspec.js"), ...args], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  const cacheOf = (command: string) => join(caches(), `${process.version}-${process.arch}-${command}.bin`);

  beforeAll(() => {
    pkg = tempDir("hwspec-code-cache-");
    for (const p of ["bin", "dist", "specs/schema", "package.json"]) cpSync(join(ROOT, p), join(pkg, p), { recursive: true, filter: (src) => basename(src) !== "code-cache" });
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
  });

  it("is written by a command's first run and used by the next, with the same output", () => {
    expect(existsSync(caches())).toBe(false);
    const first = run("decode", "IA32_VMX_BASIC", "0x00da040000000004");
    expect(first.status, first.stderr).toBe(0);
    expect(existsSync(cacheOf("decode"))).toBe(true);
    const made = readFileSync(cacheOf("decode"));
    const second = run("decode", "IA32_VMX_BASIC", "0x00da040000000004");
    expect(second.stdout).toBe(first.stdout);
    // Accepted, so not written again.
    expect(readFileSync(cacheOf("decode")).equals(made)).toBe(true);
    // Each command has its own.
    expect(run("list").status).toBe(0);
    expect(readdirSync(caches()).sort()).toEqual([`${process.version}-${process.arch}-decode.bin`, `${process.version}-${process.arch}-list.bin`]);
  });

  it("a spoiled cache is refused by V8 and replaced; the command runs as without one", () => {
    const clean = run("layout", "IA32_VMX_BASIC");
    expect(clean.status, clean.stderr).toBe(0);
    mkdirSync(caches(), { recursive: true });
    writeFileSync(cacheOf("layout"), Buffer.from("not a code cache at all, just bytes".repeat(100)));
    const spoiled = run("layout", "IA32_VMX_BASIC");
    expect(spoiled.status, spoiled.stderr).toBe(0);
    expect(spoiled.stdout).toBe(clean.stdout);
    expect(spoiled.stderr).toBe("");
    expect(readFileSync(cacheOf("layout")).toString("latin1")).not.toContain("not a code cache");
  });

  it("a usage error writes none, and a folder that cannot be written is no error", () => {
    const typo = run("decdoe", "X", "1");
    expect(typo.status).toBe(2);
    expect(existsSync(cacheOf("decdoe"))).toBe(false);
    // A file where the folder would be: the cache cannot be written, the command still succeeds.
    const other = tempDir("hwspec-code-cache-ro-");
    for (const p of ["bin", "dist", "specs/schema", "package.json"]) cpSync(join(pkg, p), join(other, p), { recursive: true, filter: (src) => basename(src) !== "code-cache" });
    symlinkSync(join(ROOT, "node_modules"), join(other, "node_modules"));
    writeFileSync(join(other, "dist/cli/code-cache"), "in the way\n");
    const r = spawnSync(process.execPath, [join(other, "bin/hwspec.js"), "list"], { cwd: ROOT, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("IA32_VMX_BASIC");
  });
});
