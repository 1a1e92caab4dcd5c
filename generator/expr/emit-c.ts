import type { BinaryOp, Expr, Stmt } from "./ast.ts";
import { atom, literalText, type Naming } from "./emit-common.ts";
import { ATOM_PREC, UNARY_PREC } from "./precedence.ts";
import { cStyleCond, print, type Printed, type PrintHooks } from "./printer.ts";
import type { TypeMap } from "./check.ts";

export interface EmitCOptions {
  /**
   * Node types from `checkExpr`. With them the emitter widens what C would compute in too few
   * bits: literals inside 64-bit computations get `ULL`, and narrower operands of `~ - + * <<`
   * are cast to the computation's word (`uint32_t`/`uint64_t`, from stdint.h).
   */
  types?: TypeMap;
}

const COMPARISON = new Set<string>(["==", "!=", "<", "<=", ">", ">="]);
const ADDITIVE = new Set<string>(["+", "-"]);
/** Operations whose result changes if C computes them in a narrower or signed type. */
const WIDTH_SENSITIVE = new Set<string>(["~", "-", "+", "*", "<<"]);

type Word = 32 | 64;

/**
 * C99 text with `stdbool.h` booleans. Literals carry `U` (or `ULL`) so no operation is signed and
 * `1 << 31` is never undefined. Without `options.types`, the operands named by `naming` must
 * already be `unsigned int` or `uint64_t`: C promotes narrower unsigned types to signed `int`.
 */
export function emitC(e: Expr, naming: Naming, options: EmitCOptions = {}): string {
  return print(e, cHooks(naming, words(e, options.types))).text;
}

/** One statement per line, each ending in `;`. */
export function emitCEffects(stmts: readonly Stmt[], naming: Naming, options: EmitCOptions = {}): string {
  return stmts
    .map((s) => {
      if (s.k === "callstmt") return `${print(s.call, cHooks(naming, words(s.call, options.types))).text};`;
      const value = print(s.value, cHooks(naming, words(s.value, options.types, wordOf(s, options.types)))).text;
      if (naming.assign) {
        const full = s.op === "=" ? value : `${atom(naming.ref(s.target))} ${s.op[0]} ${value}`;
        return `${naming.assign(s.target, full)};`;
      }
      return `${naming.ref(s.target)} ${s.op} ${value};`;
    })
    .join("\n");
}

/** 64 when the node (an assignment: its target) holds more than 32 bits. */
function wordOf(n: Expr | Stmt, types: TypeMap | undefined): Word {
  const t = types?.get(n);
  return t?.t === "int" && t.width !== undefined && t.width > 32 ? 64 : 32;
}

interface Words {
  word: Map<Expr, Word>;
  types: TypeMap | undefined;
}

/**
 * The machine word each integer node is computed in: 64 when the node or any integer operation
 * enclosing it works on more than 32 bits. Comparisons and shift counts start afresh, since C
 * converts their operands to a common type without changing the values.
 */
function words(root: Expr, types: TypeMap | undefined, rootWord: Word = 32): Words {
  const word = new Map<Expr, Word>();
  const own = (n: Expr): Word => wordOf(n, types);
  const visit = (n: Expr, ctx: Word): void => {
    const w: Word = ctx === 64 ? 64 : own(n);
    word.set(n, w);
    switch (n.k) {
      case "num":
      case "bool":
      case "ref":
        return;
      case "call":
        for (const a of n.args) visit(a, own(a));
        return;
      case "unary":
        visit(n.arg, n.op === "!" ? 32 : w);
        return;
      case "cond":
        visit(n.test, 32);
        visit(n.then, w);
        visit(n.else, w);
        return;
      case "binary":
        if (n.op === "&&" || n.op === "||") {
          visit(n.left, 32);
          visit(n.right, 32);
        } else if (COMPARISON.has(n.op)) {
          const both: Word = own(n.left) === 64 || own(n.right) === 64 ? 64 : 32;
          visit(n.left, both);
          visit(n.right, both);
        } else if (n.op === "<<" || n.op === ">>") {
          visit(n.left, w);
          visit(n.right, own(n.right));
        } else {
          visit(n.left, w);
          visit(n.right, w);
        }
    }
  };
  visit(root, rootWord);
  return { word, types };
}

function cHooks(naming: Naming, w: Words): PrintHooks {
  const wordOf = (n: Expr): Word => w.word.get(n) ?? 32;
  /** Casts a named operand whose C type may be narrower than, or promote differently from, its word. */
  const widen = (n: Expr, text: string, parent: Expr | undefined): Printed => {
    const t = w.types?.get(n);
    const word = wordOf(n);
    const sensitive =
      parent !== undefined &&
      ((parent.k === "unary" && WIDTH_SENSITIVE.has(parent.op)) ||
        (parent.k === "binary" && WIDTH_SENSITIVE.has(parent.op) && !(parent.op === "<<" && parent.right === n)));
    if (t?.t === "int" && !t.signed && t.width !== word && sensitive) {
      return { text: `(uint${word}_t)${atom(text)}`, prec: UNARY_PREC };
    }
    return { text: atom(text), prec: ATOM_PREC };
  };
  return {
    num: (e, parent) => {
      let wide = e.value > 0xffffffffn || wordOf(e) === 64;
      if (parent?.k === "binary" && parent.op === "<<" && parent.left === e) {
        const count = parent.right;
        wide ||= count.k !== "num" || count.value >= 32n || e.value << count.value > 0xffffffffn;
      }
      return literalText(e.value) + (wide ? "ULL" : "U");
    },
    ref: (e, parent) => widen(e, naming.ref(e.path), parent),
    call: (e, args, parent) =>
      widen(e, naming.call ? naming.call(e.fn, args) : `${e.fn}(${args.join(", ")})`, parent),
    cond: cStyleCond,
    clarify: gccClarify,
  };
}

/** The cases `gcc -Wall` (-Wparentheses, -Wlogical-not-parentheses) asks to be parenthesized. */
function gccClarify(parent: BinaryOp, child: Expr, side: "left" | "right"): boolean {
  if (child.k === "unary" && child.op === "!" && side === "left" && COMPARISON.has(parent)) return true;
  if (child.k !== "binary") return false;
  const c = child.op;
  switch (parent) {
    case "||":
      return c === "&&";
    case "<<":
    case ">>":
      return ADDITIVE.has(c);
    case "|":
      return c === "&" || c === "^" || ADDITIVE.has(c) || COMPARISON.has(c);
    case "^":
      return c === "&" || ADDITIVE.has(c) || COMPARISON.has(c);
    case "&":
      return ADDITIVE.has(c) || COMPARISON.has(c);
    default:
      return COMPARISON.has(parent) && COMPARISON.has(c);
  }
}
