import { type BinaryExpr, type Expr, type Stmt, storedValue } from "./ast.ts";
import type { TypeMap } from "./check.ts";
import { atom, EmitError, literalText, type Naming } from "./emit-common.ts";
import { ATOM_PREC, BINARY_PREC, UNARY_PREC, paren } from "./precedence.ts";
import { cStyleCond } from "./printer.ts";
import { formatType } from "./types.ts";

export interface EmitTsOptions {
  /** Node types from `checkExpr`; with them, integers wider than 32 bits or signed are refused. */
  types?: TypeMap;
}

/**
 * A JavaScript number standing for a u32. `canonical` means it already is in [0, 2^32);
 * otherwise it is an exact integer of magnitude below 2^bits whose value modulo 2^32 is right,
 * which bitwise operators, shifts and Math.imul accept as is. `>>> 0` is added only where a
 * consumer needs the canonical value (comparisons, division, calls, the final result).
 */
interface Js {
  text: string;
  prec: number;
  canonical: boolean;
  bits: number;
}

const SHIFT_PREC = BINARY_PREC[">>"];
// JavaScript numbers are exact integers below 2^53.
const EXACT_BITS = 53;

/**
 * TypeScript for the language's unsigned 32-bit modular integers on plain numbers. References
 * and call results are assumed to be booleans or u32 numbers in [0, 2^32).
 */
export function emitTs(e: Expr, naming: Naming, options: EmitTsOptions = {}): string {
  const em = new TsEmitter(naming, options.types);
  return em.canon(em.emit(e)).text;
}

/** One statement per line, each ending in `;`; `+=` and `-=` become wrapped assignments. */
export function emitTsEffects(stmts: readonly Stmt[], naming: Naming, options: EmitTsOptions = {}): string {
  const em = new TsEmitter(naming, options.types);
  return stmts
    .map((s) => {
      if (s.k === "callstmt") return `${em.emit(s.call).text};`;
      const value = storedValue(s);
      const text = em.canon(em.emit(value)).text;
      return `${naming.assign ? naming.assign(s.target, text) : `${naming.ref(s.target)} = ${text}`};`;
    })
    .join("\n");
}

class TsEmitter {
  constructor(
    private readonly naming: Naming,
    private readonly types: TypeMap | undefined,
  ) {}

  canon(v: Js): Js {
    if (v.canonical) return v;
    return { text: `${paren(v.text, v.prec, SHIFT_PREC)} >>> 0`, prec: SHIFT_PREC, canonical: true, bits: 32 };
  }

  emit(e: Expr): Js {
    const t = this.types?.get(e);
    if (t?.t === "int" && ((t.width ?? 0) > 32 || t.signed)) {
      throw new EmitError(
        `the TypeScript emitter supports unsigned integers of up to 32 bits, got ${formatType(t)}`,
        e.span,
      );
    }
    switch (e.k) {
      case "num":
        if (e.value > 0xffffffffn) {
          throw new EmitError(`integer literal ${literalText(e.value)} does not fit in 32 bits`, e.span);
        }
        return atomic(literalText(e.value));
      case "bool":
        return atomic(e.value ? "true" : "false");
      case "ref":
        return atomic(atom(this.naming.ref(e.path)));
      case "call": {
        const args = e.args.map((a) => this.canon(this.emit(a)).text);
        return atomic(atom(this.naming.call ? this.naming.call(e.fn, args) : `${e.fn}(${args.join(", ")})`));
      }
      case "unary": {
        const arg = this.emit(e.arg);
        const text = paren(arg.text, arg.prec, UNARY_PREC);
        if (e.op === "!") return { text: `!${text}`, prec: UNARY_PREC, canonical: true, bits: 32 };
        if (e.op === "~") return { text: `~${text}`, prec: UNARY_PREC, canonical: false, bits: 32 };
        const sep = text.startsWith("-") ? " " : "";
        return { text: `-${sep}${text}`, prec: UNARY_PREC, canonical: false, bits: arg.bits };
      }
      case "cond": {
        const test = this.emit(e.test);
        const a = this.emit(e.then);
        const b = this.emit(e.else);
        const c = cStyleCond(test, a, b);
        return { ...c, canonical: a.canonical && b.canonical, bits: Math.max(a.bits, b.bits) };
      }
      case "binary":
        return this.binary(e);
    }
  }

  private binary(e: BinaryExpr): Js {
    let l = this.emit(e.left);
    let r = this.emit(e.right);
    const op = e.op;
    switch (op) {
      case "&&":
      case "||":
        return infix(l, op, r, true, 32);
      case "==":
      case "!=":
        return infix(this.canon(l), op === "==" ? "===" : "!==", this.canon(r), true, 32);
      case "<":
      case "<=":
      case ">":
      case ">=":
      case "%":
        return infix(this.canon(l), op, this.canon(r), true, 32);
      case "/": {
        const q = infix(this.canon(l), "/", this.canon(r), false, 32);
        return this.canon(q);
      }
      case "*":
        return { text: `Math.imul(${l.text}, ${r.text})`, prec: ATOM_PREC, canonical: false, bits: 32 };
      case "&":
      case "|":
      case "^":
      case "<<":
        return infix(l, op, r, false, 32);
      case ">>":
        return infix(l, ">>>", r, true, 32);
      case "+":
      case "-":
        // Keep sums lazy while they stay exact; wrap the operands once they could stop being so.
        if (Math.max(l.bits, r.bits) + 1 > EXACT_BITS) {
          l = this.canon(l);
          r = this.canon(r);
        }
        return infix(l, op, r, false, Math.max(l.bits, r.bits) + 1);
    }
  }
}

function atomic(text: string): Js {
  return { text, prec: ATOM_PREC, canonical: true, bits: 32 };
}

/** Left-associative infix at the precedence of `op` (JavaScript's table matches the language's). */
function infix(l: Js, op: string, r: Js, canonical: boolean, bits: number): Js {
  const prec =
    op === "===" || op === "!==" ? BINARY_PREC["=="] : op === ">>>" ? SHIFT_PREC : BINARY_PREC[op as BinaryExpr["op"]];
  return {
    text: `${paren(l.text, l.prec, prec)} ${op} ${paren(r.text, r.prec, prec + 1)}`,
    prec,
    canonical,
    bits,
  };
}
