/**
 * Register arrays and device blocks in C, on the access-vocabulary fixture: every header compiles
 * strictly (C11 with conversion warnings, and C++); `<REG>_COUNT`, `<REG>_STRIDE` and the element
 * address macros (`<REG>_OFFSET(n)`, `MSR_<REG>(n)`) give what the fixture's JSON says and what
 * the TS `count`/`stride`/`offsetOf`/`indexOf` give; the bounds facts break the build when an
 * array no longer fits its block or its elements overlap; and `<ns>_unmapped_raz_wi` agrees with
 * the TS dispatch and with the block's ranges on every offset no register covers.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcc, STRICT } from "./harness.ts";
import { generateFixture, readFixture, type FxDevice, type FxRegister, type Generated } from "./effects-fixture.ts";

const { registers, devices } = readFixture();
const arrays = registers.filter((r) => r.count !== undefined);
const files = [...new Set(registers.map((r) => r.file))];
/** Stricter than the project's C flags: users build with conversion warnings too. */
const STRICTER = [...STRICT, "-Wconversion", "-Wsign-conversion"];

let gen: Generated;
beforeAll(async () => {
  gen = await generateFixture("hwspec-arrays-");
});
afterAll(() => {
  if (gen) rmSync(gen.dir, { recursive: true, force: true });
});

/** Compiles and runs a program including every fixture header; stdout lines. */
function runC(name: string, body: string[]): string[] {
  const src = join(gen.dir, `${name}.c`);
  const L = ["#include <inttypes.h>", "#include <stdio.h>", ...files.map((f) => `#include "${gen.header(f)}"`), "int main(void)", "{", ...body, "    return 0;", "}", ""];
  writeFileSync(src, L.join("\n"));
  const bin = join(gen.dir, name);
  const built = gcc([...STRICTER, "-o", bin, src]);
  if (!built.ok) throw new Error(`gcc failed on ${name}.c:\n${built.stderr}`);
  const run = spawnSync(bin, { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr}`);
  return run.stdout.trimEnd().split("\n");
}

let edits = 0;

/** A copy of one generated header with `from` replaced, next to copies of the others. */
function edited(file: string, from: string, to: string): string {
  const dir = join(gen.dir, `edited-${++edits}`);
  mkdirSync(dir, { recursive: true });
  for (const f of files) copyFileSync(gen.header(f), join(dir, basename(gen.header(f))));
  const path = join(dir, basename(gen.header(file)));
  const text = readFileSync(path, "utf8");
  expect(text).toContain(from);
  writeFileSync(path, text.replace(from, to));
  return path;
}

describe("fixture headers compile", () => {
  for (const f of files) {
    it(`${f}.h alone with ${STRICTER.join(" ")}`, () => {
      const r = gcc([...STRICTER, "-fsyntax-only", "-x", "c", gen.header(f)]);
      expect(r.stderr).toBe("");
      expect(r.ok).toBe(true);
    });
    it(`${f}.h as C++11`, () => {
      const r = gcc(["-x", "c++", "-std=c++11", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", gen.header(f)]);
      expect(r.stderr).toBe("");
      expect(r.ok).toBe(true);
    });
  }
});

describe("array macros", () => {
  /** The stride the JSON gives, else the default: the element's bytes for MMIO and ports, 1 for numbered spaces. */
  const strideOf = (r: FxRegister) => r.stride ?? (r.space === "mmio" || r.space === "port" ? BigInt(r.width / 8) : 1n);
  /** What the JSON says: base + i × stride. */
  const address = (r: FxRegister, i: number) => (r.offset ?? r.index!) + BigInt(i) * strideOf(r);
  /** The address macro as docs/c-headers.md spells it per index space. */
  const macro = (r: FxRegister) => ({ mmio: `${r.name}_OFFSET`, msr: `MSR_${r.name}`, csr: `CSR_${r.name}`, port: `PORT_${r.name}` } as Record<string, string>)[r.space]!;

  it("COUNT, STRIDE and every element's address agree with the JSON and with TS", async () => {
    expect(new Set(arrays.map((r) => r.space))).toEqual(new Set(["mmio", "msr", "csr", "port"]));
    const body: string[] = [];
    for (const r of arrays) {
      body.push(`    printf("${r.name} count %" PRIu64 " stride %" PRIu64 "\\n", (uint64_t)${r.name}_COUNT, (uint64_t)${r.name}_STRIDE);`);
      body.push(`    for (uint64_t n = 0; n < ${r.name}_COUNT; n++) printf("${r.name} %" PRIu64 " %" PRIu64 "\\n", n, (uint64_t)${macro(r)}(n));`);
    }
    const out = runC("arrays", body);
    const problems: string[] = [];
    for (const r of arrays) {
      const ts = (await gen.module(r.file))[r.name] as { count: number; stride: number; offsetOf?: (i: number) => number; indexOf?: (i: number) => number };
      const at = r.offset !== undefined ? ts.offsetOf! : ts.indexOf!;
      const head = out.find((l) => l.startsWith(`${r.name} count `));
      const stride = strideOf(r);
      if (head !== `${r.name} count ${r.count} stride ${stride}`) problems.push(`${r.name}: C says "${head}", JSON count ${r.count} stride ${stride}`);
      if (ts.count !== r.count || BigInt(ts.stride) !== stride) problems.push(`${r.name}: TS count ${ts.count} stride ${ts.stride}`);
      const elements = out.filter((l) => l.startsWith(`${r.name} `) && !l.includes("count"));
      if (elements.length !== r.count) problems.push(`${r.name}: C printed ${elements.length} elements`);
      for (const l of elements) {
        const [, n, a] = l.split(" ");
        const i = Number(n);
        if (BigInt(a!) !== address(r, i)) problems.push(`${r.name}[${i}]: C ${a}, JSON ${address(r, i)}`);
        if (BigInt(at(i)) !== address(r, i)) problems.push(`${r.name}[${i}]: TS ${at(i)}, JSON ${address(r, i)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("a register that is not an array keeps its object-like address macro", () => {
    const plain = registers.filter((r) => r.count === undefined);
    const out = runC("plain", plain.map((r) => `    printf("%" PRIu64 "\\n", (uint64_t)${macro(r)});`));
    expect(out.map(BigInt)).toEqual(plain.map((r) => r.offset ?? r.index!));
  });

  it("an array's address macro used without an element does not compile", () => {
    const r = arrays.find((x) => x.offset !== undefined)!;
    const src = join(gen.dir, "no-index.c");
    writeFileSync(src, `#include "${gen.header(r.file)}"\nunsigned long first(void) { return ${macro(r)}; }\n`);
    const built = gcc([...STRICT, "-fsyntax-only", src]);
    expect(built.ok).toBe(false);
    expect(built.stderr).toContain(macro(r));
  });

  it("an array that no longer fits its block breaks the build", () => {
    const r = arrays.find((x) => x.file === devices[0]!.file && x.name === "SET")!;
    const path = edited(r.file, `#define SET_COUNT ${r.count}\n`, `#define SET_COUNT ${r.count! * 16}\n`);
    const built = gcc([...STRICT, "-fsyntax-only", path]);
    expect(built.ok).toBe(false);
    expect(built.stderr).toContain("SET: the last element lies inside the block");
  });

  it("an array whose elements would overlap breaks the build", () => {
    const r = arrays.find((x) => x.name === "ARR")!;
    const path = edited(r.file, `#define ARR_STRIDE 0x${r.stride!.toString(16)}\n`, "#define ARR_STRIDE 0x2\n");
    const built = gcc([...STRICT, "-fsyntax-only", path]);
    expect(built.ok).toBe(false);
    expect(built.stderr).toContain("ARR: array elements do not overlap");
  });
});

describe("device blocks", () => {
  /** Byte offsets some register or array element of the device occupies, from the JSON. */
  function occupied(dev: FxDevice): Set<bigint> {
    const out = new Set<bigint>();
    for (const r of registers.filter((x) => x.file === dev.file)) {
      const bytes = BigInt(r.width / 8);
      for (let i = 0; i < (r.count ?? 1); i++) for (let k = 0n; k < bytes; k++) out.add(r.offset! + BigInt(i) * (r.stride ?? bytes) + k);
    }
    return out;
  }
  /** The block's policy for an offset no register covers: its range's, else the block's own; outside the block, a fault. */
  const expected = (dev: FxDevice, offset: bigint) =>
    offset >= dev.size ? false : (dev.ranges.find((u) => offset >= u.first && offset <= u.last)?.policy ?? dev.unmapped) === "raz-wi";
  const ns = (dev: FxDevice) => dev.spec.replace(/\./g, "_");

  it("the block size macro is the JSON's", () => {
    const out = runC("sizes", devices.map((d) => `    printf("%" PRIu64 "\\n", (uint64_t)${ns(d).toUpperCase()}_BLOCK_SIZE);`));
    expect(out.map(BigInt)).toEqual(devices.map((d) => d.size));
  });

  for (const dev of devices) {
    it(`${dev.spec}: <ns>_unmapped_raz_wi agrees with the ranges and with the TS dispatch on every free offset`, async () => {
      const taken = occupied(dev);
      const free: bigint[] = [];
      for (let o = 0n; o < dev.size + 0x10n; o++) if (!taken.has(o)) free.push(o);
      expect(free.some((o) => expected(dev, o))).toBe(true);
      expect(free.some((o) => o < dev.size && !expected(dev, o))).toBe(true);
      const out = runC(`unmapped-${ns(dev)}`, [
        `    static const uint32_t offsets[] = { ${free.map((o) => `${o}U`).join(", ")} };`,
        `    for (unsigned i = 0; i < sizeof offsets / sizeof offsets[0]; i++) printf("%u\\n", ${ns(dev)}_unmapped_raz_wi(offsets[i]) ? 1U : 0U);`,
      ]);
      const mod = await gen.module(dev.file);
      const prefix = dev.spec.split(".").pop()!;
      const reset = mod[`${prefix}_reset`] as () => unknown;
      const read = mod[`${prefix}_read`] as (s: unknown, hooks: unknown, offset: number, width: number) => number;
      const problems: string[] = [];
      free.forEach((o, i) => {
        let ts: boolean;
        try {
          ts = read(reset(), {}, Number(o), 8) === 0;
        } catch (e) {
          if ((e as { kind?: string }).kind !== "unmapped") throw e;
          ts = false;
        }
        const c = out[i] === "1";
        if (c !== expected(dev, o)) problems.push(`offset 0x${o.toString(16)}: C ${c ? "raz-wi" : "fault"}, JSON ${expected(dev, o) ? "raz-wi" : "fault"}`);
        if (c !== ts) problems.push(`offset 0x${o.toString(16)}: C ${c ? "raz-wi" : "fault"}, TS dispatch ${ts ? "raz-wi" : "fault"}`);
      });
      expect(problems).toEqual([]);
    });
  }
});
