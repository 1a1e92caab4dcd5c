import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { ROOT, snapshot, tempDir } from "../helpers/project.ts";

const exec = promisify(execFile);
const BIN = join(ROOT, "bin/hwspec.js");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The CLI in its own process, as a user runs it. */
async function hwspecProcess(cwd: string, ...args: string[]) {
  try {
    const r = await exec(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
}

/** The CLI in this process, run from `cwd` (the config search starts at the current folder). */
async function hwspec(cwd: string, ...args: string[]) {
  const prev = process.cwd();
  process.chdir(cwd);
  try {
    return await runCli(args);
  } finally {
    process.chdir(prev);
  }
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});
const project = () => {
  const d = tempDir("hwspec-init-");
  temps.push(d);
  return d;
};

describe("hwspec init", () => {
  // Four real processes and tsc on a shared machine: a generous bound, not a timing assertion.
  it("writes a config and a spec that check, generate and tsc accept with the printed settings", { timeout: 300_000 }, async () => {
    const dir = project();
    const init = await hwspecProcess(dir, "init");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("wrote hwspec.config.json");
    expect(init.stdout).toContain("wrote specs/example.json");

    // $schema of both files points at this package's schemas (no node_modules/hwspec here).
    const spec = readFileSync(join(dir, "specs/example.json"), "utf8");
    const ref = /"\$schema": "([^"]+)"/.exec(spec)![1]!;
    expect(resolve(join(dir, "specs"), ref)).toBe(join(ROOT, "specs/schema/registers.schema.json"));
    const cfgRef = /"\$schema": "([^"]+)"/.exec(readFileSync(join(dir, "hwspec.config.json"), "utf8"))![1]!;
    expect(resolve(dir, cfgRef)).toBe(join(ROOT, "specs/schema/config.schema.json"));

    expect(await hwspecProcess(dir, "check")).toMatchObject({ code: 0, stdout: "1 spec OK\n" });
    expect((await hwspecProcess(dir, "generate")).code).toBe(0);
    expect(existsSync(join(dir, "generated/ts/example.ts"))).toBe(true);
    expect(existsSync(join(dir, "generated/c/example.h"))).toBe(true);

    // The compilerOptions init printed are enough for tsc to accept the generated code.
    const printed = JSON.parse(/\n(\{\n  "compilerOptions"[\s\S]*?\n\})\n/.exec(init.stdout)![1]!);
    expect(printed.compilerOptions).toMatchObject({ module: "NodeNext", allowImportingTsExtensions: true });
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ ...printed, include: ["generated", "use.ts"] }));
    writeFileSync(join(dir, "use.ts"), 'import { UART_STATUS } from "./generated/ts/example.ts";\nexport const empty: boolean = UART_STATUS.decode(0x90).rx_empty;\n');
    await exec(process.execPath, [TSC, "-p", "tsconfig.json"], { cwd: dir });
  });

  it("points $schema into node_modules/hwspec when the package is installed there", async () => {
    const dir = project();
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules/hwspec"), "dir");
    expect((await hwspec(dir, "init")).code).toBe(0);
    expect(readFileSync(join(dir, "specs/example.json"), "utf8")).toContain('"$schema": "../node_modules/hwspec/specs/schema/registers.schema.json"');
    expect(readFileSync(join(dir, "hwspec.config.json"), "utf8")).toContain('"$schema": "./node_modules/hwspec/specs/schema/config.schema.json"');
    expect((await hwspec(dir, "check")).code).toBe(0);
  });

  it("never overwrites without --force, and never a file it did not write", async () => {
    const dir = project();
    expect((await hwspec(dir, "init", "--dir", dir)).code).toBe(0);
    const first = snapshot(dir);
    const again = await hwspec(dir, "init");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("hwspec.config.json exists (pass --force to replace it)");
    expect(snapshot(dir)).toEqual(first);

    // --force replaces init's own files, even edited ones.
    writeFileSync(join(dir, "specs/example.json"), readFileSync(join(dir, "specs/example.json"), "utf8").replace("A small UART", "My UART"));
    expect((await hwspec(dir, "init", "--force")).code).toBe(0);
    expect(snapshot(dir)).toEqual(first);

    // A config written by hand is left alone even with --force, and nothing else is written either.
    const mine = '{ "specs": "my-specs" }\n';
    writeFileSync(join(dir, "hwspec.config.json"), mine);
    rmSync(join(dir, "specs/example.json"));
    const forced = await hwspec(dir, "init", "--force");
    expect(forced.code).toBe(2);
    expect(forced.stderr).toContain("was not written by hwspec init");
    expect(readFileSync(join(dir, "hwspec.config.json"), "utf8")).toBe(mine);
    expect(existsSync(join(dir, "specs/example.json"))).toBe(false);
  });
});

describe("hwspec.config.json", () => {
  it("is found from a subfolder; its paths are relative to its own folder; flags win", async () => {
    const dir = project();
    await hwspec(dir, "init");
    writeFileSync(
      join(dir, "hwspec.config.json"),
      `{
  // comments are allowed
  "specs": "hw/specs",
  "out": "build/gen",
  "targets": ["c"]
}
`,
    );
    mkdirSync(join(dir, "hw"));
    const { renameSync } = await import("node:fs");
    renameSync(join(dir, "specs"), join(dir, "hw/specs"));
    const sub = join(dir, "src/deep");
    mkdirSync(sub, { recursive: true });
    expect((await hwspec(sub, "check")).code).toBe(0);
    const gen = await hwspec(sub, "generate", "--json");
    expect(gen.code).toBe(0);
    // targets: ["c"] writes only the C headers (and the list of files hwspec owns there).
    expect([...snapshot(join(dir, "build/gen")).keys()]).toEqual([".hwspec-manifest.json", "c/example.h"]);
    // A flag overrides the config, relative to the current folder.
    const flagOut = await hwspec(sub, "generate", "--out", "here", "--targets", "ts");
    expect(flagOut.code).toBe(0);
    expect([...snapshot(join(sub, "here")).keys()]).toContain("ts/example.ts");
    expect([...snapshot(join(sub, "here")).keys()].some((k) => k.startsWith("c/"))).toBe(false);
    // --config names a file explicitly.
    const other = join(dir, "other.json");
    writeFileSync(other, '{ "specs": "nowhere" }');
    const r = await hwspec(sub, "--config", other, "check");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/spec folder .*nowhere not found/);
  });

  it("writes the docs site too when targets has docs", async () => {
    const dir = project();
    await hwspec(dir, "init");
    writeFileSync(join(dir, "hwspec.config.json"), '{ "targets": ["ts", "docs"], "docsOut": "site" }');
    expect((await hwspec(dir, "generate")).code).toBe(0);
    expect(existsSync(join(dir, "site/index.html"))).toBe(true);
    expect(existsSync(join(dir, "generated/ts/example.ts"))).toBe(true);
    expect(existsSync(join(dir, "generated/c"))).toBe(false);
    expect((await hwspec(dir, "generate", "--check")).code).toBe(0);
    rmSync(join(dir, "site/index.html"));
    const stale = await hwspec(dir, "generate", "--check");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("site/ is out of date");
    // hwspec docs uses docsOut too.
    rmSync(join(dir, "site"), { recursive: true });
    expect((await hwspec(dir, "docs")).code).toBe(0);
    expect(existsSync(join(dir, "site/index.html"))).toBe(true);
  });

  it("reports config errors with their location, as text or as JSON", async () => {
    const dir = project();
    const cfg = `{
  "specs": "specs",
  // a typo and a value outside the enum
  "target": ["ts"],
  "ts": { "importExtension": ".mjs" }
}
`;
    writeFileSync(join(dir, "hwspec.config.json"), cfg);
    const r = await hwspec(dir, "check");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('hwspec.config.json:4:3: unknown property "target" (did you mean "targets"?) [/target]');
    expect(r.stderr).toContain('hwspec.config.json:5:30: ".mjs" is not allowed: expected one of ".ts", ".js" [/ts/importExtension]');
    const j = await hwspec(dir, "list", "--json");
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).diagnostics).toEqual([
      { file: "hwspec.config.json", line: 4, col: 3, pointer: "/target", message: 'unknown property "target" (did you mean "targets"?)' },
      { file: "hwspec.config.json", line: 5, col: 30, pointer: "/ts/importExtension", message: '".mjs" is not allowed: expected one of ".ts", ".js"' },
    ]);
    writeFileSync(join(dir, "hwspec.config.json"), '{ "$schema": "./registers.schema.json" }');
    expect((await hwspec(dir, "check")).stderr).toContain("does not name hwspec's config schema");
    writeFileSync(join(dir, "hwspec.config.json"), '{ "specs": "specs", }');
    expect((await hwspec(dir, "check")).stderr).toMatch(/hwspec\.config\.json:1:21: invalid JSON/);
  });
});
