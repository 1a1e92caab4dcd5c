/**
 * The committed TypeScript and C say the same thing about every shipped register and layout:
 * each field's shift, width, mask and enum members, each shape's reset value, res0/res1 masks, MSR index or
 * MMIO offset and raw size, and every constant both languages export. Both sides are read from
 * the generated files only — the TS descriptors by importing generated/ts, the C macros by
 * compiling a probe with gcc that prints them — never from the model, so a back end that
 * recomputes a fact its own way is caught.
 *
 * Naming, as each side spells it: TS exports a descriptor per shape (`kind`, `qname`, `fields`
 * with `lsb`/`width`/`layout`); C prefixes a shape's macros with its upper-cased name
 * (`<SHAPE>_<FIELD>_SHIFT`, `<SHAPE>_RES0_MASK`; the address as `MSR_<SHAPE>`, `CSR_<SHAPE>`, `PORT_<SHAPE>`,
 * `SYS_<SHAPE>` with `SYS_<SHAPE>_Op0`..`_Op2`, or `<SHAPE>_OFFSET`, by the descriptor's `space`) and declares
 * `union <lower-cased name>`; an array register has `count`/`stride`/`offsetOf`/`indexOf` in TS and
 * `<SHAPE>_COUNT`, `<SHAPE>_STRIDE` and its address macro taking the element (`<SHAPE>_OFFSET(n)`,
 * `MSR_<SHAPE>(n)`, ...) in C. A field that is a nested layout is compared at absolute positions:
 * container field position plus the nested layout's own field position, on each side.
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENERATED, tempDir } from "../helpers/project.ts";
import { gcc, STRICT } from "./harness.ts";

interface TsField {
  name: string;
  lsb: number;
  width: number;
  layout?: string;
  reset?: string;
  enum?: Readonly<Record<string, number>>;
}
interface TsShape {
  kind: "layout" | "register";
  name: string;
  qname: string;
  width: number;
  rawBytes: number;
  space?: "msr" | "csr" | "sysreg" | "port" | "mmio";
  index?: number;
  offset?: number;
  encoding?: { op0: number; op1: number; crn: number; crm: number; op2: number };
  reset?: string;
  res0Mask: string;
  res1Mask: string;
  fields: readonly TsField[];
  count?: number;
  stride?: number;
  offsetOf?: (i: number) => number;
  indexOf?: (i: number) => number;
}

const TS_DIR = join(GENERATED, "ts");
const C_DIR = join(GENERATED, "c");
/** Runtime support shipped with every tree, not generated from a spec. */
const NOT_SPECS = new Set(["support.ts", "fsm.ts", "index.ts"]);

function walk(dir: string, ext: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n);
      return statSync(p).isDirectory() ? walk(p, ext) : n.endsWith(ext) ? [p] : [];
    });
}

const isShape = (v: unknown): v is TsShape =>
  !!v && typeof v === "object" && ((v as TsShape).kind === "layout" || (v as TsShape).kind === "register") && typeof (v as TsShape).qname === "string" && Array.isArray((v as TsShape).fields);

/** The placement a device instance exports in TS (`<name>_INSTANCE`), with its `<name>_ADDRESSES`. */
interface TsInstance {
  name: string;
  extends: string;
  base: number;
  interrupts: Readonly<Record<string, number>>;
  addresses: Readonly<Record<string, number>>;
}

interface Module {
  rel: string;
  shapes: TsShape[];
  instance: TsInstance | undefined;
  /** Exported numbers (constants, flags), by name. */
  numbers: Map<string, bigint>;
  header: string | undefined;
}

/** Object-like macros a header defines (function-like ones take arguments and print nothing). */
function macroNames(text: string): string[] {
  return [...text.matchAll(/^#define ([A-Za-z_][A-Za-z0-9_]*)(?=[ \t]|$)/gm)].map((m) => m[1]!);
}

const PRINTED = /^(MSR|CSR|PORT|SYS)_|_(SHIFT|WIDTH|MASK|RESET|OFFSET|COUNT|STRIDE|BASE|ADDR|IRQ)$/;
/** The C macro of each space's numeric address, as the headers each space comes from spell it. */
const ADDRESS_MACRO = { msr: (p: string) => `MSR_${p}`, csr: (p: string) => `CSR_${p}`, port: (p: string) => `PORT_${p}`, sysreg: (p: string) => `SYS_${p}`, mmio: (p: string) => `${p}_OFFSET` } as const;
/** The C address macro of an array register, applied to element `n`. */
const elementMacro = (s: TsShape, n: number) => `${ADDRESS_MACRO[s.space ?? "mmio"](s.name.toUpperCase())}(${n})`;
/** Elements whose addresses the probe prints: the first and the last. */
const probed = (s: TsShape) => [...new Set([0, s.count! - 1])];
const ones = (w: number) => (1n << BigInt(w)) - 1n;
/** C names an enum member `<SHAPE>_<FIELD>_<MEMBER>`, upper-cased. */
const enumMacro = (shape: TsShape, f: TsField, member: string) => `${shape.name}_${f.name}_${member}`.toUpperCase();

let modules: Module[] = [];
const byQname = new Map<string, TsShape>();
/** Macro values as gcc computed them, per header; `sizeof:<tag>` holds sizeof(union tag). */
const cValues = new Map<string, Map<string, bigint>>();
let dir: string;

beforeAll(async () => {
  dir = tempDir("hwspec-ts-c-");
  for (const file of walk(TS_DIR, ".ts")) {
    const rel = relative(TS_DIR, file).split(sep).join("/");
    if (NOT_SPECS.has(rel)) continue;
    const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    const shapes = Object.values(mod).filter(isShape);
    const numbers = new Map<string, bigint>();
    for (const [k, v] of Object.entries(mod)) if (typeof v === "number" && Number.isInteger(v)) numbers.set(k, BigInt(v));
    const h = join(C_DIR, rel.replace(/\.ts$/, ".h"));
    const header = walk(C_DIR, ".h").includes(h) ? h : undefined;
    const instKey = Object.keys(mod).find((k) => k.endsWith("_INSTANCE"));
    const inst = instKey ? (mod[instKey] as Omit<TsInstance, "addresses">) : undefined;
    const addresses = instKey ? (mod[instKey.replace(/_INSTANCE$/, "_ADDRESSES")] as TsInstance["addresses"] | undefined) : undefined;
    const instance = inst && addresses ? { ...inst, addresses } : undefined;
    modules.push({ rel, shapes, instance, numbers, header });
    for (const s of shapes) byQname.set(s.qname, s);
  }
  // One probe per header: print every object-like macro of interest and the size of every union the TS side names.
  for (const m of modules.filter((x) => x.header)) {
    // An instance's header defines only its placement and includes its device's header for the
    // registers it re-exports: read the local headers it includes too, as the C compiler does.
    const own = readFileSync(m.header!, "utf8");
    const included = [...own.matchAll(/^#include "([^"]+\.h)"/gm)].map((x) => readFileSync(join(dirname(m.header!), x[1]!), "utf8"));
    const text = [own, ...included].join("\n");
    const defined = new Set(macroNames(text));
    const enums = new Set(m.shapes.flatMap((sh) => sh.fields.flatMap((f) => Object.keys(f.enum ?? {}).map((e) => enumMacro(sh, f, e)))));
    const names = [...defined].filter((n) => PRINTED.test(n) || m.numbers.has(n) || enums.has(n));
    const tags = m.shapes.map((s) => s.name.toLowerCase()).filter((t) => new RegExp(`^union ${t} \\{`, "m").test(text));
    const L = ["#include <stdio.h>", `#include "${m.header}"`, "int main(void)", "{"];
    for (const n of names) L.push(`    printf("%s %llx\\n", "${n}", (unsigned long long)(${n}));`);
    for (const t of tags) L.push(`    printf("sizeof:%s %llx\\n", "${t}", (unsigned long long)sizeof(union ${t}));`);
    for (const sh of m.shapes.filter((x) => x.count !== undefined)) {
      for (const n of probed(sh)) L.push(`    printf("%s %llx\\n", "${elementMacro(sh, n)}", (unsigned long long)(${elementMacro(sh, n)}));`);
    }
    L.push("    return 0;", "}", "");
    const src = join(dir, `probe-${cValues.size}.c`);
    const bin = src.replace(/\.c$/, "");
    writeFileSync(src, L.join("\n"));
    const built = gcc([...STRICT, "-o", bin, src]);
    if (!built.ok) throw new Error(`gcc failed on the probe of ${m.header}:\n${built.stderr}`);
    const run = spawnSync(bin, { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`probe of ${m.header} failed: ${run.stderr}`);
    const values = new Map<string, bigint>();
    // A header may define nothing the probe prints (an instance re-uses its base device's macros): no lines, not one empty line.
    for (const line of run.stdout.split("\n").filter((l) => l !== "")) {
      const [k, v] = line.split(" ");
      values.set(k!, BigInt(`0x${v}`));
    }
    cValues.set(m.rel, values);
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Leaf {
  path: string;
  lsb: number;
  width: number;
}

/** Every field down through nested layouts, at absolute positions, as the TS descriptors give them. */
function tsLeaves(shape: TsShape, base = 0, prefix = ""): Leaf[] {
  return shape.fields.flatMap((f) => {
    const here: Leaf = { path: prefix + f.name, lsb: base + f.lsb, width: f.width };
    const nested = f.layout ? byQname.get(f.layout) : undefined;
    return nested ? [here, ...tsLeaves(nested, base + f.lsb, `${here.path}.`)] : [here];
  });
}

/** The same leaves as the C macros give them: a nested layout's macros are relative to the field holding it. */
function cLeaves(shape: TsShape, values: (name: string) => bigint | undefined, missing: string[], base = 0n, prefix = ""): (Leaf & { mask: bigint | undefined })[] {
  const P = shape.name.toUpperCase();
  return shape.fields.flatMap((f) => {
    const m = `${P}_${f.name.toUpperCase()}`;
    const shift = values(`${m}_SHIFT`);
    const width = values(`${m}_WIDTH`);
    const mask = values(`${m}_MASK`);
    for (const [k, v] of [["SHIFT", shift], ["WIDTH", width], ["MASK", mask]] as const) if (v === undefined) missing.push(`${m}_${k}`);
    const abs = base + (shift ?? 0n);
    const here = { path: prefix + f.name, lsb: Number(abs), width: Number(width ?? -1n), mask: mask === undefined ? undefined : mask << base };
    const nested = f.layout ? byQname.get(f.layout) : undefined;
    if (!nested) return [here];
    const nestedValues = cLookup(nested);
    return [here, ...cLeaves(nested, nestedValues, missing, abs, `${here.path}.`)];
  });
}

/** Macro values of the header that defines `shape` (nested layouts may live in another spec's header). */
function cLookup(shape: TsShape): (name: string) => bigint | undefined {
  const m = modules.find((x) => x.shapes.includes(shape));
  const values = m ? cValues.get(m.rel) : undefined;
  return (name) => values?.get(name);
}

describe("generated TS and generated C agree on every shipped register and layout", () => {
  it("reads registers of every kind from both sides", () => {
    const all = modules.flatMap((m) => m.shapes);
    expect(all.filter((s) => s.kind === "register" && s.index !== undefined).length).toBeGreaterThan(10);
    expect(all.filter((s) => s.kind === "register" && s.offset !== undefined).length).toBeGreaterThan(10);
    expect(all.filter((s) => s.kind === "register" && s.space === "csr").length).toBeGreaterThanOrEqual(10);
    expect(all.some((s) => s.qname.startsWith("x86.pagetable."))).toBe(true);
    expect(cValues.size).toBeGreaterThanOrEqual(4);
  });

  it("every module that describes registers or layouts has a C header", () => {
    expect(modules.filter((m) => m.shapes.length && !m.header).map((m) => m.rel)).toEqual([]);
  });

  for (const rel of walk(TS_DIR, ".ts").map((f) => relative(TS_DIR, f).split(sep).join("/")).filter((r) => !NOT_SPECS.has(r))) {
    describe(rel, () => {
      it("every field: shift, width and mask (nested layouts at absolute positions)", () => {
        const m = modules.find((x) => x.rel === rel)!;
        const problems: string[] = [];
        for (const shape of m.shapes) {
          const missing: string[] = [];
          const c = cLeaves(shape, cLookup(shape), missing);
          const t = tsLeaves(shape);
          problems.push(...missing.map((x) => `${shape.qname}: C defines no ${x}`));
          t.forEach((leaf, k) => {
            const other = c[k];
            if (!other || other.path !== leaf.path) return void problems.push(`${shape.qname}.${leaf.path}: no C counterpart`);
            if (other.lsb !== leaf.lsb) problems.push(`${shape.qname}.${leaf.path}: TS lsb ${leaf.lsb}, C shift ${other.lsb}`);
            if (other.width !== leaf.width) problems.push(`${shape.qname}.${leaf.path}: TS width ${leaf.width}, C width ${other.width}`);
            const want = ones(leaf.width) << BigInt(leaf.lsb);
            if (other.mask !== undefined && other.mask !== want) problems.push(`${shape.qname}.${leaf.path}: TS mask 0x${want.toString(16)}, C mask 0x${other.mask.toString(16)}`);
          });
        }
        expect(problems).toEqual([]);
      });

      it("every shape: res0/res1 masks, reset, address in its index space, raw size", () => {
        const m = modules.find((x) => x.rel === rel)!;
        const c = cValues.get(rel);
        const problems: string[] = [];
        const cmp = (what: string, ts: bigint | undefined, cName: string) => {
          const v = c?.get(cName);
          if (v === undefined) problems.push(`${what}: C defines no ${cName}`);
          else if (ts !== v) problems.push(`${what}: TS 0x${ts?.toString(16)}, C ${cName} 0x${v.toString(16)}`);
        };
        for (const s of m.shapes) {
          const P = s.name.toUpperCase();
          cmp(`${s.qname} res0Mask`, BigInt(s.res0Mask), `${P}_RES0_MASK`);
          cmp(`${s.qname} res1Mask`, BigInt(s.res1Mask), `${P}_RES1_MASK`);
          if (s.reset !== undefined) cmp(`${s.qname} reset`, BigInt(s.reset), `${P}_RESET`);
          if (s.count !== undefined) {
            cmp(`${s.qname} count`, BigInt(s.count), `${P}_COUNT`);
            cmp(`${s.qname} stride`, BigInt(s.stride ?? -1), `${P}_STRIDE`);
            const at = s.offsetOf ?? s.indexOf;
            if (!at) problems.push(`${s.qname}: an array without offsetOf/indexOf in TS`);
            for (const n of probed(s)) cmp(`${s.qname}[${n}] address`, at ? BigInt(at(n)) : undefined, elementMacro(s, n));
          } else if (s.kind === "register") {
            if (!s.space) problems.push(`${s.qname}: the descriptor names no index space`);
            else cmp(`${s.qname} ${s.space} address`, BigInt(s.space === "mmio" ? s.offset! : s.index!), ADDRESS_MACRO[s.space](P));
            if (s.encoding) {
              const e = s.encoding;
              for (const [k, v] of [["Op0", e.op0], ["Op1", e.op1], ["CRn", e.crn], ["CRm", e.crm], ["Op2", e.op2]] as const) cmp(`${s.qname} ${k}`, BigInt(v), `SYS_${P}_${k}`);
            }
          }
          cmp(`${s.qname} raw bytes`, BigInt(s.rawBytes), `sizeof:${s.name.toLowerCase()}`);
          // A field's own reset is the same bits of the register's reset in C.
          const cReset = c?.get(`${P}_RESET`);
          if (s.reset !== undefined && cReset !== undefined) {
            for (const f of s.fields) {
              if (f.reset === undefined) continue;
              const got = (cReset >> BigInt(f.lsb)) & ones(f.width);
              if (got !== BigInt(f.reset)) problems.push(`${s.qname}.${f.name}: TS field reset ${f.reset}, bits of C ${P}_RESET 0x${got.toString(16)}`);
            }
          }
        }
        expect(problems).toEqual([]);
      });

      it("every enum member of every field", () => {
        const m = modules.find((x) => x.rel === rel)!;
        const c = cValues.get(rel);
        const problems: string[] = [];
        for (const s of m.shapes) {
          for (const f of s.fields) {
            for (const [member, v] of Object.entries(f.enum ?? {})) {
              const cv = c?.get(enumMacro(s, f, member));
              if (cv === undefined) problems.push(`${s.qname}.${f.name}.${member}: C defines no ${enumMacro(s, f, member)}`);
              else if (cv !== BigInt(v)) problems.push(`${s.qname}.${f.name}.${member}: TS ${v}, C 0x${cv.toString(16)}`);
            }
          }
        }
        expect(problems).toEqual([]);
      });

      // Known at collection from the file's text; the check itself reads the imported module.
      const isInstance = /^export const \w+_INSTANCE = /m.test(readFileSync(join(TS_DIR, rel), "utf8"));
      it.runIf(isInstance)("an instance: base, absolute address of every register and interrupt number", () => {
        const m = modules.find((x) => x.rel === rel)!;
        expect(m.instance, "the module exports <name>_INSTANCE and <name>_ADDRESSES").toBeDefined();
        const c = cValues.get(rel)!;
        // C prefixes an instance's macros with its qualified name, dots as underscores, upper-cased.
        const p = m.instance!.name.replace(/\./g, "_").toUpperCase();
        const problems: string[] = [];
        const same = (macro: string, v: number) => {
          const cv = c.get(macro);
          if (cv === undefined) problems.push(`${macro}: missing in C`);
          else if (cv !== BigInt(v)) problems.push(`${macro}: TS 0x${v.toString(16)}, C 0x${cv.toString(16)}`);
        };
        same(`${p}_BASE`, m.instance!.base);
        const base = modules.find((x) => x.instance === undefined && x.shapes.length > 0 && m.shapes.every((s) => x.shapes.includes(s)));
        for (const [reg, addr] of Object.entries(m.instance!.addresses)) {
          // An alias (a second name at a register's offset) has an address in TS; C prints the register it aliases.
          const shape = m.shapes.find((s) => s.name === reg);
          if (shape?.offset === undefined && !c.has(`${p}_${reg.toUpperCase()}_ADDR`)) continue;
          same(`${p}_${reg.toUpperCase()}_ADDR`, addr);
        }
        for (const [line, irq] of Object.entries(m.instance!.interrupts)) same(`${p}_${line.toUpperCase()}_IRQ`, irq);
        expect(base, "the device the instance re-exports").toBeDefined();
        expect(problems).toEqual([]);
      });

      it("every constant both sides export has one value", () => {
        const m = modules.find((x) => x.rel === rel)!;
        const c = cValues.get(rel);
        const problems: string[] = [];
        for (const [name, v] of m.numbers) {
          const cv = c?.get(name);
          if (cv !== undefined && cv !== v) problems.push(`${name}: TS 0x${v.toString(16)}, C 0x${cv.toString(16)}`);
        }
        expect(problems).toEqual([]);
      });
    });
  }
});
