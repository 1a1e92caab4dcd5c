import { storedValue, type BinaryOp, type Expr, type Stmt } from "./ast.ts";
import { exprWord, type TypeMap } from "./check.ts";
import { atom, literalText, type Naming } from "./emit-common.ts";
import { ATOM_PREC, BINARY_PREC, UNARY_PREC, paren } from "./precedence.ts";
import { cStyleCond } from "./printer.ts";

export interface EmitCOptions {
  /**
   * Node types from `checkExpr`/`checkEffects`. With them the expression is computed in its word
   * (see `exprWord`): literals of a 64-bit expression are `ULL`, and an operand of `~ - + * <<`
   * whose C type may be narrower than the word, or promote to signed `int`, is cast to
   * `uint32_t`/`uint64_t` (stdint.h).
   */
  types?: TypeMap;
}

const COMPARISON = new Set<string>(["==", "!=", "<", "<=", ">", ">="]);
const ADDITIVE = new Set<string>(["+", "-"]);

/**
 * The C type an emitted operand has after the usual promotions: `int` (a narrow field, a bool,
 * an unsized constant — never negative, since only the casts below make values wrap), or an
 * unsigned type of 32 or 64 bits.
 */
type CType = "int" | 32 | 64;

interface C {
  text: string;
  prec: number;
  ct: CType;
}

/**
 * C99 text with `stdbool.h` booleans. Literals carry `U` or `ULL`, so no operation is signed.
 * Without `options.types`, the operands named by `naming` must already be of the word's type
 * (`unsigned int` or `uint64_t`).
 */
export function emitC(e: Expr, naming: Naming, options: EmitCOptions = {}): string {
  return new CEmitter(naming, options.types, exprWord(e, options.types)).emit(e).text;
}

/** One statement per line, each ending in `;`, each computed in its own word. */
export function emitCEffects(stmts: readonly Stmt[], naming: Naming, options: EmitCOptions = {}): string {
  return stmts
    .map((s) => {
      const em = new CEmitter(naming, options.types, exprWord(s, options.types));
      if (s.k === "callstmt") return `${em.emit(s.call).text};`;
      if (!naming.assign) return `${naming.ref(s.target)} ${s.op} ${em.emit(s.value).text};`;
      // A setter takes the new value, so `x -= v` is spelled out as `x - v`.
      return `${naming.assign(s.target, em.emit(storedValue(s)).text)};`;
    })
    .join("\n");
}

class CEmitter {
  constructor(
    private readonly naming: Naming,
    private readonly types: TypeMap | undefined,
    private readonly word: 32 | 64,
  ) {}

  /** Where C would compute in fewer bits or in signed `int`, compute in the word instead. */
  private widen(v: C): C {
    if (v.ct === this.word) return v;
    return { text: `(uint${this.word}_t)${paren(v.text, v.prec, UNARY_PREC)}`, prec: UNARY_PREC, ct: this.word };
  }

  /** The C type of a named value: its checked width after promotion, or the word when unknown. */
  private named(e: Expr, text: string): C {
    const t = this.types?.get(e);
    let ct: CType = this.word;
    if (t !== undefined) {
      if (t.t !== "int" || t.width === undefined || t.width < 32 || t.signed) ct = "int";
      else ct = t.width === 32 ? 32 : 64;
    }
    return { text: atom(text), prec: ATOM_PREC, ct };
  }

  emit(e: Expr): C {
    switch (e.k) {
      case "num":
        return { text: literalText(e.value) + (this.word === 64 ? "ULL" : "U"), prec: ATOM_PREC, ct: this.word };
      case "bool":
        return { text: e.value ? "true" : "false", prec: ATOM_PREC, ct: "int" };
      case "ref":
        return this.named(e, this.naming.ref(e.path));
      case "call": {
        const args = e.args.map((a) => this.emit(a).text);
        return this.named(e, this.naming.call ? this.naming.call(e.fn, args) : `${e.fn}(${args.join(", ")})`);
      }
      case "unary": {
        if (e.op === "!") {
          const arg = this.emit(e.arg);
          return { text: `!${paren(arg.text, arg.prec, UNARY_PREC)}`, prec: UNARY_PREC, ct: "int" };
        }
        const arg = this.widen(this.emit(e.arg));
        const text = paren(arg.text, arg.prec, UNARY_PREC);
        // `- -x` must not become the decrement operator.
        const sep = e.op === "-" && text.startsWith("-") ? " " : "";
        return { text: `${e.op}${sep}${text}`, prec: UNARY_PREC, ct: this.word };
      }
      case "cond": {
        const then = this.emit(e.then);
        const otherwise = this.emit(e.else);
        return { ...cStyleCond(this.emit(e.test), then, otherwise), ct: wider(then.ct, otherwise.ct) };
      }
      case "binary":
        return this.binary(e.op, e.left, e.right);
    }
  }

  private binary(op: BinaryOp, left: Expr, right: Expr): C {
    let l = this.emit(left);
    let r = this.emit(right);
    let ct: CType;
    if (op === "+" || op === "-" || op === "*") {
      l = this.widen(l);
      r = this.widen(r);
      ct = this.word;
    } else if (op === "<<") {
      l = this.widen(l);
      ct = this.word;
    } else if (op === ">>") {
      ct = l.ct;
    } else if (op === "&" || op === "|" || op === "^" || op === "/" || op === "%") {
      ct = wider(l.ct, r.ct);
    } else {
      ct = "int";
    }
    const prec = BINARY_PREC[op];
    const lt = gccClarify(op, left, "left") ? `(${l.text})` : paren(l.text, l.prec, prec);
    const rt = gccClarify(op, right, "right") ? `(${r.text})` : paren(r.text, r.prec, prec + 1);
    return { text: `${lt} ${op} ${rt}`, prec, ct };
  }
}

function wider(a: CType, b: CType): CType {
  if (a === 64 || b === 64) return 64;
  return a === 32 || b === 32 ? 32 : "int";
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
