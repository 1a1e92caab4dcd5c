import { describe, expect, it } from "vitest";
import { EvalError, evaluate, execEffects, type EvalEnv, type Value } from "../../../generator/expr/index.ts";
import { parse, parseStmts } from "./helpers.ts";

const vars: Record<string, Value> = { a: 6n, b: 4n, z: 0n, big: 0xffff_ffffn, p: true, q: false, "r.x": 3n };
const env: EvalEnv = {
  ref: (path) => {
    const v = vars[path.join(".")];
    if (v === undefined) throw new Error(`no ${path.join(".")}`);
    return v;
  },
  call: (fn, args) => {
    if (fn === "sizeof") return 8n;
    if (fn === "max") return (args as bigint[]).reduce((x, y) => (x > y ? x : y));
    throw new Error(`no ${fn}`);
  },
};
const ev = (text: string, width?: number) => evaluate(parse(text), env, width === undefined ? {} : { width });

describe("exact evaluation (no width)", () => {
  const cases: [string, Value][] = [
    ["1 + 2 * 3", 7n],
    ["(1 + 2) * 3", 9n],
    ["a - b - 1", 1n],
    ["a / b", 1n],
    ["a % b", 2n],
    ["a & b | 1", 5n],
    ["a ^ b", 2n],
    ["1 << 40", 1n << 40n],
    ["0x100 >> 4", 16n],
    ["~0", -1n],
    ["-a", -6n],
    ["b - a", -2n],
    ["-7 / 2", -3n],
    ["r.x * 2", 6n],
    ["0xffff_ffff_ffff_ffff + 1", 1n << 64n],
    ["a > b && b >= 4 && b <= 4 && !(a < b) && a != b", true],
    ["p == q", false],
    ["p != q", true],
    ["p ? a : b", 6n],
    ["q ? a : b", 4n],
    ["sizeof(a) == sizeof(b) + 0", true],
    ["max(1, a, b)", 6n],
    ["q && 1 / z == 0", false],
    ["p || 1 / z == 0", true],
    ["q ? 1 / z : 2", 2n],
  ];
  it.each(cases)("%s", (text, value) => {
    expect(ev(text)).toBe(value);
  });
});

describe("modular evaluation (width)", () => {
  const cases: [string, number, Value][] = [
    ["~0", 32, 0xffff_ffffn],
    ["~0", 64, 0xffff_ffff_ffff_ffffn],
    ["-1", 32, 0xffff_ffffn],
    ["b - a", 32, 0xffff_fffen],
    ["big + 1", 32, 0n],
    ["big * big", 32, 1n],
    ["1 << 31", 32, 0x8000_0000n],
    ["1 << 32", 32, 1n],
    ["1 << 33", 32, 2n],
    ["big >> 36", 32, 0x0fff_ffffn],
    ["1 << 40", 64, 1n << 40n],
    ["0x1_0000_0005", 32, 5n],
    ["(b - a) / 2", 32, 0x7fff_ffffn],
    ["(b - a) > a", 32, true],
    ["~0", 8, 255n],
  ];
  it.each(cases)("%s at %i bits", (text, width, value) => {
    expect(ev(text, width)).toBe(value);
  });

  it("reduces values from the environment", () => {
    expect(evaluate(parse("x + 0"), { ref: () => -1n }, { width: 16 })).toBe(0xffffn);
  });

  it("refuses a width that is not a positive integer", () => {
    expect(() => ev("1", 0)).toThrow(RangeError);
  });
});

describe("evaluation errors are EvalErrors with spans, not crashes", () => {
  const cases: [string, string, number, number][] = [
    ["a / z", "division by zero", 0, 5],
    ["1 + a % (b - 4)", "division by zero", 4, 15],
    ["a + p", "'p' is a bool, expected an integer", 4, 5],
    ["!a", "'a' is an integer, expected a bool", 1, 2],
    ["(a + 1) && p", "the operand is an integer, expected a bool", 1, 6],
    ["a == p", "cannot compare a bool with an integer", 0, 6],
    ["1 << -1", "negative shift count -1", 5, 7],
    ["1 << 100000000", "shift count 100000000 is too large", 5, 14],
  ];
  it.each(cases)("%s", (text, message, start, end) => {
    let caught: unknown;
    try {
      ev(text);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EvalError);
    expect((caught as EvalError).message).toBe(message);
    expect((caught as EvalError).span).toEqual({ start, end });
  });

  it("reports a call without an implementation", () => {
    expect(() => evaluate(parse("f(1)"), { ref: () => 0n })).toThrow(
      new EvalError("unknown function 'f'", { start: 0, end: 4 }),
    );
  });

  it("also throws on division by zero in modular mode", () => {
    expect(() => ev("a % z", 32)).toThrow(EvalError);
  });
});

describe("execEffects", () => {
  it("runs statements in order, each seeing the previous ones", () => {
    const state = new Map<string, Value>([
      ["x", 1n],
      ["bits", 0b01n],
      ["old", false],
      ["n", 0n],
    ]);
    const log: string[] = [];
    const env = {
      ref: (p: string[]) => state.get(p.join("."))!,
      assign: (p: string[], v: Value) => void state.set(p.join("."), v),
      call: (fn: string, args: Value[]): Value => {
        log.push(`${fn}(${args.join(",")})`);
        if (fn === "test_and_set_bit") {
          const bit = args[1] as bigint;
          const was = ((state.get("bits") as bigint) >> bit) & 1n;
          state.set("bits", (state.get("bits") as bigint) | (1n << bit));
          return was === 1n;
        }
        return 0n;
      },
    };
    execEffects(parseStmts("x += 2; x = x * 10; old = test_and_set_bit(bits, 1); n -= 1; note(x)"), env, { width: 32 });
    expect(state.get("x")).toBe(30n);
    expect(state.get("bits")).toBe(0b11n);
    expect(state.get("old")).toBe(false);
    expect(state.get("n")).toBe(0xffff_ffffn);
    expect(log).toEqual(["test_and_set_bit(1,1)", "note(30)"]);
  });
});
