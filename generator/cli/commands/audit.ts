/**
 * `hwspec audit <name> --c-header <file> --c-type <type>`: checks a hand-written C header against a
 * spec. A small declaration scanner finds the member names of the union or struct; gcc then tells
 * where each member really lives: a probe program sets one bit of `raw` at a time and reads every
 * member. Nothing about bit positions is guessed from the text.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fieldEntries } from "../../inspect/decode.ts";
import { findShape } from "../../inspect/names.ts";
import { formatBits } from "../../resolve/values.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export interface AuditOptions extends ProjectOptions {
  cHeader: string;
  cType: string;
  json?: boolean;
}

/** A member the scanner found: its dotted name (as the spec would say it) and the C access path. */
export interface ScannedMember {
  path: string;
  access: string;
}

export interface Position {
  lsb: number;
  width: number;
}

export interface Finding {
  kind: "missing" | "extra" | "moved" | "resized" | "renamed" | "scattered";
  path: string;
  spec?: Position;
  header?: Position & { path: string };
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Declaration scanner: enough C to list the members of one union/struct, never a full parser.

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
function declarations(body: string): string[] {
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

// ---------------------------------------------------------------------------------------------
// Probe: gcc compiles the user's header and reports where each member's bits live.

export type ProbeResult = { ok: true; positions: Map<string, Position | "scattered" | "none"> } | { ok: false; message: string };

export function probeProgram(header: string, ctype: string, members: ScannedMember[]): string {
  const L = [
    "#include <stdint.h>",
    "#include <stdio.h>",
    "#include <string.h>",
    `#include ${JSON.stringify(header)}`,
    `typedef ${ctype} hwspec_probe_t;`,
    "",
  ];
  members.forEach((m, k) => L.push(`static uint64_t hwspec_read_${k}(const hwspec_probe_t *u) { return (uint64_t)u->${m.access}; }`));
  L.push("", "int main(void)", "{", "    hwspec_probe_t u;", "    unsigned i, bits = (unsigned)(sizeof u.raw * 8);");
  L.push('    printf("bits %u\\n", bits);', "    if (bits > 64) return 3;");
  members.forEach((_, k) => {
    L.push("    for (i = 0; i < bits; i++) {", "        uint64_t v;", "        unsigned pos = 0;");
    L.push("        memset(&u, 0, sizeof u);", "        u.raw = (uint64_t)1 << i;", `        v = hwspec_read_${k}(&u);`);
    L.push("        if (!v) continue;", "        while (!(v & 1)) { v >>= 1; pos++; }", `        printf("${k} %u %u\\n", i, pos);`, "    }");
  });
  L.push("    return 0;", "}", "");
  return L.join("\n");
}

export function runProbe(headerPath: string, ctype: string, members: ScannedMember[]): ProbeResult {
  const dir = mkdtempSync(join(tmpdir(), "hwspec-audit-"));
  try {
    const src = join(dir, "probe.c");
    const exe = join(dir, "probe");
    writeFileSync(src, probeProgram(headerPath, ctype, members));
    const cc = spawnSync("gcc", ["-std=gnu11", "-w", "-I", dirname(headerPath), "-o", exe, src], { encoding: "utf8" });
    if (cc.error) return { ok: false, message: `could not run gcc: ${cc.error.message}` };
    if (cc.status !== 0) return { ok: false, message: cc.stderr.trim() || `gcc exited with ${cc.status}` };
    const run = spawnSync(exe, { encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) return { ok: false, message: run.status === 3 ? `raw of ${ctype} is wider than 64 bits` : `probe failed: ${run.stderr}` };
    const hits = members.map(() => [] as [number, number][]);
    for (const line of run.stdout.split("\n").slice(1)) {
      const m = /^(\d+) (\d+) (\d+)$/.exec(line);
      if (m) hits[Number(m[1])]!.push([Number(m[2]), Number(m[3])]);
    }
    const positions = new Map<string, Position | "scattered" | "none">();
    members.forEach((m, k) => {
      const h = hits[k]!;
      if (!h.length) return positions.set(m.path, "none");
      const lsb = h[0]![0];
      const contiguous = h.every(([bit, pos], j) => bit === lsb + j && pos === j);
      positions.set(m.path, contiguous ? { lsb, width: h.length } : "scattered");
    });
    return { ok: true, positions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison with the spec.

const bits = (p: Position) => `bits ${formatBits(p.lsb, p.width)}`;

export function compare(spec: { path: string; lsb: number; width: number }[], header: Map<string, Position | "scattered" | "none">): Finding[] {
  const findings: Finding[] = [];
  const specPaths = new Set(spec.map((e) => e.path));
  const placed = new Map<string, Position>();
  for (const [path, p] of header) {
    if (p === "scattered") findings.push({ kind: "scattered", path, message: `${path}: its bits are not contiguous in the header` });
    else if (p !== "none") placed.set(path, p);
  }
  // A member that is a plain integer where the spec nests a layout: its sub-fields are not named.
  const opaque = [...placed.keys()].filter(
    (p) => spec.some((e) => e.path.startsWith(p + ".")) && ![...header.keys()].some((h) => h.startsWith(p + ".")),
  );
  const unmatchedHeader = new Set([...placed.keys()].filter((p) => !specPaths.has(p)));
  for (const e of spec) {
    const h = placed.get(e.path);
    const sp = { lsb: e.lsb, width: e.width };
    if (h) {
      if (h.lsb !== e.lsb) {
        findings.push({ kind: "moved", path: e.path, spec: sp, header: { ...h, path: e.path }, message: `${e.path}: spec ${bits(sp)}, header ${bits(h)}` });
      } else if (h.width !== e.width) {
        findings.push({ kind: "resized", path: e.path, spec: sp, header: { ...h, path: e.path }, message: `${e.path}: spec ${bits(sp)} (${e.width} wide), header ${bits(h)} (${h.width} wide)` });
      }
      continue;
    }
    if (opaque.some((p) => e.path.startsWith(p + ".")) && !header.has(e.path)) continue;
    const parent = e.path.split(".").slice(0, -1).join(".");
    const twin = [...unmatchedHeader].find((p) => {
      const q = placed.get(p)!;
      return q.lsb === e.lsb && q.width === e.width && p.split(".").slice(0, -1).join(".") === parent;
    });
    if (twin) {
      unmatchedHeader.delete(twin);
      findings.push({ kind: "renamed", path: e.path, spec: sp, header: { ...placed.get(twin)!, path: twin }, message: `${e.path}: header calls ${bits(sp)} "${twin}"` });
    } else {
      findings.push({ kind: "missing", path: e.path, spec: sp, message: `${e.path}: spec ${bits(sp)}, not in the header` });
    }
  }
  for (const p of unmatchedHeader) {
    const h = placed.get(p)!;
    findings.push({ kind: "extra", path: p, header: { ...h, path: p }, message: `${p}: header ${bits(h)}, not in the spec` });
  }
  for (const [path, p] of header) {
    if (p === "none" && specPaths.has(path)) {
      const e = spec.find((x) => x.path === path)!;
      findings.push({ kind: "missing", path, spec: { lsb: e.lsb, width: e.width }, message: `${path}: declared in the header but outside raw` });
    }
  }
  const order = (f: Finding) => f.spec?.lsb ?? f.header?.lsb ?? 0;
  return findings.sort((a, b) => order(a) - order(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function auditCommand(name: string, opts: AuditOptions, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    io.err(`hwspec audit: ${found.error}`);
    return EXIT.usage;
  }
  const headerPath = resolve(opts.cHeader);
  if (!existsSync(headerPath)) {
    io.err(`hwspec audit: header ${opts.cHeader} not found`);
    return EXIT.usage;
  }
  const text = headerText(headerPath);
  const agg = findAggregate(text, opts.cType);
  if (!agg) {
    io.err(`hwspec audit: no definition of ${opts.cType} in ${opts.cHeader} (give "union tag", "struct tag", a tag or a typedef name)`);
    return EXIT.usage;
  }
  const tagOnly = /^\s*[A-Za-z_]\w*\s*$/.test(opts.cType);
  const ctype = tagOnly && new RegExp(`\\b${agg.kind}\\s+${opts.cType.trim()}\\s*\\{`).test(text) ? `${agg.kind} ${opts.cType.trim()}` : opts.cType.trim();
  const members = scanMembers(text, agg.body);
  const probe = runProbe(headerPath, ctype, members);
  if (!probe.ok) {
    const noRaw = !declarations(agg.body).some((d) => /\braw\s*$/.test(d) && !/\[/.test(d));
    io.err(`hwspec audit: ${opts.cHeader} does not compile with gcc${noRaw ? ` (or ${ctype} has no "raw" member to set bits through)` : ""}:\n${probe.message}`);
    return EXIT.usage;
  }
  const spec = fieldEntries(found.shape, front.lookup);
  const findings = compare(spec, probe.positions);
  const header = [...probe.positions].map(([path, p]) => (typeof p === "string" ? { path, status: p } : { path, ...p }));
  if (opts.json) {
    io.out(json({ name: found.shape.qname, header: opts.cHeader, cType: ctype, agree: findings.length === 0, members: header, findings }));
  } else if (!findings.length) {
    io.out(`${paint(io, "green", "agree")}: ${ctype} in ${opts.cHeader} matches ${found.shape.qname} (${spec.length} fields)`);
  } else {
    io.out(`${paint(io, "red", `${findings.length} difference${findings.length === 1 ? "" : "s"}`)} between ${ctype} in ${opts.cHeader} and ${found.shape.qname}:`);
    for (const f of findings) io.out(`  ${f.kind.padEnd(9)} ${f.message}`);
  }
  return findings.length ? EXIT.findings : EXIT.ok;
}
