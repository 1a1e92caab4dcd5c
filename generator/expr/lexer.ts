/**
 * Turns expression text into tokens on demand, so that the first error in reading order wins
 * whether it is a bad character or a bad construct.
 */

export type TokenKind = "num" | "ident" | "op" | "eof";

export interface Token {
  kind: TokenKind;
  text: string;
  start: number;
  end: number;
  /** Set for `num` tokens. */
  value?: bigint;
}

/** Internal: raised by the lexer and parser, turned into a result by the public entry points. */
export class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

// Longest first so that `<<` is never read as two `<`.
const OPERATORS = "|| && == != <= >= << >> += -= ? : | ^ & < > + - * / % ! ~ ( ) , . = ;".split(" ");

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

export class Lexer {
  private pos = 0;
  private peeked: Token | undefined;

  constructor(private readonly text: string) {}

  peek(): Token {
    this.peeked ??= this.read();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = undefined;
    return t;
  }

  private read(): Token {
    const s = this.text;
    while (this.pos < s.length && /\s/.test(s[this.pos]!)) this.pos++;
    const start = this.pos;
    if (start >= s.length) return { kind: "eof", text: "", start, end: start };
    const c = s[start]!;
    if (DIGIT.test(c)) return this.readNumber();
    if (IDENT_START.test(c)) {
      let end = start + 1;
      while (end < s.length && IDENT_PART.test(s[end]!)) end++;
      this.pos = end;
      return { kind: "ident", text: s.slice(start, end), start, end };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.pos = start + op.length;
        return { kind: "op", text: op, start, end: this.pos };
      }
    }
    const ch = String.fromCodePoint(s.codePointAt(start)!);
    const shown = /[\x20-\x7e]/.test(ch) || ch.codePointAt(0)! > 0x9f ? ch : JSON.stringify(ch).slice(1, -1);
    throw new SyntaxFailure(`unexpected character '${shown}'`, start);
  }

  private readNumber(): Token {
    const s = this.text;
    const start = this.pos;
    let end = start;
    // Read the whole alphanumeric run so `0x1g` or `12abc` is one bad literal, not two tokens.
    while (end < s.length && IDENT_PART.test(s[end]!)) end++;
    const raw = s.slice(start, end);
    let base: 16 | 2 | 10 = 10;
    let digitsFrom = 0;
    if (/^0[xX]/.test(raw)) {
      base = 16;
      digitsFrom = 2;
    } else if (/^0[bB]/.test(raw)) {
      base = 2;
      digitsFrom = 2;
    }
    const valid = base === 16 ? /[0-9a-fA-F]/ : base === 2 ? /[01]/ : DIGIT;
    const baseName = base === 16 ? "hexadecimal" : base === 2 ? "binary" : "decimal";
    const digits = raw.slice(digitsFrom);
    if (digits.length === 0 || digits === "_".repeat(digits.length)) {
      throw new SyntaxFailure(`${baseName} literal has no digits`, start);
    }
    for (let i = 0; i < digits.length; i++) {
      const d = digits[i]!;
      const at = start + digitsFrom + i;
      if (d === "_") {
        const prev = digits[i - 1];
        const nxt = digits[i + 1];
        if (prev === undefined || prev === "_" || nxt === undefined || nxt === "_") {
          throw new SyntaxFailure("'_' must sit between two digits", at);
        }
      } else if (!valid.test(d)) {
        throw new SyntaxFailure(`invalid digit '${d}' in ${baseName} literal`, at);
      }
    }
    const clean = digits.replace(/_/g, "");
    if (base === 10 && clean.length > 1 && clean[0] === "0") {
      // C would read 010 as octal; refusing it avoids a silent change of meaning.
      throw new SyntaxFailure("leading zeros are not allowed (octal literals are not supported)", start);
    }
    if (s[end] === "." && DIGIT.test(s[end + 1] ?? "")) {
      throw new SyntaxFailure("fractional numbers are not supported", start);
    }
    const value = BigInt(base === 16 ? `0x${clean}` : base === 2 ? `0b${clean}` : clean);
    this.pos = end;
    return { kind: "num", text: raw, start, end, value };
  }
}
