/**
 * Declaration scanner: enough C to list the members of one union/struct, never a full parser.
 * gcc, not this scanner, decides where bits live: the scanner only lists member names.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ScannedMember } from "./types.ts";

/** Header text without comments, preprocessor lines, string literals or attributes. */
export function stripC(text: string): string {
  let s = text.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, " ");
  s = s.replace(/^[ \t]*#(?:[^\n]*\\\n)*[^\n]*/gm, " ");
  s = s.replace(/"(?:[^"\\\n]|\\.)*"/g, '""');
  return removeAttributes(s);
}

/** Removes `__attribute__((...))`, `__extension__` and `alignas(...)`-like noise with balanced parens. */
function removeAttributes(s: string): string {
  let out = s.replace(/\b__extension__\b/g, " ");
  for (;;) {
    const m = /\b(__attribute__|_Alignas|alignas|__declspec)\s*\(/.exec(out);
    if (!m) return out;
    const open = m.index + m[0].length - 1;
    const close = matching(out, open, "(", ")");
    if (close < 0) return out;
    out = out.slice(0, m.index) + " " + out.slice(close + 1);
  }
}

/**
 * The header's declarations followed by those of the headers it includes with quotes (found next to
 * it), so `union foo name;` can name a union defined in an included header.
 */
export function headerText(path: string, seen = new Set<string>()): string {
  if (seen.has(path) || seen.size > 32) return "";
  seen.add(path);
  const raw = readFileSync(path, "utf8");
  const parts = [stripC(raw)];
  for (const m of raw.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm)) {
    const inc = resolve(dirname(path), m[1]!);
    if (existsSync(inc)) parts.push(headerText(inc, seen));
  }
  return parts.join("\n");
}

/** Index of the bracket closing the one at `open`, or -1. */
function matching(s: string, open: number, o: string, c: string): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === o) depth++;
    else if (s[i] === c && --depth === 0) return i;
  }
  return -1;
}

interface Aggregate {
  kind: "union" | "struct";
  body: string;
}

/**
 * Body of `union NAME {...}` / `struct NAME {...}`, or of a typedef named NAME. `type` may say
 * `union foo`, `struct foo` or just `foo`.
 */
export function findAggregate(text: string, type: string): Aggregate | undefined {
  const m = /^\s*(?:(union|struct)\s+)?([A-Za-z_]\w*)\s*$/.exec(type);
  if (!m) return undefined;
  const kinds = m[1] ? [m[1] as "union" | "struct"] : (["union", "struct"] as const);
  for (const kind of kinds) {
    const re = new RegExp(`\\b${kind}\\s+${m[2]}\\s*\\{`, "g");
    const hit = re.exec(text);
    if (hit) {
      const open = hit.index + hit[0].length - 1;
      const close = matching(text, open, "{", "}");
      if (close > 0) return { kind, body: text.slice(open + 1, close) };
    }
  }
  if (m[1]) return undefined;
  // typedef union [tag] { ... } NAME;
  const re = /\btypedef\s+(union|struct)\b[^{;]*\{/g;
  for (let hit = re.exec(text); hit; hit = re.exec(text)) {
    const open = hit.index + hit[0].length - 1;
    const close = matching(text, open, "{", "}");
    if (close < 0) continue;
    const after = /^\s*([A-Za-z_]\w*)\s*[;,]/.exec(text.slice(close + 1));
    if (after?.[1] === m[2]) return { kind: hit[1] as "union" | "struct", body: text.slice(open + 1, close) };
  }
  return undefined;
}

/** Top-level `;`-separated declarations of a body (braces kept inside their declaration). */
export function declarations(body: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === "{" || ch === "(" || ch === "[") depth++;
    else if (ch === "}" || ch === ")" || ch === "]") depth--;
    else if (ch === ";" && depth === 0) {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  const rest = body.slice(start).trim();
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

/** Splits `a:1, b:2` at top-level commas. */
function declarators(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    else if (ch === "," && depth === 0) (out.push(text.slice(start, i)), (start = i + 1));
  }
  out.push(text.slice(start));
  return out.map((d) => d.trim());
}

/**
 * Members of an aggregate body, depth first: anonymous structs/unions are flattened, named nested
 * aggregates (inline or `union foo name;` found in the same header) are followed, and a nested
 * union with a `raw` member is also a member itself (read through `.raw`). Unnamed bit-fields and
 * arrays are skipped; the top level's own `raw` is the probe's handle, not a field.
 */
export function scanMembers(text: string, body: string, prefix: string[] = [], access: string[] = [], depth = 0): ScannedMember[] {
  if (depth > 8) return [];
  const out: ScannedMember[] = [];
  for (const decl of declarations(body)) {
    const inline = /^(?:(?:const|volatile)\s+)*(union|struct)\s*([A-Za-z_]\w*)?\s*\{/.exec(decl);
    if (inline) {
      const open = inline[0].length - 1;
      const close = matching(decl, open, "{", "}");
      if (close < 0) continue;
      const inner = decl.slice(open + 1, close);
      const names = declarators(decl.slice(close + 1)).filter(Boolean);
      if (!names.length) out.push(...scanMembers(text, inner, prefix, access, depth + 1));
      for (const n of names) {
        const id = /^([A-Za-z_]\w*)$/.exec(n)?.[1];
        if (id) out.push(...nested(text, inner, [...prefix, id], [...access, id], depth));
      }
      continue;
    }
    const tagged = /^(?:(?:const|volatile)\s+)*(union|struct)\s+([A-Za-z_]\w*)\s+(.+)$/s.exec(decl);
    if (tagged) {
      const agg = findAggregate(text, `${tagged[1]} ${tagged[2]}`);
      for (const n of declarators(tagged[3]!)) {
        const id = /^([A-Za-z_]\w*)$/.exec(n)?.[1];
        if (id && agg) out.push(...nested(text, agg.body, [...prefix, id], [...access, id], depth));
      }
      continue;
    }
    // A plain declaration: type words, then declarators `name`, `name:bits`, `:bits`, `name[N]`.
    const first = declaratorStart(decl);
    if (first < 0) continue;
    for (const d of declarators(decl.slice(first))) {
      const m = /^([A-Za-z_]\w*)\s*(?::\s*(.+))?$/s.exec(d);
      if (!m) continue; // unnamed bit-field, array, pointer or function: not a field
      const id = m[1]!;
      if (depth === 0 && prefix.length === 0 && id === "raw") continue;
      out.push({ path: [...prefix, id].join("."), access: [...access, id].join(".") });
    }
  }
  return out;
}

/** Where the declarators of a plain declaration start: after the last type word before the first name. */
function declaratorStart(decl: string): number {
  // The declarators begin at the last identifier before the first ':', ',', '[' or end that is not a type word.
  const head = /^[^:,[]*/.exec(decl)![0];
  const words = [...head.matchAll(/[A-Za-z_]\w*/g)];
  if (!words.length) return -1;
  const typeOnly = /^(?:(?:const|volatile|signed|unsigned|short|long|int|char|_Bool|bool)\s*)+$/;
  if (typeOnly.test(head.trim()) || words.length === 1) {
    // Nothing but type words: an unnamed bit-field such as `uint32_t :3` or `unsigned int :2`.
    return decl.indexOf(":") >= 0 ? decl.indexOf(":") : -1;
  }
  return words[words.length - 1]!.index!;
}

function nested(text: string, body: string, prefix: string[], access: string[], depth: number): ScannedMember[] {
  const inner = scanMembers(text, body, prefix, access, depth + 1);
  const hasRaw = declarations(body).some((d) => /\braw\s*(?:;|$)/.test(d) && !/\[/.test(d));
  const self = hasRaw ? [{ path: prefix.join("."), access: [...access, "raw"].join(".") }] : [];
  return [...self, ...inner.filter((m) => m.path !== `${prefix.join(".")}.raw`)];
}

/**
 * Whether the header (or a header it includes with quotes) defines `name` as a function-like
 * macro (`#define GICD_ISENABLER(n) ...`) or an object-like one; undefined when it does not.
 * Only the kind is read from the text: gcc computes the value.
 */
export function macroKind(path: string, name: string, seen = new Set<string>()): "function" | "object" | undefined {
  if (seen.has(path) || seen.size > 32) return undefined;
  seen.add(path);
  const raw = readFileSync(path, "utf8");
  // A `(` right after the name makes a function-like macro; after a blank it starts the body.
  const m = new RegExp(`^[ \\t]*#[ \\t]*define[ \\t]+${name}(\\(|[ \\t]|$)`, "m").exec(raw.replace(/\/\*[\s\S]*?\*\//g, " "));
  if (m) return m[1] === "(" ? "function" : "object";
  for (const inc of raw.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\n]+)"/gm)) {
    const p = resolve(dirname(path), inc[1]!);
    if (existsSync(p)) {
      const k = macroKind(p, name, seen);
      if (k) return k;
    }
  }
  return undefined;
}
