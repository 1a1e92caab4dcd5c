import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkEffects,
  checkExpr,
  emitC,
  emitCEffects,
  EmitError,
  emitPromela,
  emitPromelaEffects,
  emitTs,
  emitTsEffects,
  formatEffects,
  formatExpr,
  type ExprType,
  type Naming,
} from "../../../generator/expr/index.ts";
import { parse, parseStmts, tableScope } from "./helpers.ts";

const u = (width: number): ExprType => ({ t: "int", width });
const S: ExprType = { t: "enum", name: "S", members: ["RUN"] };
const scope = tableScope(
  {
    a: u(32),
    b: u(32),
    n8: u(8),
    w: u(64),
    K: { t: "int" },
    p: { t: "bool" },
    q: { t: "bool" },
    "R.en": { t: "bool" },
    st: S,
    RUN: S,
    i: { t: "int", width: 16, signed: true },
  },
  { f: u(32) },
);
const naming: Naming = { ref: (path) => path.join("_") };

/** Emits with the node types of a successful check, as callers are meant to. */
function typed(text: string): [ReturnType<typeof parse>, { types: ReturnType<typeof checkExpr>["types"] }] {
  const e = parse(text);
  const r = checkExpr(e, scope);
  expect(r.errors).toEqual([]);
  return [e, { types: r.types }];
}

// Each row: source, TypeScript, C, Promela.
const table: [string, string, string, string][] = [
  ["a & b | a", "(a & b | a) >>> 0", "(a & b) | a", "a & b | a"],
  ["(a + b) & 0xff", "(a + b & 255) >>> 0", "(a + b) & 255U", "a + b & 255"],
  ["~a & 0xffff", "(~a & 65535) >>> 0", "~a & 65535U", "~a & 65535"],
  ["a >> 3 & 1", "(a >>> 3 & 1) >>> 0", "a >> 3U & 1U", "a >> 3 & 1"],
  ["a >> b", "a >>> b", "a >> b", "a >> b"],
  ["a << 4", "a << 4 >>> 0", "a << 4U", "a << 4"],
  ["a / b", "a / b >>> 0", "a / b", "a / b"],
  ["a % 10", "a % 10", "a % 10U", "a % 10"],
  ["a * b + 1", "Math.imul(a, b) + 1 >>> 0", "a * b + 1U", "a * b + 1"],
  ["(a + 1) * 2", "Math.imul(a + 1, 2) >>> 0", "(a + 1U) * 2U", "(a + 1) * 2"],
  ["a + b + a + b", "a + b + a + b >>> 0", "a + b + a + b", "a + b + a + b"],
  ["a - (b - 1)", "a - (b - 1) >>> 0", "a - (b - 1U)", "a - (b - 1)"],
  ["-a", "-a >>> 0", "-a", "-a"],
  ["- -a", "- -a >>> 0", "- -a", "- -a"],
  ["-(a - 1)", "-(a - 1) >>> 0", "-(a - 1U)", "-(a - 1)"],
  ["a == b", "a === b", "a == b", "a == b"],
  ["p != q", "p !== q", "p != q", "p != q"],
  ["a << 1 == 2", "a << 1 >>> 0 === 2", "a << 1U == 2U", "a << 1 == 2"],
  ["a + 1 < b", "a + 1 >>> 0 < b", "a + 1U < b", "a + 1 < b"],
  ["!p && (q || a < 3)", "!p && (q || a < 3)", "!p && (q || a < 3U)", "!p && (q || a < 3)"],
  ["p && q || R.en", "p && q || R_en", "(p && q) || R_en", "p && q || R_en"],
  ["a == 1 == p", "a === 1 === p", "(a == 1U) == p", "a == 1 == p"],
  ["!p == q", "!p === q", "(!p) == q", "!p == q"],
  ["a ^ b & 1", "(a ^ b & 1) >>> 0", "a ^ (b & 1U)", "a ^ b & 1"],
  ["p ? a + 1 : b", "(p ? a + 1 : b) >>> 0", "p ? a + 1U : b", "(p -> a + 1 : b)"],
  ["(p ? a : b) >> 1", "(p ? a : b) >>> 1", "(p ? a : b) >> 1U", "(p -> a : b) >> 1"],
  [
    "a == 0 ? 1 : a == 1 ? 2 : 3",
    "a === 0 ? 1 : a === 1 ? 2 : 3",
    "a == 0U ? 1U : a == 1U ? 2U : 3U",
    "(a == 0 -> 1 : (a == 1 -> 2 : 3))",
  ],
  ["(p ? q : R.en) ? 1 : 0", "(p ? q : R_en) ? 1 : 0", "(p ? q : R_en) ? 1U : 0U", "((p -> q : R_en) -> 1 : 0)"],
  ["st == RUN", "st === RUN", "st == RUN", "st == RUN"],
  ["f(a + 1) == 0x1_0000", "f(a + 1 >>> 0) === 0x10000", "f(a + 1U) == 0x10000U", "f(a + 1) == 65536"],
  ["true != false", "true !== false", "true != false", "true != false"],
];

describe("emitters: exact output for representative expressions", () => {
  it.each(table)("%s", (src, ts, c, pml) => {
    const [e, opts] = typed(src);
    expect(emitTs(e, naming, opts)).toBe(ts);
    expect(emitC(e, naming, opts)).toBe(c);
    expect(emitPromela(e, naming, opts)).toBe(pml);
  });
});

describe("emitTs", () => {
  it("refuses literals above 2^32 - 1 and, given types, wide or signed integers", () => {
    expect(() => emitTs(parse("a + 0x1_0000_0000"), naming)).toThrow(
      new EmitError("integer literal 0x100000000 does not fit in 32 bits", { start: 4, end: 17 }),
    );
    expect(emitTs(parse("0xffff_ffff"), naming)).toBe("0xffffffff");
    const [e, opts] = typed("w == 0");
    expect(() => emitTs(e, naming, opts)).toThrow(
      new EmitError("the TypeScript emitter supports unsigned integers of up to 32 bits, got u64", {
        start: 0,
        end: 1,
      }),
    );
    const [e2, opts2] = typed("i + i == 0");
    expect(() => emitTs(e2, naming, opts2)).toThrow(EmitError);
  });

  it("wraps long sums before they stop being exact", () => {
    const sum = Array.from({ length: 24 }, () => "a").join(" + ");
    const out = emitTs(parse(sum), naming);
    expect(out).toContain(" >>> 0) + ");
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- tests only
    const fn = new Function("a", `return ${out};`) as (a: number) => number;
    expect(fn(0xffffffff)).toBe(Number(BigInt.asUintN(32, 24n * 0xffffffffn)));
  });

  it("parenthesizes naming results that are not single operands", () => {
    const odd: Naming = {
      ref: (p) => (p[0] === "a" ? "x + 1" : `v.${p.join(".")}`),
      call: (fn, args) => `lib.${fn}(${args.join(", ")})`,
    };
    expect(emitTs(parse("a * b"), odd)).toBe("Math.imul((x + 1), v.b) >>> 0");
    expect(emitTs(parse("a == b"), odd)).toBe("(x + 1) === v.b");
    expect(emitTs(parse("g(b) & 1"), odd)).toBe("(lib.g(v.b) & 1) >>> 0");
    expect(emitC(parse("a << 2"), odd)).toBe("(x + 1) << 2U");
  });
});

describe("emitC", () => {
  it("computes 64-bit expressions in 64 bits: ULL literals and widened narrow operands", () => {
    const [e, opts] = typed("w & ~0");
    expect(emitC(e, naming, opts)).toBe("w & ~0ULL");
    const [e2, opts2] = typed("(w >> 32 & 0x1fff) == a + 1");
    expect(emitC(e2, naming, opts2)).toBe("(w >> 32ULL & 8191ULL) == (uint64_t)a + 1ULL");
    expect(emitC(parse("a & 0x1_0000_0000"), naming)).toBe("a & 0x100000000ULL");
  });

  it("widens operands that C would promote to signed int", () => {
    for (const [src, out] of [
      ["n8 - 1 < a", "(uint32_t)n8 - 1U < a"],
      ["~n8", "~(uint32_t)n8"],
      ["K << 4", "(uint32_t)K << 4U"],
      ["n8 * n8 >> n8", "(uint32_t)n8 * (uint32_t)n8 >> n8"],
      ["n8 & n8", "n8 & n8"],
      ["(n8 & 3) - 1 < a", "(n8 & 3U) - 1U < a"],
      ["-(n8 | n8)", "-(uint32_t)(n8 | n8)"],
      ["~(b >> 1) == w", "~(uint64_t)(b >> 1ULL) == w"],
      ["w + (a + b)", "w + ((uint64_t)a + (uint64_t)b)"],
    ]) {
      const [e, opts] = typed(src!);
      expect(emitC(e, naming, opts)).toBe(out);
    }
  });
});

describe("emitPromela", () => {
  it("refuses literals a Promela int cannot hold", () => {
    expect(emitPromela(parse("0x7fff_ffff"), naming)).toBe("2147483647");
    expect(() => emitPromela(parse("0x8000_0000"), naming)).toThrow(EmitError);
  });
});

describe("effects", () => {
  const stmtScope = tableScope(
    { x: u(32), w: u(64), old: { t: "bool" }, state: u(32), SCHED: { t: "int" } },
    { test_and_set_bit: { t: "bool" }, clear_bit: { t: "bool" } },
  );
  const stmts = parseStmts("x += 1; x -= a - 1; old = test_and_set_bit(state, SCHED); clear_bit(state, SCHED); w = ~0");
  const types = checkEffects(stmts, {
    ...stmtScope,
    ref: (p) => (p[0] === "a" ? { type: u(32) } : stmtScope.ref(p)),
  }).types;

  it("emits TypeScript statements", () => {
    expect(emitTsEffects(stmts.slice(0, 4), naming)).toBe(
      [
        "x = x + 1 >>> 0;",
        "x = x - (a - 1) >>> 0;",
        "old = test_and_set_bit(state, SCHED);",
        "clear_bit(state, SCHED);",
      ].join("\n"),
    );
    const setter: Naming = { ref: (p) => `s.${p.join(".")}`, assign: (p, v) => `s.set_${p.join("_")}(${v})` };
    expect(emitTsEffects(stmts.slice(0, 1), setter)).toBe("s.set_x(s.x + 1 >>> 0);");
  });

  it("emits C statements, in each statement's word", () => {
    expect(emitCEffects(stmts, naming, { types })).toBe(
      [
        "x += 1U;",
        "x -= a - 1U;",
        "old = test_and_set_bit(state, SCHED);",
        "clear_bit(state, SCHED);",
        "w = ~0ULL;",
      ].join("\n"),
    );
    const setter: Naming = { ref: (p) => p.join("."), assign: (p, v) => `set_${p.join("_")}(${v})` };
    expect(emitCEffects(stmts.slice(1, 2), setter)).toBe("set_x(x - (a - 1U));");
  });

  it("emits Promela statements without compound assignment", () => {
    expect(emitPromelaEffects(stmts.slice(0, 4), naming)).toBe(
      ["x = x + 1;", "x = x - (a - 1);", "old = test_and_set_bit(state, SCHED);", "clear_bit(state, SCHED);"].join(
        "\n",
      ),
    );
  });

  it("formats back to source", () => {
    expect(formatEffects(stmts)).toBe(
      "x += 1; x -= a - 1; old = test_and_set_bit(state, SCHED); clear_bit(state, SCHED); w = ~0",
    );
  });
});

describe("formatExpr", () => {
  it.each([
    ["a+b*c", "a + b * c"],
    ["((a + b)) * c", "(a + b) * c"],
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["0xff", "255"],
    ["0x1_0000", "0x10000"],
    ["0b1", "1"],
    ["- (-a)", "- -a"],
    ["!(a && b)", "!(a && b)"],
    ["a ? (b ? c : d) : (e ? f : g)", "a ? b ? c : d : e ? f : g"],
    ["(a ? b : c) ? d : e", "(a ? b : c) ? d : e"],
    ["f( a,b )", "f(a, b)"],
    ["x . y", "x.y"],
  ])("%s → %s", (src, out) => {
    expect(formatExpr(parse(src))).toBe(out);
  });
});

const gcc = (() => {
  try {
    execFileSync("gcc", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!gcc && !process.env.CI)("emitted C under gcc -Wall -Wextra -Werror", () => {
  it("compiles every expression of the table without a warning", () => {
    const body = table
      .filter(([src]) => !src.includes("st =="))
      .map(([src], i) => {
        const [e, opts] = typed(src);
        return `  r[${i}] = (unsigned long long)(${emitC(e, naming, opts)});`;
      });
    const program = [
      "#include <stdbool.h>",
      "#include <stdint.h>",
      "uint32_t a, b, K; uint8_t n8; uint64_t w; bool p, q, R_en;",
      "static uint32_t f(uint32_t x) { return x; }",
      "unsigned long long r[64];",
      "void run(void) {",
      ...body,
      "}",
    ].join("\n");
    const dir = mkdtempSync(join(tmpdir(), "hwspec-expr-"));
    try {
      writeFileSync(join(dir, "t.c"), program);
      execFileSync("gcc", ["-std=c99", "-Wall", "-Wextra", "-Werror", "-c", "-o", join(dir, "t.o"), join(dir, "t.c")], {
        stdio: "pipe",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
