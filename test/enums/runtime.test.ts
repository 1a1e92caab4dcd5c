/**
 * Typed enums at run time: setters, with, patch and encode take a member's name or a value, a
 * name that is not a member throws HwspecEnumError (a HwspecError), and numbers keep their
 * range checks. Expected values come from the fixture spec's JSON, not from the generator.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LCR_H, LCR_H_WLEN } from "../../generated/ts/arm/pl011.ts";
import { IA32_VMX_BASIC } from "../../generated/ts/x86/vmx-msrs.ts";
import { bitsOf, fixtureSpec, generateFixture } from "./fixture.ts";

type U64 = { lo: number; hi: number };
interface Namespace {
  width: number;
  fields: readonly { name: string; lsb: number; width: number; access: string; enum?: Record<string, number | string> }[];
  enums?: Record<string, Record<string, unknown>>;
  get: Record<string, (v: unknown) => unknown>;
  set: Record<string, (v: unknown, x: unknown) => unknown>;
  with(v: unknown, p: object): unknown;
  patch(v: unknown, p: object): unknown;
  encode(p: object): unknown;
  toBigInt(v: unknown): bigint;
  fromBigInt(x: bigint): unknown;
}
type ErrorClass = new (...args: never[]) => Error;

let cleanup = () => {};
let mod: Record<string, unknown> = {};
let support: Record<string, unknown> = {};
beforeAll(async () => {
  const g = await generateFixture();
  cleanup = g.cleanup;
  mod = await import(pathToFileURL(join(g.dir, "ts/demo/csr.ts")).href);
  support = await import(pathToFileURL(join(g.dir, "ts/support.ts")).href);
});
afterAll(() => cleanup());

const ns = (name: string) => mod[name] as Namespace;
const errorClass = (name: string) => support[name] as ErrorClass;

/** The TS value a field takes for `value`: boolean for one bit, U64 above 32 bits, else a number. */
function tsValue(width: number, value: bigint): unknown {
  if (width === 1) return value !== 0n;
  if (width > 32) return { lo: Number(value & 0xffffffffn), hi: Number(value >> 32n) };
  return Number(value);
}

describe("enum fields of the fixture, member by member", () => {
  it("set by name equals set by value equals the member's bits, through every entry point", () => {
    let checked = 0;
    for (const [layout, spec] of Object.entries(fixtureSpec().layouts)) {
      const L = ns(layout);
      for (const [field, f] of Object.entries(spec.fields)) {
        if (!f.enum) continue;
        const { lsb, width } = bitsOf(f.bits);
        for (const [name, raw] of Object.entries(f.enum)) {
          const value = BigInt(raw);
          const expected = value << BigInt(lsb);
          const zero = L.fromBigInt(0n);
          const viaPatch = L.toBigInt(L.patch(zero, { [field]: name }));
          expect(viaPatch, `${layout}.${field}=${name}`).toBe(expected);
          expect(L.toBigInt(L.patch(zero, { [field]: tsValue(width, value) }))).toBe(expected);
          expect(L.toBigInt(L.encode({ [field]: name }))).toBe(expected);
          if (f.access !== "ro") {
            expect(L.toBigInt(L.set[field]!(zero, name) as never)).toBe(expected);
            expect(L.toBigInt(L.with(zero, { [field]: name }))).toBe(expected);
          } else {
            expect(L.set[field]).toBeUndefined();
          }
          // The constant object holds the member in the field's own TS type, so it feeds a setter as is.
          const constant = L.enums![field]![name];
          expect(constant).toEqual(tsValue(width, value));
          expect(L.get[field]!(L.fromBigInt(expected))).toEqual(constant);
          checked++;
        }
      }
    }
    expect(checked).toBe(32);
  });

  it("exports each field's constant object under its upper-case name, the same object as on the namespace", () => {
    expect(mod.MSTATUS_MPP).toBe(ns("mstatus").enums!.mpp);
    expect(mod.MSTATUS_MPP).toEqual({ U: 0, S: 1, M: 3 });
    expect(Object.isFrozen(mod.MSTATUS_MPP)).toBe(true);
    expect(mod.WIDE_KEY_KEY).toEqual({ NONE: { lo: 0, hi: 0 }, ALL: { lo: 0xffffffff, hi: 0xffff } });
    expect(Object.isFrozen((mod.WIDE_KEY_KEY as Record<string, object>).ALL)).toBe(true);
    expect(ns("mtvec").enums).toEqual({ mode: { DIRECT: 0, VECTORED: 1 } });
  });
});

describe("wrong names and values", () => {
  it("a name that is not a member is a HwspecEnumError naming the field and the members", () => {
    const m = ns("mstatus");
    const zero = m.fromBigInt(0n);
    const attempts: [string, () => unknown][] = [
      ["set", () => m.set.mpp!(zero, "H")],
      ["with", () => m.with(zero, { mpp: "H" })],
      ["patch", () => m.patch(zero, { mpp: "H" })],
      ["encode", () => m.encode({ mpp: "H" })],
    ];
    for (const [what, attempt] of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (e) {
        caught = e;
      }
      expect(caught, what).toBeInstanceOf(errorClass("HwspecEnumError"));
      expect(caught, what).toBeInstanceOf(errorClass("HwspecError"));
      const e = caught as Error & { target: string; value: string; members: string[] };
      expect([e.name, e.target, e.value, e.members]).toEqual(["HwspecEnumError", "mstatus.mpp", "H", ["U", "S", "M"]]);
      expect(e.message).toBe(`mstatus.mpp: "H" is not a member of its enum (U, S, M)`);
    }
  });

  it("a case slip is named in the message; prototype names are not members", () => {
    const m = ns("mstatus");
    expect(() => m.encode({ fs: "dirty" })).toThrow(/"dirty" is not a member of its enum \(Off, Initial, Clean, Dirty\) \(did you mean "Dirty"\?\)/);
    for (const name of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(() => m.encode({ mpp: name }), name).toThrow(errorClass("HwspecEnumError"));
    }
    // A numeric string is a name too, and no member is called "3".
    expect(() => m.encode({ mpp: "3" })).toThrow(errorClass("HwspecEnumError"));
  });

  it("values keep their range checks; other types are range errors as before", () => {
    const m = ns("mstatus");
    const zero = m.fromBigInt(0n);
    const range = errorClass("HwspecRangeError");
    for (const bad of [4, -1, 1.5, null, undefined, {}, true]) expect(() => m.set.mpp!(zero, bad), String(bad)).toThrow(range);
    // A value no member names is still a value of the field.
    expect(m.toBigInt(m.set.mpp!(zero, 2) as never)).toBe(2n << 11n);
    const w = ns("wide_key");
    expect(() => w.encode({ key: 5 })).toThrow(range);
    expect(() => w.encode({ key: "SOME" })).toThrow(errorClass("HwspecEnumError"));
    expect(() => ns("window").encode({ lock: 1 })).toThrow(range);
    // A field without an enum takes no names at all.
    expect(() => ns("mtvec").encode({ base: "DIRECT" })).toThrow(range);
  });

  it("the straddling and wide fields put a member's bits where the spec says", () => {
    const win = ns("window");
    const size = bitsOf(fixtureSpec().layouts.window!.fields.size!.bits);
    expect(win.toBigInt(win.encode({ size: "GB1", lock: "LOCKED" }))).toBe((18n << BigInt(size.lsb)) | (1n << 63n));
    const key = ns("wide_key");
    const all = key.set.key!(key.fromBigInt(0n), "ALL") as U64;
    expect(key.toBigInt(all)).toBe(0xffffffffffffn);
  });
});

describe("shipped specs", () => {
  it("PL011 LCR_H.WLEN and IA32_VMX_BASIC.memory_type take their members' names", () => {
    expect(LCR_H.set.WLEN(0, "BITS8")).toBe(LCR_H.set.WLEN(0, LCR_H_WLEN.BITS8));
    expect(LCR_H.encode({ WLEN: "BITS7", FEN: true })).toBe((2 << 5) | (1 << 4));
    expect(LCR_H.decode(LCR_H.with(0, { WLEN: "BITS6" })).WLEN).toBe(LCR_H.enums.WLEN.BITS6);
    const wb = IA32_VMX_BASIC.encode({ memory_type: "WB" });
    expect(IA32_VMX_BASIC.toBigInt(wb) >> 50n).toBe(6n);
    expect(IA32_VMX_BASIC.get.memory_type(wb)).toBe(IA32_VMX_BASIC.enums.memory_type.WB);
  });
});
