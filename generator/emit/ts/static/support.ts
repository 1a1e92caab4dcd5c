// Support code copied verbatim into generated/ts/support.ts. It has no imports so generated code
// stays dependency-free; everything here runs at the edges (parsing, errors, BigInt conversion)
// except the U64 helpers, which accessors inline where they can.

/** A 64-bit value as two unsigned 32-bit halves: hot paths never allocate BigInts. */
export interface U64 {
  readonly lo: number;
  readonly hi: number;
}

export function u64(lo: number, hi: number): U64 {
  return { lo: lo >>> 0, hi: hi >>> 0 };
}

/** Lane masks for 64-bit applyWrite/applyRead: every bit, and none. */
export const U64_ONES: U64 = Object.freeze({ lo: 0xffffffff, hi: 0xffffffff });
export const U64_ZERO: U64 = Object.freeze({ lo: 0, hi: 0 });

export function isU64(x: unknown): x is U64 {
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as U64).lo === "number" &&
    typeof (x as U64).hi === "number" &&
    (x as U64).lo >>> 0 === (x as U64).lo &&
    (x as U64).hi >>> 0 === (x as U64).hi
  );
}

/** Base class of every error generated code throws, so callers can catch hwspec errors as one kind. */
export class HwspecError extends Error {
  override name = "HwspecError";
}

/** A value that does not fit the field or register it was given to. */
export class HwspecRangeError extends HwspecError {
  override name = "HwspecRangeError";
  // Plain fields rather than parameter properties, so this module is erasable TypeScript.
  readonly target: string;
  readonly value: unknown;
  readonly width: number;
  constructor(target: string, value: unknown, width: number) {
    super(`${target}: ${describe(value)} is not a valid ${width}-bit value`);
    this.target = target;
    this.value = value;
    this.width = width;
  }
}

/** A field name that does not exist, or that may not be written in this way. */
export class HwspecFieldError extends HwspecError {
  override name = "HwspecFieldError";
  readonly target: string;
  readonly field: string;
  readonly reason: string;
  constructor(target: string, field: string, reason: string) {
    super(`${target}: field ${JSON.stringify(field)} ${reason}`);
    this.target = target;
    this.field = field;
    this.reason = reason;
  }
}

/** An array element index outside 0 ≤ i < count. */
export class HwspecIndexError extends HwspecError {
  override name = "HwspecIndexError";
  readonly target: string;
  readonly index: unknown;
  readonly count: number;
  constructor(target: string, index: unknown, count: number) {
    super(`${target}: index ${describe(index)} is outside 0..${count - 1}`);
    this.target = target;
    this.index = index;
    this.count = count;
  }
}

/** Out of line, like rangeFail, so address helpers stay inlinable. */
export function indexFail(target: string, index: unknown, count: number): never {
  throw new HwspecIndexError(target, index, count);
}

/** A name given for a field's value that is not a member of the field's enum. */
export class HwspecEnumError extends HwspecError {
  override name = "HwspecEnumError";
  readonly target: string;
  readonly value: string;
  readonly members: readonly string[];
  constructor(target: string, value: string, members: readonly string[]) {
    // Case is the usual slip ("m" for "M"); generated code carries no general did-you-mean.
    const near = members.find((m) => m.toLowerCase() === value.toLowerCase());
    super(`${target}: ${JSON.stringify(value)} is not a member of its enum (${members.join(", ")})${near ? ` (did you mean ${JSON.stringify(near)}?)` : ""}`);
    this.target = target;
    this.value = value;
    this.members = members;
  }
}

/** Text that is not a number hwspec can read. */
export class HwspecParseError extends HwspecError {
  override name = "HwspecParseError";
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (isU64(value)) return `0x${u64ToBigInt(value).toString(16)}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Out of line so the setters that call it stay small enough to inline. */
export function rangeFail(target: string, value: unknown, width: number): never {
  throw new HwspecRangeError(target, value, width);
}

/**
 * The value of an enum member given by name, for a setter whose numeric check failed: out of line
 * like rangeFail, so numeric setters keep their size. Anything but a string is a range error.
 */
export function enumValue<T>(target: string, members: Readonly<Record<string, T>>, x: unknown, width: number): T {
  if (typeof x !== "string") throw new HwspecRangeError(target, x, width);
  // Own members only: "toString" names no member, whatever the prototype holds.
  if (!Object.prototype.hasOwnProperty.call(members, x)) throw new HwspecEnumError(target, x, Object.keys(members));
  return members[x]!;
}

/**
 * A field value no enum member names. `number & {}` rather than `number`, so that `MSTATUS_MPP |
 * Unnamed` keeps its literal members in editors' hovers and completions instead of collapsing
 * into plain `number`; every number is still assignable to it.
 */
export type Unnamed = number & {};

export function badValue(target: string, value: unknown, width: number): HwspecRangeError {
  return new HwspecRangeError(target, value, width);
}

export function fitsU64(x: U64, width: number): boolean {
  if (width >= 64) return true;
  if (width <= 32) return x.hi === 0 && (width === 32 || x.lo >>> width === 0);
  return x.hi >>> (width - 32) === 0;
}

export function u64ToBigInt(v: U64): bigint {
  return (BigInt(v.hi >>> 0) << 32n) | BigInt(v.lo >>> 0);
}

export function u64FromBigInt(x: bigint, width = 64): U64 {
  if (typeof x !== "bigint" || x < 0n || x >> BigInt(width) !== 0n) throw new HwspecRangeError("value", x, width);
  return { lo: Number(x & 0xffffffffn), hi: Number(x >> 32n) };
}

export function u32FromBigInt(x: bigint, width = 32): number {
  if (typeof x !== "bigint" || x < 0n || x >> BigInt(width) !== 0n) throw new HwspecRangeError("value", x, width);
  return Number(x);
}

/** Reads 0x.., 0b.., 0o.. or decimal text (underscores allowed) as an unsigned value of `width` bits. */
export function parseUnsigned(text: string, width: number): bigint {
  const s = String(text).trim().replace(/_/g, "");
  if (!/^(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/i.test(s)) {
    throw new HwspecParseError(`${JSON.stringify(text)} is not a number (use 0x.., 0b.., 0o.. or decimal)`);
  }
  const v = BigInt(s.toLowerCase().startsWith("0x") || s.startsWith("0b") || s.startsWith("0o") ? s.toLowerCase() : s);
  if (v >> BigInt(width) !== 0n) throw new HwspecRangeError("value", v, width);
  return v;
}

export function formatHex(v: bigint, width: number): string {
  return "0x" + v.toString(16).padStart(Math.ceil(width / 4), "0");
}

/** Bits lsb..lsb+width-1 of `v` as a U64 (fields wider than 32 bits). */
// extract64/deposit64 sit on hot paths (page-table frame fields), so they work on the two u32
// halves directly: no BigInt allocation. 0 <= lsb < 64 and 1 <= width <= 64 - lsb.
export function extract64(v: U64, lsb: number, width: number): U64 {
  let lo: number;
  let hi: number;
  if (lsb === 0) {
    lo = v.lo;
    hi = v.hi;
  } else if (lsb < 32) {
    lo = (v.lo >>> lsb) | (v.hi << (32 - lsb));
    hi = v.hi >>> lsb;
  } else {
    lo = v.hi >>> (lsb - 32);
    hi = 0;
  }
  if (width <= 32) return { lo: (lo & (0xffffffff >>> (32 - width))) >>> 0, hi: 0 };
  return { lo: lo >>> 0, hi: (hi & (0xffffffff >>> (64 - width))) >>> 0 };
}

/** `v` with bits lsb..lsb+width-1 replaced by `x` (bits of `x` above `width` are dropped). */
export function deposit64(v: U64, lsb: number, width: number, x: U64): U64 {
  // mask = ones(width) << lsb and xs = x << lsb, as halves.
  const wLo = width >= 32 ? 0xffffffff : 0xffffffff >>> (32 - width);
  const wHi = width <= 32 ? 0 : 0xffffffff >>> (64 - width);
  let mLo: number;
  let mHi: number;
  let xLo: number;
  let xHi: number;
  if (lsb === 0) {
    mLo = wLo;
    mHi = wHi;
    xLo = x.lo;
    xHi = x.hi;
  } else if (lsb < 32) {
    mLo = wLo << lsb;
    mHi = (wHi << lsb) | (wLo >>> (32 - lsb));
    xLo = x.lo << lsb;
    xHi = (x.hi << lsb) | (x.lo >>> (32 - lsb));
  } else {
    mLo = 0;
    mHi = wLo << (lsb - 32);
    xLo = 0;
    xHi = x.lo << (lsb - 32);
  }
  return {
    lo: ((v.lo & ~mLo) | (xLo & mLo)) >>> 0,
    hi: ((v.hi & ~mHi) | (xHi & mHi)) >>> 0,
  };
}

/** What a layout namespace hands applyPatch: its accessors and nested layouts, looked up lazily. */
export interface PatchTable<V> {
  readonly name: string;
  readonly get: Readonly<Record<string, (v: V) => unknown>>;
  readonly put: Readonly<Record<string, (v: V, x: never) => V>>;
  readonly nested: NestedTable;
}

export type NestedTable = Readonly<Record<string, () => { patch(v: never, fields: never): unknown }>>;

/** Own keys of `p` whose value is not undefined (what a field-by-field patch should have consumed). */
export function definedKeys(p: object): number {
  let n = 0;
  for (const k in p) if (Object.prototype.hasOwnProperty.call(p, k) && (p as Record<string, unknown>)[k] !== undefined) n++;
  return n;
}

/** A nested layout's value given as an object of its fields rather than a raw number or U64. */
export function isPatchObject(x: unknown): boolean {
  return typeof x === "object" && x !== null && !isU64(x);
}

/** Applies named field values in order; nested layouts accept a raw value or an object of their fields. */
export function applyPatch<V>(table: PatchTable<V>, allowed: ReadonlySet<string>, v: V, fields: object): V {
  if (typeof fields !== "object" || fields === null) throw new HwspecFieldError(table.name, String(fields), "is not an object of fields");
  let out = v;
  for (const key of Object.keys(fields)) {
    const x = (fields as Record<string, unknown>)[key];
    if (x === undefined) continue;
    if (!Object.prototype.hasOwnProperty.call(table.put, key)) throw new HwspecFieldError(table.name, key, "does not exist");
    if (!allowed.has(key)) throw new HwspecFieldError(table.name, key, "is not writable");
    const nested = Object.prototype.hasOwnProperty.call(table.nested, key) ? table.nested[key] : undefined;
    let value: unknown = x;
    if (nested && typeof x === "object" && x !== null && !isU64(x)) {
      const layout = nested();
      value = layout.patch(table.get[key]!(out) as never, x as never);
    }
    out = table.put[key]!(out, value as never);
  }
  return out;
}

/** Compile-time facts: `tsc` fails on `Expect<false>`, which is how size facts guard generated code. */
export type Expect<T extends true> = T;
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Not<T extends boolean> = T extends true ? false : true;
type Tuple<N extends number, T extends unknown[] = []> = T["length"] extends N ? T : Tuple<N, [...T, unknown]>;
export type Add<A extends number, B extends number> = [...Tuple<A>, ...Tuple<B>]["length"] & number;
export type Sum<Ns extends readonly number[]> = Ns extends readonly [infer H extends number, ...infer R extends readonly number[]]
  ? Add<H, Sum<R>>
  : 0;

/**
 * What the generic page-table walker (runtime/walk) reads from an entries module: thin data printed
 * from the elaborated model, so one walker serves every architecture. Levels are root first.
 */
export interface WalkDescriptor {
  /** The spec's namespace (`x86.pagetable`). */
  readonly spec: string;
  /** Bits in one entry (32 or 64). */
  readonly entryWidth: number;
  /** Virtual-address bits the walk translates: the root's VA shift plus its index bits. */
  readonly vaBits: number;
  /**
   * What bits 63..vaBits of a virtual address must hold: `sign-extend`, copies of bit vaBits - 1
   * (x86-64 canonical form, RISC-V); `uniform`, all 0 or all 1 whatever bit vaBits - 1 is (Arm's
   * TTBR0 and TTBR1 regions, the caller choosing the root); `zero`, nothing (32-bit address
   * spaces, Arm stage 2 input addresses).
   */
  readonly vaUpper: "sign-extend" | "uniform" | "zero";
  readonly levels: readonly WalkLevel[];
}

export interface WalkLevel {
  readonly name: string;
  /** The lowest VA bit this level's index takes; also log2 of the size a leaf here maps. */
  readonly vaShift: number;
  readonly indexBits: number;
  readonly entryBytes: number;
  /** The architecture's validity test (x86 _PAGE_PRESENT, RISC-V V, Arm bit 0), compiled. */
  readonly valid: (e: U64) => boolean;
  /** Tried in order; the first whose condition holds is the entry's format. */
  readonly formats: readonly WalkFormat[];
}

export interface WalkFormat {
  readonly name: string;
  /** `table` references the next level, `leaf` maps a page or block, `reserved` faults. */
  readonly role: "table" | "leaf" | "reserved";
  /** The spec's condition choosing this format, compiled. */
  readonly when: (e: U64) => boolean;
  /** Output address = ((entry >> lsb) & (2^width - 1)) << shift; absent for reserved encodings. */
  readonly address?: WalkAddress;
  /** Bits that fault as reserved when set in a valid entry of this format. */
  readonly res0: bigint;
  /** Alignment (bytes) the output address of a leaf must have; 1 where any address is aligned. */
  readonly align: bigint;
  /** The named fields of the format, decoded by the walker for each step. */
  readonly fields: readonly WalkField[];
}

export interface WalkAddress {
  readonly lsb: number;
  readonly width: number;
  readonly shift: number;
}

export interface WalkField {
  readonly name: string;
  readonly lsb: number;
  readonly width: number;
}
