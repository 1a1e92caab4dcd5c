import { parse, type AnyNode, type DocumentNode } from "@humanwhocodes/momoa";
import { childPointer, Diagnostics, type Loc } from "../diagnostics.ts";
import { lazyLocator, locator, type Position, type SpecSource } from "./source.ts";

/**
 * Parses one spec file with positions. Line and block comments are allowed, as in tsconfig.json;
 * trailing commas are not. Duplicate keys and integers that JSON numbers cannot
 * carry exactly are errors here, because after this stage the text is gone.
 */
export function parseSpec(file: string, rel: string, text: string, d: Diagnostics): SpecSource | undefined {
  const fast = parseWellFormed(text);
  if (fast) return { file, rel, text, json: fast.json, ...lazyLocator(file, () => positionsOf(file, text)) };
  return parseWithPositions(file, rel, text, d);
}

/**
 * A spec handed over as a value (an importer's output) rather than text: the same source
 * `parseSpec` makes of `toText()`, without printing and reading it back. The text and the
 * positions are made only when something reads them (a diagnostic, an overlay's text). A value
 * holding an integer a double cannot carry exactly goes through the text, which reports it as
 * it always did. The value must be what JSON.parse would give back for its text (plain objects,
 * arrays, strings, finite numbers, booleans, null; no undefined members).
 */
export function specFromValue(file: string, rel: string, json: Record<string, unknown>, toText: () => string, d: Diagnostics): SpecSource | undefined {
  if (countMembers(json) < 0) return parseSpec(file, rel, toText(), d);
  let text: string | undefined;
  const textOf = () => (text ??= toText());
  return {
    file,
    rel,
    get text() {
      return textOf();
    },
    json,
    ...lazyLocator(file, () => positionsOf(file, textOf())),
  };
}

/**
 * The common case, a spec that is plain JSON without duplicate keys or inexact integers, read by
 * the engine's JSON.parse: positions are only needed for diagnostics, so they are found by the
 * positional parser below when a location is first read, not for every node of every file. Any
 * text this cannot vouch for (comments, syntax errors, duplicates, big integers) goes through the
 * positional parser at once, which reports it exactly as before.
 */
function parseWellFormed(text: string): { json: unknown } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  stringColons = 0;
  const members = countMembers(json);
  // JSON.parse keeps the last of duplicate keys silently: every member has exactly one ':' outside
  // strings, so fewer members than such colons means a key was repeated. Without escapes of the
  // form \uXXXX, the colons inside strings are those of the parsed keys and strings, so the text's
  // colons less those are the ones outside, found without scanning the text for strings.
  if (members < 0) return undefined;
  const outside = text.includes("\\u") ? colonsOutsideStrings(text) : colonsIn(text) - stringColons;
  return members === outside ? { json } : undefined;
}

/** Colons in the keys and strings `countMembers` walked since it was last reset. */
let stringColons = 0;

const colonsIn = (s: string) => {
  let n = 0;
  for (let at = s.indexOf(":"); at >= 0; at = s.indexOf(":", at + 1)) n++;
  return n;
};

/**
 * Members of every object in `v`, or -1 if it holds an integer a double cannot carry exactly;
 * adds the colons of its keys and strings to `stringColons` on the way.
 */
function countMembers(v: unknown): number {
  if (typeof v === "string") {
    if (v.includes(":")) stringColons += colonsIn(v);
    return 0;
  }
  if (typeof v === "number") return Number.isInteger(v) && !Number.isSafeInteger(v) ? -1 : 0;
  if (!v || typeof v !== "object") return 0;
  let n = 0;
  if (Array.isArray(v)) {
    for (const x of v) {
      const m = countMembers(x);
      if (m < 0) return -1;
      n += m;
    }
    return n;
  }
  for (const k in v) {
    if (k.includes(":")) stringColons += colonsIn(k);
    const m = countMembers((v as Record<string, unknown>)[k]);
    if (m < 0) return -1;
    n += m + 1;
  }
  return n;
}

/**
 * Colons outside strings, found with indexOf (which scans far faster than a loop over char codes:
 * every spec of a tree is read this way on each run, cached or not).
 */
function colonsOutsideStrings(text: string): number {
  let n = 0;
  let colon = text.indexOf(":");
  for (let at = 0; ; ) {
    const open = text.indexOf('"', at);
    const end = open < 0 ? text.length : open;
    while (colon >= 0 && colon < end) (n++, (colon = text.indexOf(":", colon + 1)));
    if (open < 0) return n;
    // JSON.parse accepted the text, so the string ends: at the first quote after an even run of backslashes.
    let close = text.indexOf('"', open + 1);
    for (;;) {
      let slash = close - 1;
      while (text.charCodeAt(slash) === 92) slash--;
      if ((close - 1 - slash) % 2 === 0) break;
      close = text.indexOf('"', close + 1);
    }
    at = close + 1;
    if (colon >= 0 && colon < at) colon = text.indexOf(":", at);
  }
}

/** Positions of every value and key of a text JSON.parse accepted (so the positional parse cannot fail on it). */
function positionsOf(file: string, text: string): { values: Map<string, Position>; keys: Map<string, Position> } {
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const doc = parse(text, { mode: "jsonc", ranges: true });
  toValue(doc.body, "", { file, text, values, keys, d: new Diagnostics() });
  return { values, keys };
}

/** Parses with every position recorded up front; the path for any text `parseSpec` cannot read with JSON.parse, exported for the test that compares both. */
export function parseWithPositions(file: string, rel: string, text: string, d: Diagnostics): SpecSource | undefined {
  let doc: DocumentNode;
  try {
    doc = parse(text, { mode: "jsonc", ranges: true });
  } catch (e) {
    const err = e as { message?: string; line?: number; column?: number };
    const message = String(err.message ?? e).replace(/\s*\(\d+:\d+\)\s*$/, "");
    const truncated = /end of input/i.test(message) || text.trim() === "";
    // momoa reports end-of-input at 1:1; the useful place is where the text stops.
    const { line, col } = truncated
      ? endOf(text)
      : { line: err.line ?? 1, col: err.column ?? 1 };
    d.error({ file, line, col, pointer: "" }, `invalid JSON: ${describeSyntax(message, text)}`);
    return undefined;
  }
  const values = new Map<string, Position>();
  const keys = new Map<string, Position>();
  const before = d.count;
  const json = toValue(doc.body, "", { file, text, values, keys, d });
  if (d.count > before) return undefined;
  return { file, rel, text, json, ...locator(file, values, keys) };
}

function endOf(text: string): Position {
  const lines = text.replace(/\s+$/, "").split("\n");
  return { line: lines.length, col: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

function describeSyntax(message: string, text: string): string {
  if (/end of input|Unexpected end/i.test(message) || text.trim() === "") return "unexpected end of file (truncated?)";
  const token = /Unexpected token (\w+) found/.exec(message);
  if (token) {
    const what = TOKENS[token[1]!] ?? token[1]!.toLowerCase();
    return `unexpected ${what}${what === "string" || what === "number" || what === "{" || what === "[" ? ' (missing "," before it?)' : ""}`;
  }
  return message.replace(/\.$/, "");
}

const TOKENS: Record<string, string> = {
  String: "string",
  Number: "number",
  Comma: '","',
  Colon: '":"',
  LBrace: "{",
  RBrace: '"}" (trailing comma?)',
  LBracket: "[",
  RBracket: '"]" (trailing comma?)',
  Boolean: "literal",
  Null: "null",
};

interface Ctx {
  file: string;
  text: string;
  values: Map<string, Position>;
  keys: Map<string, Position>;
  d: Diagnostics;
}

function pos(node: AnyNode): Position {
  const start = node.loc!.start;
  return { line: start.line, col: start.column };
}

function toValue(node: AnyNode, pointer: string, c: Ctx): unknown {
  c.values.set(pointer, pos(node));
  switch (node.type) {
    case "Object": {
      const out: Record<string, unknown> = Object.create(null);
      const seen = new Map<string, Position>();
      for (const m of node.members) {
        const key = m.name.type === "String" ? m.name.value : m.name.name;
        const ptr = childPointer(pointer, key);
        const first = seen.get(key);
        if (first) {
          const loc: Loc = { file: c.file, ...pos(m.name), pointer: ptr };
          c.d.error(loc, `duplicate key "${key}" (first defined at line ${first.line}, column ${first.col})`);
          continue;
        }
        seen.set(key, pos(m.name));
        c.keys.set(ptr, pos(m.name));
        out[key] = toValue(m.value, ptr, c);
      }
      // A null-prototype object keeps "__proto__" an ordinary key; hand later stages a normal one.
      return Object.fromEntries(Object.entries(out));
    }
    case "Array":
      return node.elements.map((el, i) => toValue(el.value, childPointer(pointer, i), c));
    case "String":
      return node.value;
    case "Number": {
      const raw = c.text.slice(node.range![0], node.range![1]);
      // Any integer-valued number a double cannot hold exactly (1e30, 18446744073709551615) would
      // reach later stages rounded; only exact text is trusted.
      if (Number.isInteger(node.value) && !Number.isSafeInteger(node.value)) {
        const exact = /^-?\d+$/.test(raw) ? BigInt(raw) : undefined;
        const hint = exact !== undefined && exact >= 0n ? `"0x${exact.toString(16)}"` : `a hex string like "0x..."`;
        c.d.error({ file: c.file, ...pos(node), pointer }, `integer ${raw} is too large for a JSON number; write it as ${hint}`);
      }
      return node.value;
    }
    case "Boolean":
      return node.value;
    case "Null":
      return null;
    default:
      c.d.error({ file: c.file, ...pos(node), pointer }, `unexpected ${node.type}`);
      return undefined;
  }
}
