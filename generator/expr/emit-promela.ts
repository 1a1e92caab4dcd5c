import { type Expr, type Stmt, storedValue } from "./ast.ts";
import type { TypeMap } from "./check.ts";
import { atom, EmitError, literalText, type Naming } from "./emit-common.ts";
import { ATOM_PREC } from "./precedence.ts";
import { print, type PrintHooks } from "./printer.ts";
import { formatType } from "./types.ts";

export interface EmitPromelaOptions {
  /** Node types from `checkExpr`; with them, integers wider than 32 bits are refused. */
  types?: TypeMap;
}

/**
 * Promela for spin. Its operators and their precedence are C's, its conditional is always
 * written parenthesized as `(c -> a : b)`, literals are decimal, and its `int` is signed 32-bit:
 * literals above 2^31 - 1 are refused, and models should keep values below 2^31 (counters, bit sets, enums).
 */
export function emitPromela(e: Expr, naming: Naming, options: EmitPromelaOptions = {}): string {
  return print(e, promelaHooks(naming, options.types)).text;
}

/** One statement per line, each ending in `;` (Promela has no `+=`, so it is spelled out). */
export function emitPromelaEffects(stmts: readonly Stmt[], naming: Naming, options: EmitPromelaOptions = {}): string {
  const hooks = promelaHooks(naming, options.types);
  return stmts
    .map((s) => {
      if (s.k === "callstmt") return `${print(s.call, hooks).text};`;
      const value = storedValue(s);
      const text = print(value, hooks).text;
      return `${naming.assign ? naming.assign(s.target, text) : `${naming.ref(s.target)} = ${text}`};`;
    })
    .join("\n");
}

function promelaHooks(naming: Naming, types: TypeMap | undefined): PrintHooks {
  const checkWidth = (e: Expr): void => {
    const t = types?.get(e);
    if (t?.t === "int" && (t.width ?? 0) > 32) {
      throw new EmitError(`Promela integers have at most 32 bits, got ${formatType(t)}`, e.span);
    }
  };
  return {
    num: (e) => {
      if (e.value > 0x7fffffffn) {
        throw new EmitError(`integer literal ${literalText(e.value)} does not fit in a Promela int`, e.span);
      }
      // Decimal only: hexadecimal constants are not part of every spin release's lexer.
      return e.value.toString(10);
    },
    ref: (e) => {
      checkWidth(e);
      return { text: atom(naming.ref(e.path)), prec: ATOM_PREC };
    },
    call: (e, args) => {
      checkWidth(e);
      return { text: atom(naming.call ? naming.call(e.fn, args) : `${e.fn}(${args.join(", ")})`), prec: ATOM_PREC };
    },
    // Spin reads `->` as a statement separator unless the whole conditional is parenthesized.
    cond: (test, then, otherwise) => ({ text: `(${test.text} -> ${then.text} : ${otherwise.text})`, prec: ATOM_PREC }),
  };
}
