/**
 * The package as users get it: `npm pack`, `npm install <tarball>` into an empty project, then every
 * command of the installed CLI against that project's own specs, and the public modules through the
 * package's `exports` (plain node for the JavaScript, tsc for the declarations).
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explore } from "../../runtime/fsm/explorer.ts";
import { machine as dpci } from "../../generated/ts/xen/dpci-softirq.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const version = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

function sh(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // FORCE_COLOR/NO_COLOR from the test runner must not change what the CLI prints.
  const env = { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, npm_config_audit: "false", npm_config_fund: "false" };
  return spawnSync(cmd, args, { cwd, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  expect(`${what}: exit ${r.status}\n${r.stderr}`).toBe(`${what}: exit 0\n${r.stderr}`);
  return r.stdout;
}

interface PackedFile {
  path: string;
}

/** What `npm pack` would put in the tarball, without writing it. */
function packList(): string[] {
  const r = sh(NPM, ["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT);
  const out = JSON.parse(ok(r, "npm pack --dry-run")) as { files: PackedFile[] }[];
  return out[0]!.files.map((f) => f.path).sort();
}

const TIMER = {
  $schema: "../../node_modules/hwspec/specs/schema/registers.schema.json",
  kind: "registers",
  name: "acme.timer",
  doc: "Control block of the ACME watchdog timer.",
  layouts: {
    ctrl_bits: {
      width: 16,
      doc: "Timer control word.",
      fields: {
        enable: { bits: "0", doc: "Starts the counter." },
        mode: { bits: "2:1", doc: "Count mode.", enum: { ONESHOT: 0, PERIODIC: 1, FREERUN: 2 } },
        prescale: { bits: "15:8", doc: "Clock divider minus one." },
      },
      reserved: "res0",
    },
  },
  registers: {
    TIMER_CTRL: {
      offset: "0x10",
      width: 32,
      access: "rw",
      reset: "0x0",
      doc: "Control register.",
      fields: { ctl: { bits: "15:0", layout: "ctrl_bits", doc: "Control word." } },
      reserved: "res0",
    },
  },
};

/** A reader that may run before the writer has published: the explorer must find the bad end. */
const HANDOFF = {
  $schema: "../../node_modules/hwspec/specs/schema/machine.schema.json",
  kind: "machine",
  name: "acme.handoff",
  doc: "A writer publishes data then raises ready; the reader copies data without waiting for ready.",
  cpus: 2,
  vars: {
    data: { type: "int", max: 1, doc: "The payload." },
    ready: { type: "int", max: 1, doc: "Raised once data is written." },
    seen: { type: "int", max: 1, doc: "What the reader copied." },
  },
  locks: {},
  processes: {
    writer: { instances: 1, cpus: [0], steps: [{ label: "publish", effects: "data = 1" }, { label: "raise", effects: "ready = 1" }] },
    reader: { instances: 1, cpus: [1], steps: [{ label: "copy", effects: "seen = data" }] },
  },
  invariants: { bounded: "seen <= 1" },
  end: { got_payload: { expr: "seen == 1", doc: "The reader saw the payload." } },
};

describe("the packed package", () => {
  let work: string;
  let project: string;
  const hwspec = (...args: string[]) => sh(process.execPath, [join(project, "node_modules/hwspec/bin/hwspec.js"), ...args], project);

  beforeAll(() => {
    work = tempDir("hwspec-pack-");
    // npm pack runs prepare (the build), so the tarball holds a dist/ built from these sources.
    const packed = JSON.parse(ok(sh(NPM, ["pack", "--json", "--pack-destination", work], ROOT), "npm pack")) as { filename: string }[];
    const tarball = join(work, packed[0]!.filename);
    project = join(work, "project");
    mkdirSync(join(project, "specs/acme"), { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "acme-firmware", version: "1.0.0", private: true, type: "module" }, null, 2));
    writeFileSync(join(project, "specs/acme/timer.json"), JSON.stringify(TIMER, null, 2) + "\n");
    writeFileSync(join(project, "specs/acme/handoff.json"), JSON.stringify(HANDOFF, null, 2) + "\n");
    ok(sh(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project), "npm install <tarball>");
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("holds the tool, its schemas and docs only", () => {
    const files = packList();
    const allowed = /^(package\.json|README\.md|BENCHMARKS\.md|bin\/(hwspec\.js|package\.json)|dist\/cli\/main\.cjs|dist\/(generator|runtime|generated\/ts)\/.+|specs\/schema\/[a-z]+\.schema\.json|docs\/.+)$/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    for (const f of ["dist/cli/main.cjs", "dist/generator/validate/precompiled/registers.cjs", "dist/generator/emit/format-worker.mjs", "dist/generator/emit/c/templates/header.hbs", "dist/generator/emit/ts/static/support.ts", "dist/generator/emit/fsm/static/fsm.ts", "dist/generator/docs/templates/page.hbs", "dist/generator/docs/static/site.js", "dist/runtime/fsm/explorer.d.ts", "dist/generated/ts/support.d.ts", "specs/schema/machine.schema.json", "docs/spec-format.md"]) {
      expect(files, f).toContain(f);
    }
    // Declarations for the public modules only: the CLI's modules are not an API.
    expect(files.filter((f) => f.startsWith("dist/generator/") && f.endsWith(".d.ts"))).toEqual([]);
    // The CLI runs from its bundle (dist/cli); of the generator's compiled modules only the workers and assets ship.
    expect(files.filter((f) => f.startsWith("dist/generator/") && f.endsWith(".js") && !f.startsWith("dist/generator/docs/static/"))).toEqual([]);
    // No TypeScript sources but the verbatim templates the generator copies.
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual(["dist/generator/emit/fsm/static/fsm.ts", "dist/generator/emit/ts/static/support.ts"]);
  });

  it("installs with a clean dependency tree", () => {
    ok(sh(NPM, ["ls", "--all"], project), "npm ls --all");
  });

  it("--version and --help", () => {
    expect(ok(hwspec("--version"), "--version").trim()).toBe(version);
    expect(ok(hwspec("--help"), "--help")).toMatch(/Usage: hwspec \[options\] \[command\]/);
    expect(ok(hwspec("decode", "--help"), "decode --help")).toContain("Examples:");
  });

  it("check, list, layout, decode, encode on the project's specs", () => {
    expect(ok(hwspec("check"), "check")).toContain("2 specs OK");
    const list = JSON.parse(ok(hwspec("list", "--json"), "list"));
    expect(JSON.stringify(list)).toContain("acme.timer.TIMER_CTRL");
    const layout = JSON.parse(ok(hwspec("layout", "TIMER_CTRL", "--json"), "layout"));
    expect(layout).toMatchObject({ name: "acme.timer.TIMER_CTRL", offset: "0x10" });
    expect(layout.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(["ctl.enable", "ctl.mode", "ctl.prescale"]));
    const decoded = JSON.parse(ok(hwspec("decode", "TIMER_CTRL", "0xff03", "--json"), "decode"));
    expect(decoded.fields.find((f: { path: string }) => f.path === "ctl.prescale")).toMatchObject({ lsb: 8, width: 8, value: "0xff" });
    expect(decoded.fields.find((f: { path: string }) => f.path === "ctl.mode")).toMatchObject({ value: "0x1", meaning: "PERIODIC" });
    expect(ok(hwspec("encode", "TIMER_CTRL", "ctl.enable=1", "ctl.mode=2", "ctl.prescale=0x12"), "encode").trim()).toBe("0x00001205");
  });

  it("each command loads only what it uses", () => {
    // Logs every package an ES import or a require resolves into, from a preload in the project.
    writeFileSync(join(project, "loads-hooks.mjs"), `export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  process.stderr.write("LOADED " + r.url + "\\n");
  return r;
}
`);
    writeFileSync(join(project, "loads.mjs"), `import Module, { register } from "node:module";
register("./loads-hooks.mjs", import.meta.url);
const load = Module._load;
Module._load = function (request, parent, isMain) {
  process.stderr.write("LOADED " + Module._resolveFilename(request, parent, isMain) + "\\n");
  return load.apply(this, arguments);
};
`);
    const logs = new Map<string, string>();
    const packagesLoaded = (...args: string[]) => {
      const r = sh(process.execPath, ["--import", "./loads.mjs", join(project, "node_modules/hwspec/bin/hwspec.js"), ...args], project);
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(0);
      logs.set(args.join(" "), r.stderr);
      const names = [...r.stderr.matchAll(/^LOADED .*node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/gm)].map((m) => (m[1] === "ajv" ? `ajv/${m[2]!.split("/").slice(0, 2).join("/")}` : m[1]!));
      return new Set(names);
    };
    const heavy = ["ts-morph", "typescript", "prettier", "handlebars", "json-schema-to-typescript", "ajv/dist/2020.js", "ajv/dist/compile", "ajv/dist/core.js"];
    for (const args of [["decode", "TIMER_CTRL", "0x1"], ["encode", "TIMER_CTRL", "ctl.enable=1"], ["layout", "TIMER_CTRL"], ["list"], ["check"], ["--help"]]) {
      const loaded = packagesLoaded(...args);
      expect(loaded.has("hwspec"), args.join(" ")).toBe(true);
      expect(heavy.filter((p) => loaded.has(p)), args.join(" ")).toEqual([]);
    }
    // The same log shows what generation needs, so an empty list above is not for want of seeing.
    const generation = packagesLoaded("generate", "--out", join(work, "generated-for-loads"));
    expect(["ts-morph", "prettier"].filter((p) => generation.has(p))).toEqual(["ts-morph", "prettier"]);
    // The validators run from the bundle, not their files; builtins only some runs need load when they do.
    const check = logs.get("check")!;
    expect(check).toMatch(/^LOADED node:fs$/m);
    expect(check).not.toMatch(/validate\/precompiled\//);
    expect(["node:child_process", "node:worker_threads", "node:v8"].filter((m) => new RegExp(`^LOADED ${m}$`, "m").test(check))).toEqual([]);
    // Handlebars is in the bundle, its runtime only: the build precompiles the templates.
    const bundle = readFileSync(join(project, "node_modules/hwspec/dist/cli/main.cjs"), "utf8");
    expect(bundle).toContain("HandlebarsEnvironment");
    expect(bundle).not.toContain("JavaScriptCompiler");
  });

  it("a bad spec gets a located error from the precompiled schema validators", () => {
    const bad = join(work, "bad-specs");
    mkdirSync(join(bad, "acme"), { recursive: true });
    const spec = structuredClone(TIMER) as Record<string, unknown> & { registers: { TIMER_CTRL: Record<string, unknown> } };
    spec.registers.TIMER_CTRL.acess = "rw";
    writeFileSync(join(bad, "acme/timer.json"), JSON.stringify(spec, null, 2) + "\n");
    const r = hwspec("check", "--specs", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/timer\.json:\d+:\d+: unknown property "acess" \(did you mean "access"\?\) \[\/registers\/TIMER_CTRL\/acess\]/);
  });

  it("reports the whole bad-spec corpus exactly as the sources do", () => {
    // The installed CLI validates with the precompiled validators, the in-process corpus test with
    // schemas compiled at run time; the messages must not depend on which.
    const fixtures = join(ROOT, "test/fixtures/bad");
    const cli = join(project, "node_modules/hwspec/bin/hwspec.js");
    for (const name of readdirSync(fixtures).sort()) {
      const [exitLine, ...rest] = readFileSync(join(fixtures, name, "expected.txt"), "utf8").split("\n");
      const r = sh(process.execPath, [cli, "check", "--specs", `test/fixtures/bad/${name}/specs`], ROOT);
      expect(`${name}: exit ${r.status}\n${r.stderr}`).toBe(`${name}: ${exitLine}\n${rest.join("\n")}`);
    }
  });

  it("generate writes the project's outputs, then --check finds them up to date", () => {
    ok(hwspec("generate"), "generate");
    const header = readFileSync(join(project, "generated/c/acme/timer.h"), "utf8");
    expect(header).toMatch(/@generated by hwspec/);
    expect(existsSync(join(project, "generated/ts/acme/timer.ts"))).toBe(true);
    expect(existsSync(join(project, "generated/ts/acme/handoff.ts"))).toBe(true);
    ok(hwspec("generate", "--check"), "generate --check");
  });

  it("diff classifies an edit between two spec folders", () => {
    const next = join(work, "specs-next");
    cpSync(join(project, "specs"), next, { recursive: true });
    const edited = structuredClone(TIMER);
    edited.layouts.ctrl_bits.fields.prescale.bits = "15:9";
    writeFileSync(join(next, "acme/timer.json"), JSON.stringify(edited, null, 2) + "\n");
    const r = hwspec("diff", "specs", next, "--json", "--fail-on", "breaking");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain("prescale");
  });

  it("docs writes a site", () => {
    ok(hwspec("docs", "--out", "site"), "docs");
    expect(readFileSync(join(project, "site/index.html"), "utf8")).toContain("acme.timer");
  });

  it("explore finds the handoff's bad end; export prints it as Mermaid", () => {
    const r = hwspec("explore", "handoff", "--json");
    expect(r.status, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ machine: "acme.handoff" });
    expect(result.violations.map((v: { kind: string; name: string }) => `${v.kind}:${v.name}`)).toContain("end:got_payload");
    expect(ok(hwspec("export", "acme.handoff", "--format", "mermaid"), "export")).toMatch(/flowchart/);
  });

  it("audit compares the generated C header with the spec through gcc", () => {
    const gcc = spawnSync("gcc", ["--version"]);
    if (gcc.error) {
      if (process.env.CI) throw new Error("gcc is required in CI for the audit test");
      return;
    }
    ok(hwspec("generate"), "generate");
    const header = "generated/c/acme/timer.h";
    expect(readFileSync(join(project, header), "utf8")).toContain("union timer_ctrl {");
    expect(ok(hwspec("audit", "TIMER_CTRL", "--c-header", header, "--c-type", "union timer_ctrl"), "audit")).toContain("agree");
    // The 16-bit control word is not the register's layout: a finding, exit 1.
    expect(hwspec("audit", "ctrl_bits", "--c-header", header, "--c-type", "union timer_ctrl").status).toBe(1);
  });

  it("the runtime modules load through the package's exports, and deep imports are refused", () => {
    writeFileSync(
      join(project, "use.mjs"),
      `import { explore } from "hwspec/fsm/explorer";
import { machine } from "hwspec/generated/xen/dpci-softirq";
import { Vpl011 } from "hwspec/arm/vpl011";
import { Gicv2 } from "hwspec/arm/gicv2";
import * as pagetable from "hwspec/x86/pagetable";
import * as support from "hwspec/support";
import { walk } from "hwspec/walk";
import { walk as x86 } from "hwspec/generated/x86/pagetable";
const r = explore(machine, {});
// One 4 KiB page by hand: L4[0] -> 0x2000, L3[0] -> 0x3000, L2[0] -> 0x4000, L1[1] -> frame 0x777 (present, rw).
const tables = new Map([[0x1000n, 0x2003n], [0x2000n, 0x3003n], [0x3000n, 0x4003n], [0x4008n, 0x777003n]]);
const walked = walk(x86, { root: 0x1000n, va: 0x1abcn, read: (pa) => tables.get(pa) ?? 0n }).translation.pa.toString(16);
let deep = "allowed";
try { await import("hwspec/dist/runtime/fsm/explorer.js"); } catch (e) { deep = e.code; }
console.log(JSON.stringify({ states: r.states, violations: r.violations.map((v) => v.kind + ":" + v.name).sort(), vpl011: typeof Vpl011, gicTyper: new Gicv2({ vcpus: 2 }).read(0, 4, 32), pagetable: Object.keys(pagetable).length > 0, support: Object.keys(support).length > 0, walked, deep }));
`,
    );
    const out = JSON.parse(ok(sh(process.execPath, ["use.mjs"], project), "node use.mjs"));
    const here = explore(dpci, {});
    expect(out).toEqual({ states: here.states, violations: here.violations.map((v) => `${v.kind}:${v.name}`).sort(), vpl011: "function", gicTyper: 0x21, pagetable: true, support: true, walked: "777abc", deep: "ERR_PACKAGE_PATH_NOT_EXPORTED" });
  });

  it("the exports carry declarations tsc resolves", () => {
    writeFileSync(
      join(project, "use.ts"),
      `import { explore, type ExploreResult } from "hwspec/fsm/explorer";
import { machine } from "hwspec/generated/xen/dpci-softirq";
const r: ExploreResult = explore(machine, {});
const n: number = r.states;
// @ts-expect-error a state count is not a string
const s: string = r.states;
export { n, s };
`,
    );
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["use.ts"] }),
    );
    ok(sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", project], project), "tsc on the user's project");
  });
});
