import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { frontOf, generateInMemory, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";

/**
 * An Arm-shaped entries spec: no flags word, levels named from the root (L0..L1), conditions on
 * the raw entry, and fields named `type` and `int` (a C keyword). It is accepted, and what it
 * generates compiles (strict tsc, gcc -Werror): names go through the per-target renaming.
 */
const spec = {
  $schema: "../schema/entries.schema.json",
  kind: "entries",
  name: "demo.descriptors",
  doc: "Two levels of 64-bit descriptors chosen by bits 1:0.",
  width: 64,
  valid: "(entry & 1) != 0",
  levels: {
    L0: {
      shift: "21",
      entries: "512",
      formats: {
        demo_table: { when: "(entry & 3) == 3", role: "table", address: { field: "next", bits: "47:12", holds: "address" }, fields: { type: { bits: "1:0" } }, reserved: [{ bits: "11:2", policy: "ignore" }, { bits: "63:48", policy: "res0" }] },
        demo_block: { when: "(entry & 3) == 1", role: "leaf", address: { field: "oa", bits: "47:21" }, fields: { type: { bits: "1:0" }, int: { bits: "2" } }, reserved: [{ bits: "20:3", policy: "res0" }, { bits: "63:48", policy: "ignore" }] },
      },
    },
    L1: {
      shift: "12",
      entries: "512",
      formats: {
        demo_page: { when: "(entry & 3) == 3", address: { field: "oa", bits: "47:12" }, fields: { type: { bits: "1:0" } }, reserved: [{ bits: "11:2", policy: "ignore" }, { bits: "63:48", policy: "ignore" }] },
        demo_l1_reserved: { when: "(entry & 3) == 1", role: "reserved", fields: { type: { bits: "1:0" } }, reserved: [{ bits: "63:2", policy: "ignore" }] },
      },
    },
  },
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("an Arm-shaped entries spec", () => {
  it("is accepted, and its model walks from L0 with roles by spec and by rule", () => {
    const r = frontOf({ "demo/descriptors.json": JSON.stringify(spec) });
    expect(r.ok ? [] : r.diagnostics.map((d) => d.message)).toEqual([]);
    if (!r.ok) return;
    const s = r.front.model.specs[0] as unknown as { levels: { name: string; depth: number; formats: { name: string; walk: { role: string; roleFrom: string } }[] }[] };
    expect(s.levels.map((l) => [l.name, l.depth])).toEqual([
      ["L1", 1],
      ["L0", 0],
    ]);
    // demo_page states no role: a format of the lowest level is a leaf by the default rule.
    expect(s.levels[0]!.formats.map((f) => [f.name, f.walk.role, f.walk.roleFrom])).toEqual([
      ["demo_page", "leaf", "rule"],
      ["demo_l1_reserved", "reserved", "spec"],
    ]);
  });

  it("generates TS and C that compile with fields named type and int", async () => {
    const r = frontOf({ "demo/descriptors.json": JSON.stringify(spec) });
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const files = await generateInMemory(r.front);
    const dir = tempDir();
    dirs.push(dir);
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    const header = files.find((f) => f.path.endsWith("descriptors.h"))!;
    expect(header.content).toContain("int_:1");
    execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only", "-x", "c", join(dir, header.path)]);
    expect(strictTsc(dir, ["ts/**/*.ts"])).toBe("");
    const ts = files.find((f) => f.path.endsWith("descriptors.ts"))!.content;
    // No condition covers an invalid type 0b00 / 0b10 entry, so the level's selector may answer undefined.
    expect(ts).toMatch(/export function l1e_format\(e: U64\): "demo_page" \| "demo_l1_reserved" \| undefined/);
  });
});
