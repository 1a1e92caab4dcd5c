/**
 * Identifiers are assigned once, in the elaborated model, and checked across the whole tree: a
 * collision becomes an import alias (TS) or a located error (C has no aliases), never output that
 * fails to compile.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gcc, STRICT } from "../c/harness.ts";
import { frontOf, SPECS, tempDir } from "../helpers/project.ts";
import { runBack } from "../../generator/pipeline.ts";
import { strictTsc } from "../helpers/tsc.ts";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const registers = (name: string, body: object) => JSON.stringify({ $schema: "../schema/registers.schema.json", kind: "registers", name, doc: "test", ...body }, null, 2);

/** Two specs that each define layout foo_bits; a register of the second nests the first's. */
function fooTree(cName?: string) {
  return {
    "a/one.json": registers("t.one", { layouts: { foo_bits: { width: 32, doc: "", ...(cName ? { c_name: cName } : {}), fields: { en: { bits: "0", doc: "" } }, reserved: [{ bits: "31:1", policy: "res0", doc: "" }] } } }),
    "b/two.json": registers("t.two", {
      layouts: { foo_bits: { width: 32, doc: "", fields: { x: { bits: "3:0", doc: "" } }, reserved: [{ bits: "31:4", policy: "res1", doc: "" }] } },
      registers: { REG: { index: "0x10", width: 64, access: "rw", doc: "", fields: { lo: { bits: "31:0", layout: "t.one.foo_bits", doc: "" }, hi: { bits: "63:32", layout: "foo_bits", doc: "" } } } },
    }),
  };
}

async function compiles(files: Record<string, string>): Promise<{ tsc: string; gcc: string }> {
  const r = frontOf(files);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join("\n"));
  const out = tempDir("hwspec-names-");
  dirs.push(out);
  const emitted = await runBack(r.front);
  for (const f of emitted) {
    mkdirSync(dirname(join(out, f.path)), { recursive: true });
    writeFileSync(join(out, f.path), f.content);
  }
  const headers = emitted.filter((f) => f.path.endsWith(".h")).map((f) => `#include "${f.path}"`);
  writeFileSync(join(out, "all.c"), `${headers.join("\n")}\nint main(void) { return 0; }\n`);
  const c = gcc([...STRICT, "-I", out, "-c", join(out, "all.c"), "-o", join(out, "all.o")]);
  return { tsc: strictTsc(out, ["ts/**/*.ts"]), gcc: c.ok ? "" : c.stderr };
}

describe("identifiers across the spec tree", () => {
  it("refuses two C unions of one name with a located error naming both specs", () => {
    const r = frontOf(fooTree());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.diagnostics.find((d) => d.message.includes('C identifier "foo_bits"'));
    expect(hit, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(hit!.file).toMatch(/two\.json$/);
    expect(hit!.pointer).toBe("/layouts/foo_bits");
    expect(hit!.message).toMatch(/one\.json:\d+:\d+/);
  });

  it("imports a nested layout whose name is taken under an alias: tsc and gcc accept the output", async () => {
    const { tsc, gcc: c } = await compiles(fooTree("one_foo_bits"));
    expect(tsc).toBe("");
    expect(c).toBe("");
  });

  it("an enum constant takes its name first; a nested layout of that name is imported under an alias", async () => {
    // t.two's layout foo has an enum on "mode", so its module exports FOO_MODE, the name of
    // the t.one layout that foo nests. C names stay apart through c_name.
    const files = {
      "a/one.json": registers("t.one", { layouts: { FOO_MODE: { width: 32, doc: "", c_name: "foo_mode_bits", fields: { x: { bits: "31:0", doc: "" } } } } }),
      "b/two.json": registers("t.two", {
        layouts: {
          foo: { width: 64, doc: "", c_name: "foo_bits", fields: { mode: { bits: "1:0", doc: "", enum: { OFF: 0, ON: 1 } }, inner: { bits: "63:32", doc: "", layout: "t.one.FOO_MODE" } }, reserved: "res0" },
        },
      }),
    };
    const r = frontOf(files);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const emitted = await runBack(r.front);
    const two = emitted.find((f) => f.path === "ts/b/two.ts")!.content;
    expect(two).toMatch(/import \{[^}]*\bFOO_MODE as t_one_FOO_MODE\b/);
    expect(two).toMatch(/export const FOO_MODE = Object\.freeze\(\{ OFF: 0x0, ON: 0x1 \} as const\);/);
    const { tsc, gcc: c } = await compiles(files);
    expect(tsc).toBe("");
    expect(c).toBe("");
  });

  it("refuses an entries constant that collides with a generated per-level constant", () => {
    const text = readFileSync(join(SPECS, "x86/pagetable.json"), "utf8");
    const spec = JSON.parse(text) as { constants: Record<string, unknown>; levels: Record<string, unknown> };
    const level = Object.keys(spec.levels)[0]!;
    spec.constants[`${level}_SHIFT`] = { doc: "collides", value: 3 };
    const r = frontOf({ "x86/pagetable.json": JSON.stringify(spec, null, 2) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const hit = r.diagnostics.find((d) => d.message.includes(`"${level}_SHIFT"`) && d.message.includes("TypeScript"));
    expect(hit, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(hit!.pointer).toMatch(new RegExp(`^/(constants/${level}_SHIFT|levels/${level})$`));
  });
});
