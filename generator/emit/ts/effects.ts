import type { Effects } from "../../elaborate/model.ts";

const h = (n: bigint) => "0x" + n.toString(16);
const half = (m: bigint, i: number) => (m >> BigInt(32 * i)) & 0xffffffffn;

/**
 * Statements turning `v` (old value) into the stored value after a write of `w` over lanes `l`
 * with once-bits `d` already written, for one 32-bit word of the masks. Only the terms whose
 * mask is non-zero are printed, so a plain read-write register is one line.
 */
export function mergeStatements(e: Effects, word: number, v = "v", w = "w", l = "l", d = "d"): string[] {
  const m = (x: bigint) => half(x, word);
  const out: string[] = [];
  // A mask of the whole word adds nothing to `l & mask`, so it is left out.
  const term = (mask: bigint, code: (k: string) => string) => {
    if (m(mask) === 0n) return;
    const k = h(m(mask));
    out.push(m(mask) === 0xffffffffn ? code("__ALL__").replace(/ & __ALL__|__ALL__ & /g, "") : code(k));
  };
  term(e.store, (k) => `${v} = (${v} & ~(${l} & ${k})) | (${w} & ${l} & ${k});`);
  term(e.once, (k) => `${v} = (${v} & ~(${l} & ${k} & ~${d})) | (${w} & ${l} & ${k} & ~${d});`);
  term(e.w1c, (k) => `${v} &= ~(${w} & ${l} & ${k});`);
  term(e.w1s, (k) => `${v} |= ${w} & ${l} & ${k};`);
  term(e.w0c, (k) => `${v} &= ~(~${w} & ${l} & ${k});`);
  term(e.w0s, (k) => `${v} |= ~${w} & ${l} & ${k};`);
  term(e.w1t, (k) => `${v} ^= ${w} & ${l} & ${k};`);
  term(e.wc, (k) => `${v} &= ~(${l} & ${k});`);
  term(e.ws, (k) => `${v} |= ${l} & ${k};`);
  if (m(e.fixedMask) !== 0n) out.push(m(e.fixedValue) === 0n ? `${v} &= ~${h(m(e.fixedMask))};` : `${v} = (${v} & ~${h(m(e.fixedMask))}) | ${h(m(e.fixedValue))};`);
  return out;
}

/** Which of `w`, `l`, `d` the merge of some word reads, so unused parameters get the `_` prefix. */
export function mergeUses(e: Effects, words: number): { w: boolean; l: boolean; d: boolean } {
  const text = Array.from({ length: words }, (_, i) => mergeStatements(e, i).join(" ")).join(" ");
  return { w: /\bw\b/.test(text), l: /\bl\b/.test(text), d: /\bd\b/.test(text) };
}

/** The value a read returns from stored `s`, as an expression over one 32-bit word. */
export function readValueCode(e: Effects, word: number, s = "s"): string {
  const zero = half(e.readZero | e.fixedMask, word);
  const fixed = half(e.fixedValue, word);
  let code = s;
  if (zero !== 0n) code = `(${code} & ~${h(zero)})`;
  if (fixed !== 0n) code = `(${code} | ${h(fixed)})`;
  return `${code} >>> 0`;
}

/** The stored value after a read of lanes `l` from stored `s`: rc bits cleared, rs bits set. */
export function afterReadCode(e: Effects, word: number, s = "s", l = "l"): string {
  const rc = half(e.rc, word);
  const rs = half(e.rs, word);
  let code = s;
  if (rc !== 0n) code = `(${code} & ~(${l} & ${h(rc)}))`;
  if (rs !== 0n) code = `(${code} | (${l} & ${h(rs)}))`;
  return `${code} >>> 0`;
}

/**
 * The register's pure `applyWrite(old, written, lanes?, onceDone?)` and `applyRead(stored, lanes?)`
 * as members of its namespace object. U64 registers apply the same masks to each half: every
 * operation is bitwise, so the halves are independent.
 */
export function applyMembers(e: Effects, width: number): string[] {
  const wide = width > 32;
  const all = wide ? "U64_ONES" : h((1n << BigInt(width)) - 1n);
  const zero = wide ? "U64_ZERO" : "0";
  const V = wide ? "U64" : "number";
  const words = wide ? 2 : 1;
  const uses = mergeUses(e, words);
  const p = (name: string, used: boolean) => (used ? name : `_${name}`);
  const sig = `(old: ${V}, ${p("written", uses.w)}: ${V}, ${p("lanes", uses.l)}: ${V} = ${all}, ${p("onceDone", uses.d)}: ${V} = ${zero}): ${V}`;
  const write: string[] = [];
  if (!wide) {
    const stmts = mergeStatements(e, 0, "v", "written", "lanes", "onceDone");
    write.push(`applyWrite: ${sig} => {`, "let v = old;", ...stmts, "return v >>> 0;", "},");
  } else {
    const lo = mergeStatements(e, 0, "lo", "written.lo", "lanes.lo", "onceDone.lo");
    const hi = mergeStatements(e, 1, "hi", "written.hi", "lanes.hi", "onceDone.hi");
    write.push(`applyWrite: ${sig} => {`, "let lo = old.lo;", ...lo, "let hi = old.hi;", ...hi, "return u64(lo, hi);", "},");
  }
  const rUsesL = (e.rc | e.rs) !== 0n;
  const rsig = `(stored: ${V}, ${p("lanes", rUsesL)}: ${V} = ${all}): { value: ${V}; next: ${V} }`;
  const read = wide
    ? [`applyRead: ${rsig} => ({`, `value: u64(${readValueCode(e, 0, "stored.lo")}, ${readValueCode(e, 1, "stored.hi")}),`, `next: u64(${afterReadCode(e, 0, "stored.lo", "lanes.lo")}, ${afterReadCode(e, 1, "stored.hi", "lanes.hi")}),`, "}),"]
    : [`applyRead: ${rsig} => ({ value: ${readValueCode(e, 0, "stored")}, next: ${afterReadCode(e, 0, "stored", "lanes")} }),`];
  return [...write, ...read];
}
