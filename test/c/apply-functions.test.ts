/**
 * The generated C `<reg>_apply_write` / `<reg>_apply_read` and the generated TS
 * `REG.applyWrite` / `REG.applyRead` give the same results on many random (old, written, lanes,
 * once_done) tuples, for a fixture using every field access, every reserved policy, 8- to 64-bit
 * registers, arrays and a device alias; and both agree with a reference written here bit by bit
 * from the meaning of each access (SystemRDL/SVD: onwrite woclr, woset, wzc, wzs, wot, wclr, wset;
 * onread rclr, rset; write-once; const), read from the fixture's JSON, never from the model.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { u64FromBigInt, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";
import { gcc, ones, prng, STRICT } from "./harness.ts";
import { generateFixture, readFixture, type FxRegister, type Generated } from "./effects-fixture.ts";

const VECTORS_PER_REGISTER = 3000;
const { registers } = readFixture();

interface Vector {
  reg: number;
  old: bigint;
  written: bigint;
  lanes: bigint;
  done: bigint;
}
interface Result {
  write: bigint;
  value: bigint;
  next: bigint;
}

/** Per bit, from the access vocabulary of docs/spec-format.md; `L`: the bit is in the lanes written or read. */
function reference(r: FxRegister, v: Vector): Result {
  let write = 0n;
  let value = 0n;
  let next = 0n;
  const bit = (x: bigint, b: number) => (x >> BigInt(b)) & 1n;
  for (let b = 0; b < r.width; b++) {
    const O = bit(v.old, b);
    const W = bit(v.written, b);
    const L = bit(v.lanes, b) === 1n;
    const D = bit(v.done, b) === 1n;
    const f = r.fields.find((x) => b >= x.lsb && b < x.lsb + x.width);
    let w = O;
    let rv = O;
    let n = O;
    if (f) {
      switch (f.access) {
        case "rw":
          w = L ? W : O;
          break;
        case "wo":
          w = L ? W : O;
          rv = 0n;
          break;
        case "ro":
          break;
        case "w1c":
          w = L && W === 1n ? 0n : O;
          break;
        case "w1s":
          w = L && W === 1n ? 1n : O;
          break;
        case "w0c":
          w = L && W === 0n ? 0n : O;
          break;
        case "w0s":
          w = L && W === 0n ? 1n : O;
          break;
        case "w1t":
          w = L && W === 1n ? O ^ 1n : O;
          break;
        case "wc":
          w = L ? 0n : O;
          break;
        case "ws":
          w = L ? 1n : O;
          break;
        case "rc":
          n = L ? 0n : O;
          break;
        case "rs":
          n = L ? 1n : O;
          break;
        case "write-once":
          w = L && !D ? W : O;
          break;
        case "const":
          w = rv = bit(f.constValue!, b - f.lsb);
          break;
        default:
          throw new Error(`fixture: unknown access ${f.access}`);
      }
    } else {
      const policy = r.reserved.get(b);
      if (r.reservedWrites === "store") w = L ? W : O;
      else if (policy === "res0") w = rv = 0n;
      else if (policy === "res1") w = rv = 1n;
      else if (policy !== "ignore") throw new Error(`fixture: bit ${b} of ${r.name} is neither a field nor reserved`);
    }
    write |= w << BigInt(b);
    value |= rv << BigInt(b);
    next |= n << BigInt(b);
  }
  return { write, value, next };
}

/** Lane masks a bus access makes (naturally aligned bytes, halves, the whole register), plus arbitrary masks. */
function lanesOf(width: number, next: () => bigint): bigint {
  const pick = next() % 4n;
  if (pick === 0n) return ones(width);
  if (pick === 3n) return next() & ones(width);
  const size = pick === 1n ? 8 : 16;
  if (size >= width) return ones(width);
  const k = Number(next() % BigInt(width / size));
  return ones(size) << BigInt(k * size);
}

/** Old values, written values and once-masks: 0, all ones and random, so every combination of bit states occurs. */
function valueOf(width: number, next: () => bigint): bigint {
  const pick = next() % 8n;
  return pick === 0n ? 0n : pick === 1n ? ones(width) : next() & ones(width);
}

/** The C side: a program that runs each vector through the generated functions. */
function program(headers: string[]): string {
  const L = ["#include <inttypes.h>", "#include <stdio.h>"];
  for (const h of headers) L.push(`#include "${h}"`);
  L.push("int main(void)", "{", "    unsigned reg;", "    uint64_t old, written, lanes, done;");
  L.push('    while (scanf("%u %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64, &reg, &old, &written, &lanes, &done) == 5) {');
  L.push("        uint64_t w = 0, value = 0, next = 0;", "        switch (reg) {");
  registers.forEach((r, i) => {
    // Documented C names: the lower-cased register name, `_apply_write` / `_apply_read`.
    const t = `uint${r.width}_t`;
    const tag = r.name.toLowerCase();
    L.push(`        case ${i}: {`);
    L.push(`            ${t} s = (${t})old;`);
    L.push(`            w = ${tag}_apply_write((${t})old, (${t})written, (${t})lanes, (${t})done);`);
    L.push(`            value = ${tag}_apply_read(&s, (${t})lanes);`);
    L.push("            next = s;", "            break;", "        }");
  });
  L.push('        default: fprintf(stderr, "unknown register %u\\n", reg); return 2;', "        }");
  L.push('        printf("%" PRIx64 " %" PRIx64 " %" PRIx64 "\\n", w, value, next);', "    }", "    return 0;", "}", "");
  return L.join("\n");
}

interface TsApply {
  applyWrite(old: unknown, written: unknown, lanes?: unknown, onceDone?: unknown): unknown;
  applyRead(stored: unknown, lanes?: unknown): { value: unknown; next: unknown };
}

let gen: Generated;
let vectors: Vector[];
let cResults: Result[];
let tsResults: Result[];

beforeAll(async () => {
  gen = await generateFixture("hwspec-apply-");
  const next = prng(0x6170706c79000001n);
  vectors = [];
  registers.forEach((r, reg) => {
    for (let i = 0; i < VECTORS_PER_REGISTER; i++) {
      vectors.push({ reg, old: valueOf(r.width, next), written: valueOf(r.width, next), lanes: lanesOf(r.width, next), done: valueOf(r.width, next) });
    }
  });
  const headers = [...new Set(registers.map((r) => gen.header(r.file)))];
  const src = join(gen.dir, "apply.c");
  writeFileSync(src, program(headers));
  const built = gcc([...STRICT, "-O1", "-o", join(gen.dir, "apply"), src]);
  if (!built.ok) throw new Error(`gcc failed on the apply program:\n${built.stderr}`);
  const input = vectors.map((v) => [v.reg, v.old.toString(16), v.written.toString(16), v.lanes.toString(16), v.done.toString(16)].join(" ")).join("\n") + "\n";
  const run = spawnSync(join(gen.dir, "apply"), { input, encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`apply program failed: ${run.stderr}`);
  cResults = run.stdout.trimEnd().split("\n").map((line) => {
    const [w, value, n] = line.split(" ").map((x) => BigInt(`0x${x}`)) as [bigint, bigint, bigint];
    return { write: w, value, next: n };
  });

  const apis = new Map<FxRegister, TsApply>();
  for (const r of registers) apis.set(r, (await gen.module(r.file))[r.name] as TsApply);
  tsResults = vectors.map((v) => {
    const r = registers[v.reg]!;
    const api = apis.get(r)!;
    const wide = r.width > 32;
    const toTs = (x: bigint) => (wide ? u64FromBigInt(x, 64) : Number(x));
    const fromTs = (x: unknown) => (wide ? u64ToBigInt(x as U64) : BigInt(x as number));
    const read = api.applyRead(toTs(v.old), toTs(v.lanes));
    return { write: fromTs(api.applyWrite(toTs(v.old), toTs(v.written), toTs(v.lanes), toTs(v.done))), value: fromTs(read.value), next: fromTs(read.next) };
  });
});

afterAll(() => {
  if (gen) rmSync(gen.dir, { recursive: true, force: true });
});

const hex = (x: bigint) => `0x${x.toString(16)}`;
const show = (v: Vector) => `old ${hex(v.old)} written ${hex(v.written)} lanes ${hex(v.lanes)} once_done ${hex(v.done)}`;

describe("the fixture covers the vocabulary", () => {
  it("every access, every reserved policy, 8/16/32/64-bit registers, MMIO and index arrays, an alias, stored reserved bits, nested layouts", () => {
    const accesses = new Set(registers.flatMap((r) => r.fields.map((f) => f.access)));
    expect([...accesses].sort()).toEqual(["const", "rc", "ro", "rs", "rw", "w0c", "w0s", "w1c", "w1s", "w1t", "wc", "wo", "write-once", "ws"]);
    expect(new Set(registers.flatMap((r) => [...r.reserved.values()]))).toEqual(new Set(["res0", "res1", "ignore"]));
    expect(new Set(registers.map((r) => r.width))).toEqual(new Set([8, 16, 32, 64]));
    expect(registers.some((r) => r.count && r.offset !== undefined)).toBe(true);
    expect(registers.some((r) => r.count && r.index !== undefined)).toBe(true);
    expect(registers.some((r) => r.aliasOf)).toBe(true);
    expect(registers.some((r) => r.reservedWrites === "store")).toBe(true);
    // Nested layouts under a read-write and under other containers.
    expect(registers.some((r) => r.fields.some((f) => f.name.includes(".") && f.access === "ro"))).toBe(true);
    expect(registers.some((r) => r.fields.some((f) => f.name.includes(".") && f.access === "w1c"))).toBe(true);
    expect(cResults).toHaveLength(vectors.length);
  });
});

describe("C apply functions, TS apply functions and the per-bit reference agree", () => {
  for (const [reg, r] of registers.entries()) {
    it(`${r.spec}.${r.name} (${r.width}-bit): ${VECTORS_PER_REGISTER} random writes and reads`, () => {
      const problems: string[] = [];
      vectors.forEach((v, i) => {
        if (v.reg !== reg || problems.length >= 5) return;
        const want = reference(r, v);
        const c = cResults[i]!;
        const t = tsResults[i]!;
        for (const k of ["write", "value", "next"] as const) {
          if (c[k] !== t[k]) problems.push(`${show(v)}: ${k} C ${hex(c[k])}, TS ${hex(t[k])}`);
          if (c[k] !== want[k]) problems.push(`${show(v)}: ${k} C ${hex(c[k])}, reference ${hex(want[k])}`);
          if (t[k] !== want[k]) problems.push(`${show(v)}: ${k} TS ${hex(t[k])}, reference ${hex(want[k])}`);
        }
      });
      expect(problems).toEqual([]);
    });
  }

  it("TS lanes default to every bit, as C callers pass them", () => {
    const r = registers.find((x) => x.name === "ACC32")!;
    return gen.module(r.file).then((m) => {
      const api = m.ACC32 as TsApply;
      const full = { reg: registers.indexOf(r), old: 0x12345678n, written: 0xfedcba98n, lanes: ones(32), done: 0n };
      expect(BigInt(api.applyWrite(Number(full.old), Number(full.written)) as number)).toBe(reference(r, full).write);
      expect(BigInt(api.applyRead(Number(full.old)).next as number)).toBe(reference(r, full).next);
    });
  });
});
