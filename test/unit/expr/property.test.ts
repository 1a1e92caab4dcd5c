import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkExpr,
  emitC,
  emitTs,
  EvalError,
  evaluate,
  exprWord,
  formatExpr,
  type EvalEnv,
  type Expr,
  type ExprType,
  type Value,
} from "../../../generator/expr/index.ts";
import { anyExpr, typedExprs } from "./arbitraries.ts";
import { parse, strip, tableScope } from "./helpers.ts";

const u = (width: number): ExprType => ({ t: "int", width });
const scope = tableScope(
  { a: u(32), b: u(32), c: u(32), s: u(8), w: u(64), p: { t: "bool" }, q: { t: "bool" } },
  { f: u(32) },
);

const u32 = fc.oneof(
  fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xffffffffn),
  fc.bigInt({ min: 0n, max: 0xffffffffn }),
);
const valuesArb = fc.record({
  a: u32,
  b: u32,
  c: u32,
  s: fc.bigInt({ min: 0n, max: 255n }),
  p: fc.boolean(),
  q: fc.boolean(),
});
type Values = Record<string, bigint | boolean>;

/** The language's f: u32 in, u32 out, like its TypeScript and C twins below. */
const fBig = (x: bigint): bigint => BigInt.asUintN(32, BigInt.asUintN(32, x) * 3n + 1n);
const envOf = (v: Values): EvalEnv => ({
  ref: (path) => v[path.join(".")]!,
  call: (_fn, args) => fBig(args[0] as bigint),
});

/** Evaluates in the language's semantics, or undefined where it is undefined (division by zero). */
function language(e: Expr, v: Values, width: number): Value | undefined {
  try {
    return evaluate(e, envOf(v), { width });
  } catch (err) {
    if (err instanceof EvalError) return undefined;
    throw err;
  }
}

describe("property: emitted TypeScript computes what evaluate() computes (u32 modular)", () => {
  const { int, bool } = typedExprs({ ints: ["a", "b", "c", "s"], bools: ["p", "q"] });
  const naming = { ref: (path: string[]) => `v.${path.join(".")}` };
  const fTs = (x: number) => (x * 3 + 1) >>> 0;

  for (const [kind, arb] of [
    ["int", int],
    ["bool", bool],
  ] as const) {
    it(`${kind} expressions`, () => {
      fc.assert(
        fc.property(arb, valuesArb, (e, v) => {
          const checked = checkExpr(e, scope);
          expect(checked.errors).toEqual([]);
          const expected = language(e, v, 32);
          fc.pre(expected !== undefined);
          const code = emitTs(e, naming, { types: checked.types });
          // Building a function from emitted text happens only here, in a test; never in the generator.
          const run = new Function("v", "f", `return ${code};`) as (v: unknown, f: unknown) => unknown;
          const vNum = Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, typeof x === "bigint" ? Number(x) : x]),
          );
          const got = run(vNum, fTs);
          expect(got).toBe(typeof expected === "bigint" ? Number(expected) : expected);
        }),
        { numRuns: 2000 },
      );
    });
  }
});

describe("property: formatExpr and parseExpr round-trip", () => {
  it("parse(formatExpr(e)) gives back e", () => {
    fc.assert(
      fc.property(anyExpr, (e) => {
        expect(strip(parse(formatExpr(e)))).toEqual(strip(e));
      }),
      { numRuns: 2000 },
    );
  });

  it("formatExpr(parse(x)) is canonical for noisy source: extra parentheses, spaces, bases, separators", () => {
    fc.assert(
      fc.property(anyExpr, fc.infiniteStream(fc.nat(7)), (e, noise) => {
        const text = noisy(e, () => noise.next().value);
        const parsed = parse(text);
        expect(strip(parsed)).toEqual(strip(e));
        expect(formatExpr(parsed)).toBe(formatExpr(e));
      }),
      { numRuns: 1000 },
    );
  });
});

/** Prints `e` fully parenthesized with random spacing and literal styles. */
function noisy(e: Expr, rnd: () => number): string {
  const sp = () => ["", " ", "  ", "\n", "\t", " ", "", ""][rnd()]!;
  const lit = (v: bigint): string => {
    const k = rnd() % 4;
    const sep = (digits: string) =>
      digits.length > 1 && rnd() % 2 ? `${digits.slice(0, 1)}_${digits.slice(1)}` : digits;
    if (k === 1) return `0x${sep(v.toString(16))}`;
    if (k === 2) return `0b${sep(v.toString(2))}`;
    return v === 0n ? "0" : sep(v.toString(10));
  };
  const p = (s: string) => `(${sp()}${s}${sp()})`;
  switch (e.k) {
    case "num":
      return lit(e.value);
    case "bool":
      return String(e.value);
    case "ref":
      return e.path.join(`${sp()}.${sp()}`);
    case "call":
      return `${e.fn}${sp()}(${e.args.map((a) => sp() + noisy(a, rnd) + sp()).join(",")})`;
    case "unary":
      return `${e.op}${sp()}${p(noisy(e.arg, rnd))}`;
    case "binary":
      return `${p(noisy(e.left, rnd))}${sp()}${e.op}${sp()}${p(noisy(e.right, rnd))}`;
    case "cond":
      return `${p(noisy(e.test, rnd))}${sp()}?${sp()}${p(noisy(e.then, rnd))}${sp()}:${sp()}${p(noisy(e.else, rnd))}`;
  }
}

const gcc = (() => {
  try {
    execFileSync("gcc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!gcc && !process.env.CI)("property: emitted C computes what evaluate() computes in the expression's word", () => {
  it("agrees on sampled expressions over u8, u32, u64 and bool variables", () => {
    const { int, bool } = typedExprs({ ints: ["a", "b", "s", "w"], bools: ["p", "q"], safeShifts: true });
    const exprs = [...fc.sample(int, { numRuns: 250, seed: 7 }), ...fc.sample(bool, { numRuns: 100, seed: 8 })];
    const valueSets: Values[] = [
      { a: 0n, b: 0n, s: 0n, w: 0n, p: false, q: false },
      { a: 0xffffffffn, b: 1n, s: 255n, w: 0xffffffffffffffffn, p: true, q: false },
      { a: 0x80000000n, b: 3n, s: 128n, w: 0x123456789abcdef0n, p: false, q: true },
      { a: 123456789n, b: 0xdeadbeefn, s: 7n, w: 1n << 63n, p: true, q: true },
    ];
    const naming = { ref: (path: string[]) => path.join("_") };
    const rows: { code: string; expected: bigint[] }[] = [];
    for (const e of exprs) {
      const checked = checkExpr(e, scope);
      expect(checked.errors).toEqual([]);
      const width = exprWord(e, checked.types);
      const results = valueSets.map((v) => language(e, v, width));
      if (results.some((r) => r === undefined)) continue;
      rows.push({
        code: emitC(e, naming, { types: checked.types }),
        expected: results.map((r) => (typeof r === "boolean" ? (r ? 1n : 0n) : (r as bigint))),
      });
    }
    expect(rows.length).toBeGreaterThan(200);
    const sets = valueSets.map((v) => `{${v.a}U, ${v.b}U, ${v.s}U, ${v.w}ULL, ${v.p}, ${v.q}}`);
    const program = [
      "#include <stdbool.h>",
      "#include <stdint.h>",
      "#include <stdio.h>",
      "static uint32_t a, b; static uint8_t s; static uint64_t w; static bool p, q;",
      "static uint32_t f(uint32_t x) { return x * 3U + 1U; }",
      "struct set { uint32_t a, b; uint8_t s; uint64_t w; bool p, q; };",
      `static const struct set sets[] = {${sets.join(", ")}};`,
      "int main(void) {",
      "  for (unsigned i = 0; i < sizeof sets / sizeof sets[0]; i++) {",
      "    a = sets[i].a; b = sets[i].b; s = sets[i].s; w = sets[i].w; p = sets[i].p; q = sets[i].q;",
      ...rows.map((r) => `    printf("%llu\\n", (unsigned long long)(${r.code}));`),
      "  }",
      "  return 0;",
      "}",
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "hwspec-expr-"));
    let out: string;
    try {
      writeFileSync(join(dir, "p.c"), program);
      const exe = join(dir, "p");
      // Random expressions such as `a == a` draw warnings; warnings are the other test's concern.
      execFileSync("gcc", ["-std=c99", "-O1", "-w", "-o", exe, join(dir, "p.c")], { stdio: "pipe" });
      out = execFileSync(exe, { encoding: "utf8" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const lines = out.trim().split("\n");
    const mismatches: string[] = [];
    valueSets.forEach((_, i) =>
      rows.forEach((r, j) => {
        const got = BigInt(lines[i * rows.length + j]!);
        if (got !== r.expected[i]) mismatches.push(`set ${i}: ${r.code} = ${got}, expected ${r.expected[i]}`);
      }),
    );
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
