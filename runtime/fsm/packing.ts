/**
 * Bit positions of a state's slots in packed 32-bit words. Each slot takes the width its declared
 * range needs (computed once from the layout); a slot never straddles two words, which keeps
 * reading and writing one slot a shift and a mask. States whose values leave their range are
 * violations and are never packed, so no code is reserved for out-of-range values.
 */
import type { Failure } from "../../generated/ts/fsm.ts";
import type { Layout } from "./machine.ts";
import type { Successors } from "./successors.ts";

export interface Packing {
  /** 32-bit words per packed state. */
  readonly words: number;
  /** Per slot: the word it lives in, its shift, its mask (unshifted) and its range. */
  readonly word: Int32Array;
  readonly shift: Int32Array;
  readonly mask: Int32Array;
  readonly min: Int32Array;
  readonly max: Float64Array;
  /** Bits each slot takes. */
  readonly width: Int32Array;
  /** `unpack` compiled for this packing (see there). */
  readonly unpackInto: (words: Uint32Array, offset: number, out: number[], copy: number[], prev: Uint32Array | undefined) => void;
}

/** Bits needed to tell `count` values apart (at least 1, at most 32). */
export function bitsFor(count: number): number {
  let w = 1;
  while (w < 32 && 2 ** w < count) w++;
  return w;
}

/**
 * The packing of a layout. A lock holds 0 or its holder's instance number + 1, so its width comes
 * from the number of instances, not from the 0..255 range the generated slot declares.
 */
export function packing(l: Layout): Packing {
  const n = l.slots.length;
  const word = new Int32Array(n);
  const shift = new Int32Array(n);
  const mask = new Int32Array(n);
  const min = new Int32Array(n);
  const max = new Float64Array(n);
  const widthOf = new Int32Array(n);
  let w = 0;
  let used = 0;
  for (let k = 0; k < n; k++) {
    const s = l.slots[k]!;
    const hi = s.kind === "lock" ? Math.min(s.max, l.instances.length) : s.max;
    const width = bitsFor(hi - s.min + 1);
    if (used + width > 32) {
      w++;
      used = 0;
    }
    word[k] = w;
    shift[k] = used;
    mask[k] = width === 32 ? -1 : (1 << width) - 1;
    min[k] = s.min;
    max[k] = hi;
    widthOf[k] = width;
    used += width;
  }
  const words = w + 1;
  return { words, word, shift, mask, min, max, width: widthOf, unpackInto: compileUnpack(words, word, shift, mask, min) };
}

/**
 * Unpacking compiled (new Function) into straight-line code with every shift, mask and offset a
 * literal: a search unpacks each state it expands, and the loop over per-slot tables it replaces
 * spent most of its time reading those tables. Only numbers are spliced into the source.
 */
function compileUnpack(words: number, word: Int32Array, shift: Int32Array, mask: Int32Array, min: Int32Array): Packing["unpackInto"] {
  const lines: string[] = [];
  for (let i = 0; i < words; i++) {
    lines.push(`v = w[o + ${i}];`, `if (prev === undefined || prev[${i}] !== v) {`, `if (prev !== undefined) prev[${i}] = v;`);
    for (let k = 0; k < word.length; k++) {
      if (word[k] !== i) continue;
      // A 32-bit slot is the whole word, unsigned; narrower ones are masked (and never negative).
      const bits = mask[k] === -1 ? "(v >>> 0)" : `((v >>> ${shift[k]!}) & ${mask[k]!})`;
      lines.push(`out[${k}] = copy[${k}] = ${bits}${min[k] ? ` + ${min[k]!}` : ""};`);
    }
    lines.push("}");
  }
  return new Function("w", "o", "out", "copy", "prev", `let v;\n${lines.join("\n")}`) as Packing["unpackInto"];
}

/** Packs every slot of `s` into `out` (which is cleared first). The values must be in range. */
export function pack(p: Packing, s: ArrayLike<number>, out: Uint32Array): void {
  out.fill(0);
  const { word, shift, min } = p;
  for (let k = 0; k < s.length; k++) out[word[k]!] = (out[word[k]!]! | ((s[k]! - min[k]!) << shift[k]!)) >>> 0;
}

/** Writes one slot's value into packed words in place. */
export function packSlot(p: Packing, w: Uint32Array, k: number, v: number): void {
  const i = p.word[k]!;
  const sh = p.shift[k]!;
  w[i] = ((w[i]! & ~(p.mask[k]! << sh)) | ((v - p.min[k]!) << sh)) >>> 0;
}

/**
 * Unpacks `words[offset ..]` into the slots of `out` (and of `copy` when given, the scratch state
 * a search runs moves on): per word, its slots from the low bits up. With `prev`, the words the
 * slots hold now, words that did not change are skipped (and `prev` is updated): states expanded
 * one after the other are mostly siblings that differ in a word or two.
 */
export function unpack(p: Packing, words: Uint32Array, offset: number, out: number[], copy: number[] = out, prev?: Uint32Array): void {
  p.unpackInto(words, offset, out, copy, prev);
}

/**
 * The packed words of a successor, from those of the state it came from: `to` becomes a copy of
 * `from` with the slots of `writes` that differ between `cur` and `next` rewritten. Only a changed
 * slot can leave its range (the current state is in range); those are left as they were in `to`
 * and their indices pushed onto `outOfRange` for the caller to report. Returns how many there were.
 * The sequential search and the parallel workers share this loop, so both pack successors alike.
 */
export function rewrite(p: Packing, writes: Int32Array, cur: readonly number[], next: readonly number[], from: Uint32Array, to: Uint32Array, outOfRange: number[]): number {
  const { word, shift, mask, min, max } = p;
  for (let k = 0; k < p.words; k++) to[k] = from[k]!;
  let bad = 0;
  for (let c = 0; c < writes.length; c++) {
    const k = writes[c]!;
    const v = next[k]!;
    if (v === cur[k]) continue;
    // Same bound as the declared range except for locks, which never exceed an instance number.
    if (!(v >= min[k]! && v <= max[k]!)) {
      outOfRange.push(k);
      bad++;
      continue;
    }
    const wi = word[k]!;
    const sh = shift[k]!;
    to[wi] = ((to[wi]! & ~(mask[k]! << sh)) | ((v - min[k]!) << sh)) >>> 0;
  }
  return bad;
}

/**
 * Runs move `mid` on `next` (a copy of the current state) and says whether it is a clean step: no
 * check failed and every slot it writes fits its packed range. The failures themselves are
 * dropped: the liveness graph and the partial-order probe only need the yes or no, while the
 * searches that report failures go through `rewrite`.
 */
export function cleanStep(succ: Successors, p: Packing, next: number[], mid: number, fail: Failure[]): boolean {
  succ.run(next, mid, fail);
  const ok = fail.length === 0;
  fail.length = 0;
  if (!ok) return false;
  const { min, max } = p;
  const writes = succ.moves[mid]!.writes;
  for (let c = 0; c < writes.length; c++) {
    const k = writes[c]!;
    if (!(next[k]! >= min[k]! && next[k]! <= max[k]!)) return false;
  }
  return true;
}
