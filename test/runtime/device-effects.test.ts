/**
 * The generated device dispatch applies the access vocabulary as its definitions say. A reference
 * model written here from the fixture's JSON alone — one bit at a time, from the access names, the
 * reserved policies and the array/alias/lanes keys, never from the generator's masks — runs the
 * same random access sequences as the generated `effects_read`/`effects_write`, and every value
 * read, every refusal and the whole state must agree after each access.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

const SPECS = join(ROOT, "test/fixtures/vocabulary/specs");

interface FieldJson {
  bits: string;
  access?: string;
  const?: string;
  reset?: string;
}
interface RegJson {
  offset: string;
  count?: number;
  stride?: string;
  access?: string;
  alias_of?: string;
  narrow?: string;
  access_widths?: number[];
  reset?: string;
  fields: Record<string, FieldJson>;
  reserved?: string | { bits: string; policy: string }[];
}
interface SpecJson {
  block: { size: string; access_widths: number[]; unmapped?: string; unmapped_ranges?: { first: string; last: string; policy: string }[] };
  registers: Record<string, RegJson>;
}

const spec = JSON.parse(readFileSync(join(SPECS, "demo/effects.json"), "utf8")) as SpecJson;

/** What one bit of a register does, straight from the spec text. */
type Bit = { access: string; constValue?: number } | { reserved: string };

function bitsOf(text: string): number[] {
  const [hi, lo = hi] = text.split(":").map(Number) as [number, number?];
  return Array.from({ length: hi - lo! + 1 }, (_, i) => lo! + i);
}

function bitTable(r: RegJson): Bit[] {
  const table: Bit[] = new Array<Bit>(32);
  for (const f of Object.values(r.fields)) {
    const bits = bitsOf(f.bits);
    bits.forEach((b, i) => {
      const access = f.const !== undefined ? "const" : (f.access ?? r.access ?? "rw");
      table[b] = access === "const" ? { access, constValue: (Number(f.const) >> i) & 1 } : { access };
    });
  }
  if (typeof r.reserved === "string") for (let b = 0; b < 32; b++) table[b] ??= { reserved: r.reserved };
  else for (const x of r.reserved ?? []) for (const b of bitsOf(x.bits)) table[b] = { reserved: x.policy };
  return table;
}

interface RefReg {
  name: string;
  json: RegJson;
  base: number;
  count: number;
  stride: number;
  storage: string;
  bits: Bit[];
  widths: number[];
}

const regs: RefReg[] = Object.entries(spec.registers).map(([name, r]) => ({
  name,
  json: r,
  base: Number(r.offset),
  count: r.count ?? 1,
  stride: r.stride !== undefined ? Number(r.stride) : 4,
  storage: r.alias_of ?? name,
  bits: bitTable(r),
  widths: r.access_widths ?? spec.block.access_widths,
}));

interface RefState {
  values: Map<string, number[]>;
  /** Bits of write-once fields already written since reset, per storage element. */
  written: Map<string, number[]>;
}

function refReset(): RefState {
  const values = new Map<string, number[]>();
  const written = new Map<string, number[]>();
  for (const r of regs) {
    if (r.json.alias_of) continue;
    values.set(r.name, new Array<number>(r.count).fill(Number(r.json.reset ?? 0)));
    written.set(r.name, new Array<number>(r.count).fill(0));
  }
  return { values, written };
}

type Outcome = { ok: number | undefined } | { refused: string };

/** The register, element and byte inside it that an access at `offset` reaches, if any. */
function locate(offset: number): { r: RefReg; i: number; k: number } | undefined {
  for (const r of regs) {
    for (let i = 0; i < r.count; i++) {
      const start = r.base + i * r.stride;
      if (offset < start || offset >= start + 4) continue;
      const k = offset - start;
      if (k !== 0 && r.json.narrow !== "lanes") continue;
      return { r, i, k };
    }
  }
  return undefined;
}

function unmappedPolicy(offset: number): string {
  for (const u of spec.block.unmapped_ranges ?? []) if (offset >= Number(u.first) && offset <= Number(u.last)) return u.policy;
  return spec.block.unmapped ?? "fault";
}

function refAccess(s: RefState, op: "read" | "write", offset: number, width: number, value: number): Outcome {
  const hit = locate(offset);
  if (!hit) {
    if (!spec.block.access_widths.includes(width)) return { refused: "width" };
    if (unmappedPolicy(offset) === "raz-wi") return { ok: op === "read" ? 0 : undefined };
    return { refused: "unmapped" };
  }
  const { r, i, k } = hit;
  if (!r.widths.includes(width)) return { refused: "width" };
  if (op === "write" && (value < 0 || value >= 2 ** width)) return { refused: "value" };
  if (k % (width / 8) !== 0) return { refused: "misaligned" };
  const store = s.values.get(r.storage)!;
  const once = s.written.get(r.storage)!;
  const old = store[i]!;
  const lane = (b: number) => b >= k * 8 && b < k * 8 + width;
  const bit = (x: number, b: number) => (x >>> b) & 1;
  if (op === "read") {
    let out = 0;
    let next = old;
    for (let b = 0; b < 32; b++) {
      if (!lane(b)) continue;
      const t = r.bits[b]!;
      let v = bit(old, b);
      if ("reserved" in t) v = t.reserved === "res1" ? 1 : t.reserved === "res0" ? 0 : v;
      else if (t.access === "wo") v = 0;
      else if (t.access === "const") v = t.constValue!;
      if ("access" in t && t.access === "rc") next &= ~(1 << b);
      if ("access" in t && t.access === "rs") next |= 1 << b;
      out |= v << (b - k * 8);
    }
    store[i] = next >>> 0;
    return { ok: out >>> 0 };
  }
  const written = (value * 2 ** (k * 8)) >>> 0;
  let next = 0;
  for (let b = 0; b < 32; b++) {
    const t = r.bits[b]!;
    const o = bit(old, b);
    const w = bit(written, b);
    let n = o;
    if ("reserved" in t) n = t.reserved === "res0" ? 0 : t.reserved === "res1" ? 1 : o;
    else if (t.access === "const") n = t.constValue!;
    else if (lane(b)) {
      switch (t.access) {
        case "rw":
        case "wo":
          n = w;
          break;
        case "write-once":
          if (!bit(once[i]!, b)) {
            n = w;
            once[i] = (once[i]! | (1 << b)) >>> 0;
          }
          break;
        case "w1c":
          n = w ? 0 : o;
          break;
        case "w1s":
          n = w ? 1 : o;
          break;
        case "w0c":
          n = w ? o : 0;
          break;
        case "w0s":
          n = w ? o : 1;
          break;
        case "w1t":
          n = w ? 1 - o : o;
          break;
        case "wc":
          n = 0;
          break;
        case "ws":
          n = 1;
          break;
        default:
          n = o; // ro, rc, rs: writes have no effect
      }
    }
    next |= n << b;
  }
  store[i] = next >>> 0;
  return { ok: undefined };
}

interface Generated {
  reset(): Record<string, number | number[]>;
  read(s: Record<string, unknown>, hooks: object, offset: number, width: number): number;
  write(s: Record<string, unknown>, hooks: object, offset: number, width: number, value: number): void;
  AccessError: new (...a: never[]) => Error & { kind: string };
}

let dir = "";
let gen: Generated;
beforeAll(async () => {
  dir = tempDir();
  const r = await runCli(["generate", "--specs", SPECS, "--out", dir]);
  expect(r.stderr).toBe("");
  const mod = (await import(pathToFileURL(join(dir, "ts/demo/effects.ts")).href)) as Record<string, unknown>;
  gen = {
    reset: mod.effects_reset as Generated["reset"],
    read: mod.effects_read as Generated["read"],
    write: mod.effects_write as Generated["write"],
    AccessError: mod.effects_AccessError as Generated["AccessError"],
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function genAccess(s: Record<string, unknown>, op: "read" | "write", offset: number, width: number, value: number): Outcome {
  try {
    if (op === "read") return { ok: gen.read(s, {}, offset, width) };
    gen.write(s, {}, offset, width, value);
    return { ok: undefined };
  } catch (e) {
    if (e instanceof gen.AccessError) return { refused: e.kind };
    throw e;
  }
}

/** The generated state as the reference holds it: storage by register, once-bits aside. */
function storageOf(s: Record<string, unknown>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(s)) if (!k.endsWith("$once")) out[k] = Array.isArray(v) ? [...(v as number[])] : [v as number];
  return out;
}

const OFFSETS = [0x00, 0x01, 0x02, 0x10, 0x14, 0x1c, 0x20, 0x24, 0x2c, 0x40, 0x41, 0x42, 0x43, 0x5c, 0x5f, 0x60, 0x80, 0x9c, 0xbf, 0xc0, 0xc4, 0xc8, 0xcc, 0xf0];
const access = fc.record({
  op: fc.constantFrom("read" as const, "write" as const),
  offset: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...OFFSETS) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x10f }) }),
  width: fc.constantFrom(8, 16, 32, 64),
  value: fc.oneof(fc.constantFrom(0, 1, 3, 4, 0xff, 0xffff, 0xffffffff, 0x100), fc.integer({ min: 0, max: 0xffffffff })),
});

describe("generated device dispatch against a bit-by-bit reference of the access vocabulary", () => {
  it("every read, refusal and state agree over random access sequences", () => {
    fc.assert(
      fc.property(fc.array(access, { maxLength: 60 }), (ops) => {
        const s = gen.reset() as Record<string, unknown>;
        const ref = refReset();
        expect(storageOf(s)).toEqual(Object.fromEntries(ref.values));
        for (const a of ops) {
          // Most writes fit their access; the rest check that both sides refuse the same wide values.
          const value = a.op === "write" && a.value % 4 !== 0 ? a.value % 2 ** Math.min(a.width, 32) : a.value;
          const got = genAccess(s, a.op, a.offset, a.width, value);
          const want = refAccess(ref, a.op, a.offset, a.width, value);
          expect(got, `${a.op} ${a.width}-bit at 0x${a.offset.toString(16)} value 0x${value.toString(16)}`).toEqual(want);
          expect(storageOf(s)).toEqual(Object.fromEntries(ref.values));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("the vocabulary's examples", () => {
  const fresh = () => gen.reset() as Record<string, unknown>;
  it("writes of 3 then 4 to a set-enable register read back 7; clear-enable of 1 leaves 6", () => {
    const s = fresh();
    gen.write(s, {}, 0x14, 32, 3);
    gen.write(s, {}, 0x14, 32, 4);
    expect(gen.read(s, {}, 0x14, 32)).toBe(7);
    gen.write(s, {}, 0x24, 32, 1);
    expect(gen.read(s, {}, 0x14, 32)).toBe(6);
    expect(gen.read(s, {}, 0x24, 32)).toBe(6);
    expect(gen.read(s, {}, 0x10, 32)).toBe(0);
  });

  it("0xffffffff written to a register with res0 bits reads back only its defined bits", () => {
    const s = fresh();
    gen.write(s, {}, 0x60, 32, 0xffffffff);
    expect(gen.read(s, {}, 0x60, 32)).toBe(0x3);
  });

  it("RAZ/WI ranges read 0 and ignore writes; other unmapped offsets fault", () => {
    const s = fresh();
    const before = JSON.stringify(s);
    gen.write(s, {}, 0x90, 32, 0xdeadbeef);
    expect(gen.read(s, {}, 0x90, 32)).toBe(0);
    expect(JSON.stringify(s)).toBe(before);
    expect(genAccess(s, "read", 0xd0, 32, 0)).toEqual({ refused: "unmapped" });
    expect(genAccess(s, "read", 0xc4, 32, 0)).toEqual({ refused: "unmapped" });
  });

  it("byte lanes address one priority each, and misaligned halfwords are refused", () => {
    const s = fresh();
    gen.write(s, {}, 0x42, 8, 0xa5);
    expect(gen.read(s, {}, 0x40, 32)).toBe(0x00a50000);
    expect(gen.read(s, {}, 0x42, 8)).toBe(0xa5);
    expect(genAccess(s, "write", 0x41, 16, 1)).toEqual({ refused: "width" });
    expect(genAccess(s, "read", 0x42, 32, 0)).toEqual({ refused: "misaligned" });
  });

  it("write-once bits take the first write after reset only", () => {
    const s = fresh();
    gen.write(s, {}, 0x00, 32, 0x2 << 25);
    gen.write(s, {}, 0x00, 32, 0x5 << 25);
    expect((gen.read(s, {}, 0x00, 32) >>> 25) & 0x7).toBe(0x2);
  });

  it("read-to-clear bits clear after the read that returns them", () => {
    const s = fresh();
    (s as { EFX: number }).EFX |= 0x3 << 21;
    expect((gen.read(s, {}, 0x00, 32) >>> 21) & 0x3).toBe(0x3);
    expect((gen.read(s, {}, 0x00, 32) >>> 21) & 0x3).toBe(0);
  });
});
