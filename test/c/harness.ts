/**
 * Shared pieces of the cross-language tests: the shapes of the registers specs, a seeded PRNG,
 * gcc invocation, and the C program that reads test vectors and prints what C sees.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { fieldEntries, type FieldEntry } from "../../generator/inspect/decode.ts";
import { embedsUnion } from "../../generator/emit/c/members.ts";
import { cTypeTag, storageType } from "../../generator/emit/c/names.ts";
import type { ElabLayout as Layout, ElabRegister as Register, ElabRegistersSpec as RegistersSpec } from "../../generator/elaborate/model.ts";
import { registersSpecs, type Lookup } from "../../generator/elaborate/lookup.ts";
import type { Front } from "../../generator/pipeline.ts";
import { GENERATED } from "../helpers/project.ts";

export type Shape = Layout | Register;

export const STRICT = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

export function gcc(args: string[], cwd?: string): { ok: boolean; stderr: string; stdout: string } {
  const r = spawnSync("gcc", args, { cwd, encoding: "utf8" });
  if (r.error) throw r.error;
  return { ok: r.status === 0, stderr: r.stderr, stdout: r.stdout };
}

/** splitmix64: deterministic 64-bit values from a seed, so failures reproduce. */
export function prng(seed: bigint): () => bigint {
  let s = seed & 0xffffffffffffffffn;
  return () => {
    s = (s + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
}

export const ones = (w: number) => (1n << BigInt(w)) - 1n;

export interface ShapeInfo {
  spec: RegistersSpec;
  shape: Shape;
  entries: FieldEntry[];
}

/** Every layout and register of every registers spec, with its flattened field entries. */
export function shapesOf(front: Front): ShapeInfo[] {
  const out: ShapeInfo[] = [];
  for (const spec of registersSpecs(front.model)) {
    for (const shape of [...spec.layouts, ...spec.registers]) out.push({ spec, shape, entries: fieldEntries(shape) });
  }
  return out;
}

/** The generated TS modules of the registers specs, by spec name. */
export async function tsModules(front: Front): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const spec of registersSpecs(front.model)) {
    const file = join(GENERATED, "ts", spec.rel.replace(/\.json$/, ".ts"));
    out.set(spec.name, (await import(pathToFileURL(file).href)) as Record<string, unknown>);
  }
  return out;
}

interface Step {
  /** Layout holding this segment, and the segment's field. */
  layout: Layout;
  name: string;
  embedded: boolean;
}

/** The chain of layouts a dotted path walks through. */
export function stepsOf(shape: Shape, path: string, lookup: Lookup): Step[] {
  const steps: Step[] = [];
  let layout: Layout = shape;
  for (const name of path.split(".")) {
    const f = layout.fields.find((x) => x.name === name)!;
    const nested = f.layout ? lookup.layouts.get(f.layout) : undefined;
    steps.push({ layout, name, embedded: embedsUnion(f, nested) });
    if (nested) layout = nested;
  }
  return steps;
}

/** C lvalue of a field path through the bit-fields: nested unions read through `.raw`. */
function memberExpr(base: string, steps: Step[]): string {
  if (steps.slice(0, -1).some((s) => !s.embedded)) throw new Error(`test harness: ${steps.map((s) => s.name).join(".")} crosses a nested layout that is not an embedded union`);
  const last = steps[steps.length - 1]!;
  return base + steps.map((s) => `.${s.name}`).join("") + (last.embedded ? ".raw" : "");
}

/** The same path through the mask helpers: get of each layer applied to the previous one. */
function helperGet(raw: string, steps: Step[]): string {
  let expr = raw;
  for (const s of steps) expr = `${cTypeTag(s.layout)}_get_${s.name}((${storageType(s.layout.width)})${expr})`;
  return expr;
}

/** Setting a path through helpers: get down to the innermost layer, set, and set back up. */
function helperSet(raw: string, steps: Step[], value: string): string {
  if (steps.length === 1) {
    const s = steps[0]!;
    return `${cTypeTag(s.layout)}_patch_${s.name}((${storageType(s.layout.width)})${raw}, (${storageType(s.layout.width)})${value})`;
  }
  const [s, ...rest] = steps as [Step, ...Step[]];
  const inner = helperGet(raw, [s]);
  return helperSet(raw, [s], helperSet(inner, rest, value));
}

/**
 * A C program that includes the given headers and, for each input line `shape raw target value`,
 * prints one line: every field through the bit-fields, every field through the helpers, the raw
 * value after setting `target` through the bit-fields and through the helpers, and the target read
 * back from both.
 */
export function agreementProgram(infos: ShapeInfo[], headers: string[], lookup: Lookup): string {
  const L: string[] = [];
  L.push("#include <inttypes.h>", "#include <stdio.h>", "#include <stdlib.h>", "#include <string.h>");
  for (const h of headers) L.push(`#include "${h}"`);
  L.push("", "static void put(uint64_t v) { printf(\" %\" PRIx64, v); }", "");
  infos.forEach((info, i) => {
    const t = `union ${cTypeTag(info.shape)}`;
    const rt = storageType(info.shape.width);
    L.push(`static void check_${i}(uint64_t raw, unsigned target, uint64_t value)`, "{");
    L.push(`    ${t} u, w;`, `    ${rt} h = (${rt})raw;`, `    memset(&u, 0, sizeof u);`, `    u.raw = (${rt})raw;`, "    (void)h;");
    for (const e of info.entries) L.push(`    put((uint64_t)${memberExpr("u", stepsOf(info.shape, e.path, lookup))});`);
    L.push(`    printf(" |");`);
    for (const e of info.entries) L.push(`    put((uint64_t)${helperGet("h", stepsOf(info.shape, e.path, lookup))});`);
    L.push(`    printf(" |");`, "    w = u;", "    switch (target) {");
    info.entries.forEach((e, k) => {
      const steps = stepsOf(info.shape, e.path, lookup);
      const lv = memberExpr("w", steps);
      const bits = e.width === 1 && !steps[steps.length - 1]!.embedded ? "(bool)" : `(${storageType(e.width)})`;
      L.push(`    case ${k}:`);
      L.push(`        ${lv} = ${bits}value;`);
      L.push(`        put((uint64_t)w.raw);`);
      L.push(`        put((uint64_t)(${helperSet("h", steps, "value")}));`);
      L.push(`        put((uint64_t)${lv});`);
      L.push(`        put((uint64_t)${helperGet(`(${helperSet("h", steps, "value")})`, steps)});`);
      L.push("        break;");
    });
    L.push("    default:", "        (void)value;", "        break;", "    }", '    printf("\\n");', "}", "");
  });
  L.push("int main(void)", "{", "    unsigned shape, target;", "    uint64_t raw, value;");
  L.push('    while (scanf("%u %" SCNx64 " %u %" SCNx64, &shape, &raw, &target, &value) == 4) {', "        switch (shape) {");
  infos.forEach((_, i) => L.push(`        case ${i}: check_${i}(raw, target, value); break;`));
  L.push('        default: fprintf(stderr, "unknown shape %u\\n", shape); return 2;', "        }", "    }", "    return 0;", "}", "");
  return L.join("\n");
}
