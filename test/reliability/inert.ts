/** Helpers of the injection tests: hostile text, spec rewriting and "what a compiler sees" scanners. */
import type { Json } from "../fuzz/arbitraries.ts";

/** Every fragment the issue lists, plus Mermaid/DOT/Markdown/C breakouts; used as every free text of a spec. */
export const HOSTILE = [
  "end */ export const pwned = 1; /* start",
  "template ${process.exit(1)} and `backtick` and \\` escaped",
  "quotes \" ' and \\\" and \\",
  "</script><script>alert(1)</script><img src=x onerror=alert(1)>",
  "{{constructor.constructor('alert(1)')()}} {{{raw}}} } {",
  "line one\nline two */ injected();\r\n// not a comment\u2028sep\u2029para",
  '--> "] ]) "]) |"| %% pwned\n  subgraph injected["x"]\n  A --> B',
  "Trojan \u202e source \u2066isolate\u2069 \u2067rtl\u2069 \u2068fsi\u2069 \u202a\u202b\u202c\u202d \u200e\u200f \u061c \ufeff bom",
  "NUL \u0000 and ESC \u001b[31m red",
  "#endif\n#define X 1\n#include </etc/passwd>",
  "*/ #error boom /*",
  "splice *\\\n/ trigraph ??/\n ??= after_splice(); ends with backslash \\",
  "\n\n# heading\n\n<script>alert(3)</script>\n\n| a | b |\n",
].join(" | ");

/** Payload words that must never be outside comments, strings or escaped text. */
export const PAYLOADS = ["pwned", "injected", "after_splice", "process.exit", "alert", "#define X", "passwd", "#error", "{{", "</script"];

export const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;
export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** Whitespace an expression may legally contain (JS `\s`), used to stress where expression text is shown. */
export const EXPR_SPACE = " \n\u2028\ufeff\r\n\t ";

/**
 * What a compiler sees outside comments and string/char literals (TS, C, Promela), by a one-pass
 * scan after C line splicing. Template literals are kept as code (spec text must never land in one).
 */
export function codeOnly(source: string): string {
  const text = source.replace(/\\\r?\n/g, "");
  let out = "";
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    if (two === "/*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else if (two === "//") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? text.length : end;
    } else if (text[i] === '"' || text[i] === "'") {
      const q = text[i]!;
      i++;
      while (i < text.length && text[i] !== q && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
      out += q + q;
    } else out += text[i++];
  }
  return out;
}

const EXPR_KEYS = new Set(["guard", "effects", "expr", "value", "if", "when", "available", "bug_if", "shift", "entries"]);

/**
 * A copy of a spec with every doc, source and lock description replaced by `text`; with `exprSpace`,
 * the spaces inside expression strings become `exprSpace` (still valid expressions).
 */
export function hostilize(spec: Json, text: string, exprSpace?: string): Json {
  const walk = (v: Json, path: string[]): Json => {
    const key = path[path.length - 1] ?? "";
    if (typeof v === "string") {
      if (key === "doc" || (key === "source" && path.length === 1) || (path.length === 2 && path[0] === "locks")) return text;
      if (exprSpace && EXPR_KEYS.has(key) && v.includes(" ")) return v.replace(/ /g, exprSpace);
      return v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, path));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...path, k])]));
    return v;
  };
  return walk(spec, []);
}
