/**
 * Mask-and-shift code for one field. Values of up to 32 bits are numbers; wider ones are
 * `{ lo, hi }` halves so hot paths never touch BigInt.
 */

const h = (n: number) => "0x" + (n >>> 0).toString(16);
const maskOf = (width: number) => (width >= 32 ? 0xffffffff : (1 << width) - 1) >>> 0;

export interface Slot {
  lsb: number;
  width: number;
  /** The containing value is U64. */
  wide: boolean;
}

/** Expression reading the field from `v`: boolean for 1 bit, number up to 32 bits, U64 above. */
export function getCode(s: Slot, v = "v"): string {
  if (s.width > 32) return s.lsb === 0 && s.width === 64 ? v : `extract64(${v}, ${s.lsb}, ${s.width})`;
  const [word, lsb, straddle] = part(s, v);
  if (straddle) {
    const joined = `((${v}.lo >>> ${s.lsb}) | (${v}.hi << ${32 - s.lsb}))`;
    if (s.width === 1) return `(${joined} & 1) !== 0`;
    return s.width === 32 ? `${joined} >>> 0` : `${joined} & ${h(maskOf(s.width))}`;
  }
  if (s.width === 1) return `(${word} & ${h(1 << lsb)}) !== 0`;
  if (s.width === 32) return word;
  const shifted = lsb ? `(${word} >>> ${lsb})` : word;
  return lsb + s.width === 32 ? `${word} >>> ${lsb}` : `${shifted} & ${h(maskOf(s.width))}`;
}

/** Statement-free expression giving `v` with the field replaced by `x` (already range-checked). */
export function putCode(s: Slot, v = "v", x = "x"): string {
  const num = s.width === 1 ? `(${x} ? 1 : 0)` : x;
  if (!s.wide) return `((${v} & ${h(~(maskOf(s.width) << s.lsb))}) | (${num} << ${s.lsb})) >>> 0`;
  if (s.width > 32) return s.lsb === 0 && s.width === 64 ? `u64(${x}.lo, ${x}.hi)` : `deposit64(${v}, ${s.lsb}, ${s.width}, ${x})`;
  const [, lsb, straddle] = part(s, v);
  if (straddle) return `deposit64(${v}, ${s.lsb}, ${s.width}, u64(${num} >>> 0, 0))`;
  const inHi = s.lsb >= 32;
  const word = inHi ? `${v}.hi` : `${v}.lo`;
  const updated = `((${word} & ${h(~(maskOf(s.width) << lsb))}) | (${num} << ${lsb})) >>> 0`;
  return inHi ? `u64(${v}.lo, ${updated})` : `u64(${updated}, ${v}.hi)`;
}

/**
 * Condition under which `x` is a valid value of the field. Setters are written as
 * `ok ? put : rangeFail(...)`: an expression body with the throw out of line keeps them small
 * enough for V8 to inline, which a statement-level `if (...) throw` measurably prevents.
 */
export function validCode(s: Slot, x = "x"): string {
  if (s.width === 1) return `(${x} === true || ${x} === false)`;
  if (s.width > 32) return `isU64(${x}) && fitsU64(${x}, ${s.width})`;
  return s.width === 32 ? `(${x} >>> 0) === ${x}` : `(${x} & ${h(maskOf(s.width))}) === ${x}`;
}

function part(s: Slot, v: string): [word: string, lsb: number, straddle: boolean] {
  if (!s.wide) return [v, s.lsb, false];
  if (s.lsb + s.width <= 32) return [`${v}.lo`, s.lsb, false];
  if (s.lsb >= 32) return [`${v}.hi`, s.lsb - 32, false];
  return ["", s.lsb, true];
}

export function tsValueType(width: number): string {
  return width === 1 ? "boolean" : width > 32 ? "U64" : "number";
}

/** A parameter's name, prefixed with `_` when `body` never reads it, so output passes noUnusedParameters. */
export const paramName = (name: string, body: string): string => (new RegExp(`\\b${name}\\b`).test(body) ? name : `_${name}`);
