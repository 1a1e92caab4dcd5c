/**
 * Reserved words per target actually reached (docs/spec-format.md, "Reserved words"). A name some
 * language reserves is legal in a spec: only the identifier of a language that reserves it changes
 * (one `_` appended), strings keep the spec's name, a collision the renaming makes is a located
 * error, and what is accepted compiles — strict tsc; gcc -Werror as C11, GNU C11 and C++11;
 * `spin -a`; `dot`.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { EXPORT_FORMATS, EXPORT_LANGUAGES } from "../../generator/cli/commands/export.ts";
import { TARGETS } from "../../generator/emit/targets.ts";
import { KIND_PLUGINS, kindReaches } from "../../generator/kinds/index.ts";
import { runBack } from "../../generator/pipeline.ts";
import { runCli } from "../helpers/cli.ts";
import { frontOf, SPECS, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const has = (cmd: string, arg: string) => spawnSync(cmd, [arg]).status === 0;

const spec = (kind: string, name: string, body: object) =>
  JSON.stringify({ $schema: `../schema/${kind}.schema.json`, kind, name, doc: "test", ...body }, null, 2);

interface Built {
  out: string;
  specsDir: string;
  tsc: string;
}

/** Front and back end over `files`; the specs and everything generated are written under one temp folder. */
async function build(files: Record<string, string>): Promise<Built> {
  const r = frontOf(files);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`).join("\n"));
  const out = tempDir("hwspec-reserved-");
  dirs.push(out);
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  const write = (path: string, content: string) => {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  };
  for (const [path, content] of Object.entries(files)) write(`specs/${path}`, content);
  for (const f of await runBack(r.front)) write(f.path, f.content);
  return { out, specsDir: join(out, "specs"), tsc: strictTsc(out, ["ts/**/*.ts"]) };
}

const DIALECTS = [
  ["C11", ["-std=c11", "-pedantic"]],
  ["GNU C11", ["-std=gnu11"]],
  ["C++11", ["-x", "c++", "-std=c++11"]],
] as const;

/** Builds and runs `main` (which returns 0 when every check holds) against the generated headers, in each dialect. */
function runC(b: Built, headers: string[], main: string): Record<string, string> {
  const src = join(b.out, "main.c");
  writeFileSync(src, `${headers.map((h) => `#include "c/${h}"`).join("\n")}\n\nint main(void)\n{\n${main}\n    return 0;\n}\n`);
  const results: Record<string, string> = {};
  for (const [name, flags] of DIALECTS) {
    const exe = join(b.out, `main-${name.replace(/\W/g, "")}`);
    const cc = spawnSync("gcc", [...flags, "-Wall", "-Wextra", "-Werror", "-I", b.out, src, "-o", exe], { encoding: "utf8" });
    if (cc.status !== 0) {
      results[name] = `gcc: ${cc.stderr}`;
      continue;
    }
    const run = spawnSync(exe, [], { encoding: "utf8" });
    results[name] = run.status === 0 ? "ok" : `exit ${run.status}`;
  }
  return results;
}
const allOk = Object.fromEntries(DIALECTS.map(([n]) => [n, "ok"]));

/** A generated module or a value of it, read dynamically: the test checks its shape itself. */
type Mod = Record<string, any>;
const load = async (b: Built, path: string): Promise<Mod> => (await import(pathToFileURL(join(b.out, "ts", path)).href)) as Mod;

/** Field name → [bits, the C member the documented rule gives it]. */
const CTRL_FIELDS: Record<string, [string, string]> = {
  // Promela keywords: a registers spec never reaches Promela, so nothing changes anywhere.
  xs: ["0", "xs"],
  type: ["3:1", "type"],
  len: ["7:4", "len"],
  priority: ["11:8", "priority"],
  enabled: ["12", "enabled"],
  // C and C++ keywords, <stdint.h>/<stdbool.h> names and GNU C's predefined `linux`: members get `_`.
  int: ["13", "int_"],
  default: ["14", "default_"],
  register: ["15", "register_"],
  class: ["16", "class_"],
  new: ["17", "new_"],
  uint32_t: ["18", "uint32_t_"],
  linux: ["19", "linux_"],
  bool: ["20", "bool_"],
  delete: ["23:21", "delete_"],
};

const registersTree = () => ({
  "t/words.json": spec("registers", "t.words", {
    layouts: {
      // `union` is a C tag keyword; `enum` and `signed` name members, `enum` is also a TS keyword (a key there).
      union: { width: 32, doc: "", fields: { signed: { bits: "7:0" }, enum: { bits: "15:8", enum: { default: 1, case: 2 } } }, reserved: [{ bits: "31:16", policy: "res0" }] },
    },
    registers: {
      CTRL: { index: "0x10", width: 32, access: "rw", doc: "", reserved: "res0", fields: Object.fromEntries(Object.entries(CTRL_FIELDS).map(([n, [bits]]) => [n, { bits }])) },
      // Tags of registers are their lower-cased names: `int` and `default` are C keywords.
      INT: { index: "0x11", width: 32, access: "rw", doc: "", reserved: "res0", fields: { char: { bits: "3:0" } } },
      // TypeScript cannot `export const delete`; C++ cannot declare `union delete`.
      delete: { index: "0x12", width: 32, access: "rw", doc: "", fields: { body: { bits: "31:0", layout: "union" } } },
      DEFAULT: { index: "0x13", width: 32, access: "rw", doc: "", reserved: "res0", fields: { x: { bits: "0" } } },
      class: { index: "0x14", width: 32, access: "rw", doc: "", reserved: "res0", fields: { y: { bits: "0" } } },
    },
    groups: { blk: { registers: ["CTRL", "INT", "delete", "DEFAULT", "class"], available: "true" } },
    assert: [
      { expr: "sizeof(delete) == 4", doc: "a size fact naming a renamed register" },
      { expr: "sizeof(blk) == 20", doc: "and a group of them" },
    ],
  }),
});

describe("registers: keywords of the languages a registers spec reaches", () => {
  it("accepts Promela, TS and C keywords as field and register names; tsc and gcc (C11, GNU C11, C++11) accept the output", async () => {
    const b = await build(registersTree());
    expect(b.tsc).toBe("");
    // Members by the rule, read back through the accessors, which keep the spec's names.
    const sets = Object.entries(CTRL_FIELDS).map(([name, [bits, member]], i) => {
      const width = bits.includes(":") ? Number(bits.split(":")[0]) - Number(bits.split(":")[1]) + 1 : 1;
      const v = width === 1 ? 1 : (i % ((1 << width) - 1)) + 1;
      return { name, member, v, ts: width === 1 ? v === 1 : v };
    });
    const main = [
      "    union ctrl c;",
      "    c.raw = 0;",
      ...sets.map((s) => `    c.${s.member} = ${s.v};`),
      ...sets.map((s) => `    if (ctrl_get_${s.name}(c.raw) != ${s.v}u) return 1;`),
      ...sets.map((s) => `    if ((c.raw & CTRL_${s.name.toUpperCase()}_MASK) != ((uint32_t)${s.v} << CTRL_${s.name.toUpperCase()}_SHIFT)) return 2;`),
      "    union int_ r; r.raw = 0; r.char_ = 5; if (int_get_char(r.raw) != 5u) return 3;",
      "    union delete_ d; d.raw = 0; d.body.enum_ = UNION_ENUM_CASE; d.body.signed_ = 7;",
      "    if (union_get_enum(d.raw) != 2u || UNION_ENUM_CASE != 2u || d.body.raw != 0x207u) return 4;",
      "    union blk_group g; g.raw[0] = 0;",
      "    g.ctrl.raw = 1; g.int_.raw = 2; g.delete_.raw = 3; g.default_.raw = 4; g.class_.raw = 5;",
      "    if (g.raw[0] != 1u || g.raw[1] != 2u || g.raw[2] != 3u || g.raw[3] != 4u || g.raw[4] != 5u) return 5;",
      "    if (MSR_DELETE != 0x12 || MSR_DEFAULT != 0x13 || sizeof(union delete_) != 4) return 6;",
      "    t_words_build_assertions();",
    ].join("\n");
    expect(runC(b, ["t/words.h"], main)).toEqual(allOk);

    const m = await load(b, "t/words.ts");
    // Identifiers change where TypeScript reserves the name; every string keeps the spec's name.
    expect(m.delete_.name).toBe("delete");
    expect(m.delete_.qname).toBe("t.words.delete");
    expect(m.class_.name).toBe("class");
    expect(Object.keys(m)).not.toContain("delete");
    expect(m.registers.map((r: Mod) => r.name)).toEqual(["CTRL", "INT", "delete", "DEFAULT", "class"]);
    expect(m.CTRL.fields.map((f: Mod) => f.name)).toEqual(Object.keys(CTRL_FIELDS));
    // One-bit fields are booleans in TS.
    const fields = Object.fromEntries(sets.map((s) => [s.name, s.ts]));
    expect(m.CTRL.decode(m.CTRL.encode(fields))).toEqual(fields);
    expect(m.CTRL.get.len(m.CTRL.with(0, { len: 9, xs: true }))).toBe(9);
    expect(m.delete_.decode(m.delete_.encode({ body: { signed: 7, enum: 2 } }))).toEqual({ body: { signed: 7, enum: 2 } });
    expect(m.union.fields[1].enum).toEqual({ default: 1, case: 2 });
    expect(() => m.delete_.encode({ body: { enum: 0x100 } })).toThrow(/delete\.body|union\.enum/);
  });

  it("hwspec audit reads the renamed members as the spec's fields", async () => {
    const b = await build(registersTree());
    const r = await runCli(["--specs", b.specsDir, "audit", "t.words.CTRL", "--c-header", join(b.out, "c/t/words.h"), "--c-type", "union ctrl", "--json"]);
    const report = JSON.parse(r.stdout) as { agree: boolean; findings: unknown[] };
    expect(report.findings).toEqual([]);
    expect(report.agree).toBe(true);
    expect(r.code).toBe(0);
  });
});

/** x86/pagetable.json with a conversion, its parameter, constants and a format field named by keywords. */
function pagetableWithKeywords(extra: (s: Mod) => void = () => {}): Record<string, string> {
  const s = JSON.parse(readFileSync(join(SPECS, "x86/pagetable.json"), "utf8")) as Mod;
  s.constants.long = { doc: "a C keyword, not a TS one", value: 5 };
  s.constants.register = { doc: "likewise, from an expression", expr: "long + 1" };
  const conv = s.conversions.l1f_to_lNf;
  delete s.conversions.l1f_to_lNf;
  s.conversions.delete = { ...conv, param: "default", expr: conv.expr.replace(/\bf\b/g, "default") };
  s.flags.flags._PAGE_RW.field = "int";
  extra(s);
  return { "x86/pagetable.json": JSON.stringify(s, null, 2) };
}

describe("entries: constants, conversions and their parameters named by keywords", () => {
  it("renames each identifier only where its language reserves it; tsc and gcc accept; values agree", async () => {
    const b = await build(pagetableWithKeywords());
    expect(b.tsc).toBe("");
    const main = [
      "    if (long_ != 5 || register_ != 6) return 1;",
      "    if (delete_(_PAGE_PRESENT) != (_PAGE_PRESENT | _PAGE_PSE) || delete_(_PAGE_RW) != _PAGE_RW) return 2;",
      "    union l1e e; e.raw = 0; e.int_ = 1; if (e.raw != _PAGE_RW) return 3;",
    ].join("\n");
    expect(runC(b, ["x86/pagetable.h"], main)).toEqual(allOk);
    const m = await load(b, "x86/pagetable.ts");
    // `long` and `register` are no TS keywords: TS keeps them; `delete` is, so the function is `delete_`.
    expect(m.long).toBe(5);
    expect(m.register).toBe(6);
    expect(m.delete_(m._PAGE_PRESENT)).toBe(m._PAGE_PRESENT | m._PAGE_PSE);
    expect(m.l1e.decode(m.l1e.encode({ int: true }))).toMatchObject({ int: true });
  });
});

const machineTree = () => ({
  "t/kw.json": spec("machine", "t.kw", {
    cpus: 1,
    // TS cannot export `delete`; `string` cannot name a type; `priority`, `chan`, `skip` are Promela's.
    constants: { delete: 2, priority: 1 },
    enums: { string: ["chan", "skip"] },
    vars: {
      len: { type: "int", max: 3 },
      xs: { type: "bool" },
      enabled: { type: "enum", enum: "string" },
      mtype: { type: "bits", bits: ["class", "od"] },
    },
    locks: { atomic: "a lock named like a Promela keyword" },
    processes: {
      // Mermaid reads a bare `end` as the end of a subgraph; DOT reserves `node`, `graph`, `subgraph`.
      end: {
        instances: 2,
        cpus: [0],
        locals: { proctype: { type: "int", max: 3 } },
        steps: [
          { label: "node", effects: "lock(atomic)" },
          { label: "subgraph", effects: "len = len < 3 ? len + 1 : 0; proctype = delete; xs = !xs; enabled = skip" },
          { label: "graph", effects: "unlock(atomic)" },
        ],
      },
      graph: { instances: 1, cpus: [0], steps: [{ label: "run", effects: "enabled = chan; xs = len == priority" }] },
    },
    invariants: { int: "len <= 3" },
    functions: { new: { expr: "xs || !xs" } },
  }),
  // A single process: its steps and the reachable states are both drawn, and `st` once met `st_0`.
  "t/st.json": spec("machine", "t.st", {
    cpus: 1,
    vars: { x: { type: "int", max: 1 } },
    processes: { st: { instances: 1, cpus: [0], steps: [{ label: "a", effects: "x = 1" }, { label: "b", effects: "x = 0" }] } },
  }),
});

/** Mermaid words that end or restyle a statement (the test's own list, from the flowchart grammar). */
const MERMAID_WORDS = new Set(["end", "graph", "flowchart", "subgraph", "style", "classDef", "class", "click", "linkStyle", "direction", "default"]);

describe("machines: keywords of TypeScript, Promela, Mermaid and DOT", () => {
  it("accepts them; TS renames what it reserves and compiles", async () => {
    const b = await build(machineTree());
    expect(b.tsc).toBe("");
    const m = await load(b, "t/kw.ts");
    expect(m.string_).toEqual({ chan: 0, skip: 1 });
    expect(m.delete_).toBe(2);
    expect(m.priority).toBe(1);
    expect([m.class_, m.od]).toEqual([0, 1]);
    expect(m.new_(new Array(16).fill(0))).toBe(true);
    expect(m.machine.processes.map((p: Mod) => p.name)).toEqual(["end", "graph"]);
    expect(m.machine.globals.map((g: Mod) => g.name)).toEqual(["len", "xs", "enabled", "mtype", "atomic"]);
    expect(m.decodeState([3, 1, 1, 2, 0])).toEqual({ len: 3, xs: true, enabled: "skip", mtype: 2, atomic: 0 });
  });

  it.runIf(has("spin", "-V"))("the Promela export passes spin -a", async () => {
    const b = await build(machineTree());
    const r = await runCli(["--specs", b.specsDir, "export", "t.kw", "--format", "promela"]);
    expect(r.stderr).toBe("");
    const dir = join(b.out, "spin");
    mkdirSync(dir);
    writeFileSync(join(dir, "m.pml"), r.stdout);
    const spin = spawnSync("spin", ["-a", "m.pml"], { cwd: dir, encoding: "utf8" });
    expect(spin.stderr + (spin.status === 0 ? "" : spin.stdout)).toBe("");
    expect(spin.status).toBe(0);
  }, 60_000);

  it("Mermaid ids are never grammar words, and every node id is declared once", async () => {
    const b = await build(machineTree());
    for (const name of ["t.kw", "t.st"]) {
      const r = await runCli(["--specs", b.specsDir, "export", name, "--format", "mermaid"]);
      expect(r.code).toBe(0);
      const ids = [...r.stdout.matchAll(/^ {2}subgraph (\w+)\[|^ {4}(\w+)[[(]/gm)].map((x) => x[1] ?? x[2]!);
      expect(ids.length).toBeGreaterThan(3);
      for (const id of ids) expect(MERMAID_WORDS.has(id), id).toBe(false);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it.runIf(has("dot", "-V"))("DOT: graphviz draws one node per declared step and state", async () => {
    const b = await build(machineTree());
    for (const name of ["t.kw", "t.st"]) {
      const r = await runCli(["--specs", b.specsDir, "export", name, "--format", "dot"]);
      const declared = r.stdout.split("\n").filter((l) => /^ {4}\w+ \[label=/.test(l)).length;
      const svg = spawnSync("dot", ["-Tsvg"], { input: r.stdout, encoding: "utf8" });
      expect(svg.stderr).toBe("");
      expect(svg.status).toBe(0);
      expect((svg.stdout.match(/class="node"/g) ?? []).length).toBe(declared);
    }
  });
});

describe("collisions the renaming creates are located errors", () => {
  const refused = (files: Record<string, string>) => {
    const r = frontOf(files);
    if (r.ok) throw new Error("accepted");
    return r.diagnostics;
  };

  it("a register whose renamed TS and C identifiers another register already has", () => {
    const ds = refused({
      "t/r.json": spec("registers", "t.r", {
        registers: {
          delete: { index: "0x10", width: 32, access: "rw", doc: "", reserved: "res0", fields: { a: { bits: "0" } } },
          delete_: { index: "0x11", width: 32, access: "rw", doc: "", reserved: "res0", fields: { a: { bits: "0" } } },
        },
      }),
    });
    const ts = ds.find((d) => d.message.includes('TypeScript identifier "delete_"'));
    const c = ds.find((d) => d.message.includes('C identifier "delete_"'));
    for (const d of [ts, c]) {
      expect(d, JSON.stringify(ds)).toBeDefined();
      expect(d!.pointer).toBe("/registers/delete_");
      expect(d!.message).toMatch(/renamed from "delete"/);
      expect(d!.message).toMatch(/r\.json:\d+:\d+/);
    }
  });

  it("registers of one group whose C members meet after renaming", () => {
    const ds = refused({
      "t/r.json": spec("registers", "t.r", {
        registers: {
          A: { index: "0x10", width: 32, access: "rw", doc: "", c_name: "int", reserved: "res0", fields: { a: { bits: "0" } } },
          B: { index: "0x11", width: 32, access: "rw", doc: "", c_name: "int_", reserved: "res0", fields: { a: { bits: "0" } } },
        },
        groups: { g: { registers: ["A", "B"], available: "true" } },
      }),
    });
    const hit = ds.find((d) => d.message.includes("members of union g_group"));
    expect(hit, JSON.stringify(ds)).toBeDefined();
    expect(hit!.pointer).toBe("/registers/B");
  });

  it("a conversion parameter renamed onto a constant", () => {
    const ds = refused(pagetableWithKeywords((s) => (s.constants.default_ = { doc: "hidden by the renamed parameter", value: 1 })));
    const msgs = ds.filter((d) => d.message.includes('parameter "default" becomes the'));
    expect(msgs.map((d) => d.message.match(/the (\w+) identifier/)![1]).sort()).toEqual(["C", "TypeScript"]);
    for (const d of msgs) expect(d.pointer).toBe("/conversions/delete");
  });

  it("machine names whose TS identifiers meet after renaming", () => {
    const ds = refused({
      "t/m.json": spec("machine", "t.m", {
        constants: { delete: 1, delete_: 2 },
        vars: { x: { type: "bool" } },
        processes: { p: { instances: 1, cpus: [0], steps: [{ label: "a", effects: "x = !x" }] } },
      }),
    });
    const hit = ds.find((d) => d.message.includes('TypeScript identifier "delete_"'));
    expect(hit, JSON.stringify(ds)).toBeDefined();
    expect(hit!.pointer).toMatch(/^\/constants\/delete_?$/);
  });

  it("object-machinery names stay refused in every kind: they would be object keys in TS", () => {
    const ds = refused({
      "t/r.json": spec("registers", "t.r", { registers: { R: { index: "0x10", width: 32, access: "rw", doc: "", reserved: "res0", fields: { toString: { bits: "0" } } } } }),
    });
    expect(ds.map((d) => d.message)).toEqual(['field name "toString" is reserved in JavaScript objects']);
  });
});

describe("which languages a kind reaches: one statement, in the kind plugins", () => {
  it("a target emits a kind only if the kind reaches the target's language, and every reached language is emitted", () => {
    for (const t of Object.values(TARGETS)) for (const kind of Object.keys(t.kinds)) expect(kindReaches(kind), `${t.target} emits ${kind}`).toContain(t.language);
    const exported = new Set(Object.values(EXPORT_LANGUAGES));
    expect(Object.keys(EXPORT_LANGUAGES).sort()).toEqual([...EXPORT_FORMATS].sort());
    for (const [kind, plugin] of Object.entries(KIND_PLUGINS)) {
      for (const lang of plugin.reaches) {
        const target = Object.values(TARGETS).find((t) => t.language === lang);
        if (target) expect(Object.keys(target.kinds), `${kind} reaches ${lang}`).toContain(kind);
        // The exports (Mermaid, DOT, Promela) take machines only.
        else expect(exported.has(lang) && kind === "machine", `${kind} reaches ${lang}`).toBe(true);
      }
    }
    for (const lang of exported) expect(kindReaches("machine")).toContain(lang);
  });
});
