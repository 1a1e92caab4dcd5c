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

// ---------------------------------------------------------------------------------------------
// Descriptor-driven layouts. A generated module states each layout once as data (`FieldSpec`s)
// and `hwspecLayout` below turns it into the namespace object: accessors are closures made
// per field from its position, so every layout shares one body of code, and V8 inlines a getter
// or setter into its caller exactly as it would a generated one (the bench compares them).

/** What the descriptor says of one field; `name` is its key in the table. */
export interface FieldSpec {
  readonly lsb: number;
  readonly width: number;
  /** When it differs from the shape's `access`. */
  readonly access?: string;
  readonly reset?: string;
  readonly const?: string;
  readonly layout?: string;
  /** Boolean and U64 fields' members as numbers or hex text; a numeric field's are its `enums` constant. */
  readonly enum?: Readonly<Record<string, number | string | boolean>>;
  /** Two's complement, when the spec says (Linux SignedEnum / UnsignedEnum fields). */
  readonly signed?: boolean;
  /** Where the field was read from, for imported specs (`arch/arm64/tools/sysreg:123`). */
  readonly source?: string;
}

/** One field as a layout reports it (`X.fields`): its descriptor entry, named, with its access resolved. */
export interface FieldInfo extends Omit<FieldSpec, "access"> {
  readonly name: string;
  readonly access: string;
}

/** A range of bits no field names, and what software must do with it. */
export interface ReservedInfo {
  readonly lsb: number;
  readonly width: number;
  readonly policy: string;
  readonly doc?: string;
}

/** Field specs by name, in lsb order. */
export type FieldTable = Readonly<Record<string, FieldSpec>>;

/** Per-bit write and read behaviour (the elaborated model's effects); absent masks are 0. Halves `[lo, hi]` for 64-bit shapes. */
export interface EffectMasks<M> {
  readonly store?: M;
  readonly once?: M;
  readonly w1c?: M;
  readonly w1s?: M;
  readonly w0c?: M;
  readonly w0s?: M;
  readonly w1t?: M;
  readonly wc?: M;
  readonly ws?: M;
  readonly rc?: M;
  readonly rs?: M;
  readonly readZero?: M;
  readonly fixedMask?: M;
  readonly fixedValue?: M;
}

/** Everything a shape's namespace object is built from, beyond its public facts. */
export interface ShapeSpec<V> {
  readonly fields: FieldTable;
  /** Access of fields that state none, or of each field in table order; absent: the register's. */
  readonly access?: string | readonly string[];
  /** Absent: none. A range that states no policy has `reservedAs`'s policy and doc. */
  readonly reserved?: readonly (Omit<ReservedInfo, "policy"> & { readonly policy?: string })[];
  /** The policy and doc most of a shape's reserved ranges share, stated once. */
  readonly reservedAs?: { readonly policy: string; readonly doc?: string };
  /** Names of the fields software may write (`set`, `with`). */
  readonly writable: readonly string[];
  /** The value encode starts from; absent: 0. */
  readonly initial?: V;
  /** Enum constants by field name, as exported (values of the field's own type). */
  readonly enums?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Nested layouts by field name, looked up lazily (a layout may be declared later in its module). */
  readonly nested?: Readonly<Record<string, () => NestedShape>>;
  /** Generated rather than interpreted: an object literal of known keys is what keeps decode as fast as hand-written code. */
  readonly decode: (v: V) => unknown;
  /** Registers: what writes and reads do to each bit (`[lo, hi]` halves for 64-bit registers). */
  readonly effects?: EffectMasks<number | readonly [number, number]>;
  /** Register arrays: element count, stride, element 0's address and the name of the address helper. */
  readonly array?: { readonly count: number; readonly stride: number; readonly base: number; readonly what: "offsetOf" | "indexOf" };
}

interface NestedShape {
  with(v: never, p: never): unknown;
  patch(v: never, p: never): unknown;
}

/** The raw value a setter takes for a field whose input type is T: a nested layout's object of fields is for with/patch only. */
export type Raw<T> = T extends U64 ? T : T extends number | string | boolean ? T : never;

type NestedOf<S> = S extends { readonly nested: infer N } ? N : {};
type EnumsOf<S> = S extends { readonly enums: infer E } ? E : {};
type WritableOf<S> = S extends { readonly writable: readonly (infer W)[] } ? W : never;
type NestedArg<N, M extends "patch" | "with"> = N extends () => { [K in M]: (v: infer V, p: infer P) => unknown } ? V | P : never;
type Named<T, E> = T | (keyof E & string) | (T extends number ? Unnamed : never);
type FieldInput<F, S, K extends keyof F, M extends "patch" | "with"> = K extends keyof NestedOf<S>
  ? NestedArg<NestedOf<S>[K], M>
  : K extends keyof EnumsOf<S>
    ? Named<F[K], EnumsOf<S>[K]>
    : F[K];

/** Input of a shape with fields F and spec S: any subset of its fields, enum fields also by member name, nested layouts also as objects of their fields. */
export type InputOf<F, S> = { readonly [K in keyof F]?: FieldInput<F, S, K, "patch"> };

/** The writable fields of a shape, as `with` takes them; no field at all when none is writable. */
export type PatchOf<F, S> = [WritableOf<S>] extends [never]
  ? { readonly [key: string]: never }
  : { readonly [K in keyof F as K extends WritableOf<S> ? K : never]?: FieldInput<F, S, K, "with"> };

/** What `get` returns for field K: its decoded value, or a nested layout's raw value. */
type GetOf<F, S, K extends keyof F> = K extends keyof NestedOf<S> ? Raw<NestedArg<NestedOf<S>[K], "patch">> : F[K];

/** Accessors and conversions of a layout with value type V, fields F and spec S; `enums` when a field has one. */
export type LayoutApi<V, F, S> = LayoutBase<V, F, S> & (S extends { readonly enums: infer E } ? { readonly enums: E } : {});

export interface LayoutBase<V, F, S> {
  readonly fields: readonly FieldInfo[];
  readonly reserved: readonly ReservedInfo[];
  /** Field readers. */
  readonly get: { readonly [K in keyof F]-?: (v: V) => GetOf<F, S, K> };
  /** Field writers, writable fields only; a bad value throws HwspecRangeError. */
  readonly set: { readonly [K in keyof F as K extends WritableOf<S> ? K : never]-?: (v: V, x: Raw<FieldInput<F, S, K, "with">>) => V };
  /** Each field's mask in place, and its shift (lsb). */
  readonly MASK: { readonly [K in keyof F]-?: V };
  readonly SHIFT: { readonly [K in keyof F]-?: number };
  /** Sets writable fields; nested layouts take a raw value or a patch of their own. */
  with(v: V, p: PatchOf<F, S>): V;
  /** Sets any fields, read-only ones included: for building values at the edges. */
  patch(v: V, p: InputOf<F, S>): V;
  decode(v: V): F;
  /** A value from fields; unnamed fields are zero, const fields and res1 bits take their fixed values. */
  encode(fields: InputOf<F, S>): V;
  fromBigInt(x: bigint): V;
  toBigInt(v: V): bigint;
  parse(text: string): V;
  format(v: V): string;
}

/** A register adds what writes and reads do to its stored value. */
export type RegisterApi<V, F, S> = LayoutApi<V, F, S> & RegisterBase<V>;

export interface RegisterBase<V> {
  /** The stored value after writing `written` over the bit lanes `lanes` (default all), by each field's access; `onceDone` marks write-once bits already written since reset. */
  applyWrite(old: V, written: V, lanes?: V, onceDone?: V): V;
  applyRead(stored: V, lanes?: V): { value: V; next: V };
}

/** Count, stride and the bounds-checked address of element i (`offsetOf` for MMIO, `indexOf` for numbered spaces). */
export type ArrayApi<What extends string> = { readonly count: number; readonly stride: number } & { readonly [K in What]: (i: number) => number };

const ones = (width: number): number => (width >= 32 ? 0xffffffff : (1 << width) - 1) >>> 0;

type Get<V> = (v: V) => unknown;
type Put<V> = (v: V, x: never) => V;

function getter32(lsb: number, width: number): Get<number> {
  if (width === 1) {
    const bit = (1 << lsb) >>> 0;
    return (v) => (v & bit) !== 0;
  }
  if (width === 32) return (v) => v;
  const m = ones(width);
  if (lsb === 0) return (v) => v & m;
  if (lsb + width === 32) return (v) => v >>> lsb;
  return (v) => (v >>> lsb) & m;
}

function getter64(lsb: number, width: number): Get<U64> {
  if (width > 32) return lsb === 0 && width === 64 ? (v) => v : (v) => extract64(v, lsb, width);
  if (lsb >= 32) {
    if (width === 1) {
      const bit = (1 << (lsb - 32)) >>> 0;
      return (v) => (v.hi & bit) !== 0;
    }
    if (width === 32) return (v) => v.hi;
    const m = ones(width);
    const s = lsb - 32;
    if (s === 0) return (v) => v.hi & m;
    if (s + width === 32) return (v) => v.hi >>> s;
    return (v) => (v.hi >>> s) & m;
  }
  if (lsb + width <= 32) {
    if (width === 1) {
      const bit = (1 << lsb) >>> 0;
      return (v) => (v.lo & bit) !== 0;
    }
    if (width === 32) return (v) => v.lo;
    const m = ones(width);
    if (lsb === 0) return (v) => v.lo & m;
    if (lsb + width === 32) return (v) => v.lo >>> lsb;
    return (v) => (v.lo >>> lsb) & m;
  }
  // Straddles the halves.
  const up = 32 - lsb;
  if (width === 1) return (v) => (((v.lo >>> lsb) | (v.hi << up)) & 1) !== 0;
  if (width === 32) return (v) => ((v.lo >>> lsb) | (v.hi << up)) >>> 0;
  const m = ones(width);
  return (v) => ((v.lo >>> lsb) | (v.hi << up)) & m;
}

/** The out-of-line path of a setter: an enum member's name comes back in with its value, anything else is a range error. */
function failure<V>(target: string, width: number, members: Readonly<Record<string, unknown>> | undefined, self: () => Put<V>) {
  return members
    ? (v: V, x: unknown): V => self()(v, enumValue(target, members, x, width) as never)
    : (_v: V, x: unknown): V => rangeFail(target, x, width);
}

function setter32(lsb: number, width: number, fail: (v: number, x: unknown) => number): Put<number> {
  const keep = ~(ones(width) << lsb) >>> 0;
  if (width === 1) return ((v: number, x: unknown) => (x === true || x === false ? ((v & keep) | ((x ? 1 : 0) << lsb)) >>> 0 : fail(v, x))) as Put<number>;
  if (width === 32) return ((v: number, x: number) => ((x >>> 0) === x ? ((v & keep) | (x << lsb)) >>> 0 : fail(v, x))) as Put<number>;
  const m = ones(width);
  return ((v: number, x: number) => ((x & m) === x ? ((v & keep) | (x << lsb)) >>> 0 : fail(v, x))) as Put<number>;
}

function setter64(lsb: number, width: number, fail: (v: U64, x: unknown) => U64): Put<U64> {
  if (width > 32) return wideSetter(lsb, width, fail);
  if (lsb < 32 && lsb + width > 32) return straddleSetter(lsb, width, fail);
  const s = lsb >= 32 ? lsb - 32 : lsb;
  const keep = ~(ones(width) << s) >>> 0;
  if (lsb >= 32) {
    if (width === 1) return ((v: U64, x: unknown) => (x === true || x === false ? u64(v.lo, ((v.hi & keep) | ((x ? 1 : 0) << s)) >>> 0) : fail(v, x))) as Put<U64>;
    const m = ones(width);
    return ((v: U64, x: number) => ((width === 32 ? (x >>> 0) === x : (x & m) === x) ? u64(v.lo, ((v.hi & keep) | (x << s)) >>> 0) : fail(v, x))) as Put<U64>;
  }
  if (width === 1) return ((v: U64, x: unknown) => (x === true || x === false ? u64(((v.lo & keep) | ((x ? 1 : 0) << s)) >>> 0, v.hi) : fail(v, x))) as Put<U64>;
  const m = ones(width);
  return ((v: U64, x: number) => ((width === 32 ? (x >>> 0) === x : (x & m) === x) ? u64(((v.lo & keep) | (x << s)) >>> 0, v.hi) : fail(v, x))) as Put<U64>;
}

/**
 * A field wider than 32 bits (a page-frame number): both halves masked and shifted by constants
 * fixed here, the shape of hand-written code. The general deposit64 with run-time positions behind
 * isU64 and fitsU64 cost about twice as much in the accessor benchmark.
 */
function wideSetter(lsb: number, width: number, fail: (v: U64, x: unknown) => U64): Put<U64> {
  // 32 < width ≤ 64 - lsb, so lsb < 32: x.lo fills the low half from lsb up, and x.hi (width - 32
  // bits, checked) with the top lsb bits of x.lo make the bits of the high half up to lsb + width - 32.
  const top = ones(width - 32);
  const keepLo = ones(lsb);
  const keepHi = ~ones(lsb + width - 32) >>> 0;
  const up = 32 - lsb;
  if (top === 0xffffffff) {
    const u64In = (x: unknown): x is U64 => typeof x === "object" && x !== null && (x as U64).lo >>> 0 === (x as U64).lo && (x as U64).hi >>> 0 === (x as U64).hi;
    return ((v: U64, x: unknown) => (u64In(x) ? u64(x.lo, x.hi) : fail(v, x))) as Put<U64>;
  }
  const fits = (x: unknown): x is U64 => typeof x === "object" && x !== null && (x as U64).lo >>> 0 === (x as U64).lo && ((x as U64).hi & top) === (x as U64).hi;
  if (lsb === 0) return ((v: U64, x: unknown) => (fits(x) ? u64(x.lo, (v.hi & keepHi) | x.hi) : fail(v, x))) as Put<U64>;
  return ((v: U64, x: unknown) => (fits(x) ? u64((v.lo & keepLo) | (x.lo << lsb), (v.hi & keepHi) | (x.hi << lsb) | (x.lo >>> up)) : fail(v, x))) as Put<U64>;
}

/** A field of at most 32 bits that crosses bit 32: a number whose low bits end the low half and whose high bits start the high half. */
function straddleSetter(lsb: number, width: number, fail: (v: U64, x: unknown) => U64): Put<U64> {
  const m = ones(width);
  const keepLo = ones(lsb);
  const keepHi = ~ones(lsb + width - 32) >>> 0;
  const up = 32 - lsb;
  if (width === 32) return ((v: U64, x: number) => (x >>> 0 === x ? u64((v.lo & keepLo) | (x << lsb), (v.hi & keepHi) | (x >>> up)) : fail(v, x))) as Put<U64>;
  return ((v: U64, x: number) => ((x & m) === x ? u64((v.lo & keepLo) | (x << lsb), (v.hi & keepHi) | (x >>> up)) : fail(v, x))) as Put<U64>;
}

interface Op<V> {
  readonly get: Get<V>;
  readonly put: Put<V>;
  readonly nested?: () => NestedShape;
}

function freezeAll<T extends object>(list: readonly T[]): readonly T[] {
  for (const x of list) Object.freeze(x);
  return Object.freeze(list);
}

type Apply<V> = (v: V, p: object) => V;

/** A layout's `with`, `patch` and `encode`, made together on first use of any of them. */
interface Appliers<V> {
  readonly with: Apply<V>;
  readonly patch: Apply<V>;
  readonly encode: (p: object) => V;
}

/**
 * `with`, `patch` and `encode` of one layout: compiled, or generic where code cannot be compiled.
 * A key a layout does not know (or may not set) ends in applyPatch, which throws the precise error.
 */
function appliers<V>(name: string, ops: Readonly<Record<string, Op<V>>>, writable: readonly string[], initial: V): Appliers<V> {
  const all = Object.keys(ops);
  const table: PatchTable<V> = {
    name,
    get: Object.fromEntries(all.map((k) => [k, ops[k]!.get])),
    put: Object.fromEntries(all.map((k) => [k, ops[k]!.put])),
    nested: Object.fromEntries(all.flatMap((k) => (ops[k]!.nested ? [[k, ops[k]!.nested!]] : []))),
  };
  const subset = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, ops[k]!]));
  const withGeneric = genericApplier(table, new Set(writable), subset(writable), "with");
  const patchGeneric = genericApplier(table, new Set(all), ops, "patch");
  const put = (mode: "with" | "patch") => (k: string) => {
    const op = ops[k]!;
    if (op.nested === undefined) return op.put;
    const nested = op.nested;
    return (out: V, x: unknown): V => op.put(out, (isPatchObject(x) ? nested()[mode](op.get(out) as never, x as never) : x) as never);
  };
  return (
    compiledAppliers(writable, writable.map(put("with")), all, all.map(put("patch")), withGeneric, patchGeneric, initial) ?? {
      with: withGeneric,
      patch: patchGeneric,
      encode: (p: object) => patchGeneric(initial, p),
    }
  );
}

/**
 * `with`/`patch`/`encode` as straight-line code over the layout's field names, compiled once per
 * layout: `p["name"]` with a constant key is a named load V8 caches per call site, where any
 * generic walk over the caller's object (for…in, Object.keys, a loop of keyed loads) cost 40–120 ns
 * for two fields in the accessor benchmark against 2 ns. Each layout gets its own script, so the
 * calls inside (to the field setters, from encode to patch) each see one target, and the setters
 * are `const` bindings V8 can inline. Names reach the code only as JSON string literals. Where
 * code cannot be compiled at run time (a Content-Security-Policy without 'unsafe-eval'), the
 * generic path is used: same results and errors, slower.
 */
function compiledAppliers<V>(
  withNames: readonly string[],
  withPuts: readonly ((v: V, x: never) => V)[],
  patchNames: readonly string[],
  patchPuts: readonly ((v: V, x: never) => V)[],
  withGeneric: Apply<V>,
  patchGeneric: Apply<V>,
  initial: V,
): Appliers<V> | undefined {
  const body = (names: readonly string[], prefix: string, generic: string) => [
    `  if (typeof p !== "object" || p === null) return ${generic}(v, p);`,
    `  let out = v, x, seen = 0;`,
    ...names.map((n, i) => `  if ((x = p[${JSON.stringify(n)}]) !== undefined) { out = ${prefix}${i}(out, x); seen++; }`),
    // A key the layout does not have (or may not set): the generic path throws the precise error.
    // The count is a loop of this script's own rather than a call to definedKeys: V8 keeps what a
    // for…in has seen per function, and one function counting every layout's objects sees so many
    // shapes that its loop takes the slow generic path.
    `  for (const k in p) if (p[k] !== undefined && hasOwn.call(p, k)) seen--;`,
    `  return seen === 0 ? out : ${generic}(v, p);`,
  ];
  const consts = (n: number, prefix: string, list: string) => (n ? [`const ${Array.from({ length: n }, (_, i) => `${prefix}${i} = ${list}[${i}]`).join(", ")};`] : []);
  const source = [
    `"use strict";`,
    ...consts(withNames.length, "w", "withPuts"),
    ...consts(patchNames.length, "p", "patchPuts"),
    `function patch(v, p) {`,
    ...body(patchNames, "p", "patchGeneric"),
    `}`,
    `return {`,
    `  with: function (v, p) {`,
    ...body(withNames, "w", "withGeneric"),
    `  },`,
    `  patch,`,
    `  encode: function (p) { return patch(initial, p); },`,
    `};`,
  ].join("\n");
  try {
    const make = new Function("withPuts", "patchPuts", "withGeneric", "patchGeneric", "hasOwn", "initial", source);
    return make(withPuts, patchPuts, withGeneric, patchGeneric, Object.prototype.hasOwnProperty, initial) as Appliers<V>;
  } catch {
    return undefined;
  }
}

function genericApplier<V>(table: PatchTable<V>, allowed: ReadonlySet<string>, ops: Readonly<Record<string, Op<V>>>, mode: "with" | "patch"): (v: V, p: object) => V {
  // A Map, not the record: a lookup by a key of the caller's object is one hash probe, where a
  // keyed load on a record of closures goes megamorphic and a hasOwnProperty call adds another.
  const byName = new Map<string, Op<V>>(Object.entries(ops));
  return (v, p) => {
    if (typeof p !== "object" || p === null) return applyPatch(table, allowed, v, p);
    let out = v;
    for (const k in p) {
      const x = (p as Record<string, unknown>)[k];
      if (x === undefined) continue;
      const op = byName.get(k);
      // A key it does not know (or may not set): applyPatch starts again from v and throws the
      // error a field-by-field patch would, known fields' values checked in order first.
      if (op === undefined) return applyPatch(table, allowed, v, p);
      out = op.nested !== undefined && isPatchObject(x) ? op.put(out, op.nested()[mode](op.get(out) as never, x as never) as never) : op.put(out, x as never);
    }
    return out;
  };
}

type Info = Readonly<Record<string, unknown>>;

/**
 * The namespace object of a layout or register: the public facts `info` as they are, then the
 * fields and reserved ranges of `spec` and accessors built from the field positions.
 */
export function hwspecLayout<R>(info: Info, spec: ShapeSpec<number> | ShapeSpec<U64>): R {
  return shape(info, spec as ShapeSpec<unknown>) as R;
}

function shape<V>(info: Info, spec: ShapeSpec<V>): unknown {
  const name = info.name as string;
  const width = info.width as number;
  const out = build(info, spec, name, width);
  if (spec.effects) {
    const e = width > 32 ? effects64(spec.effects as EffectMasks<readonly [number, number]>) : effects32(spec.effects as EffectMasks<number>, width);
    out.applyWrite = e.applyWrite;
    out.applyRead = e.applyRead;
  }
  if (spec.array) {
    const { count, stride, base, what } = spec.array;
    const at = (i: number): number => (Number.isInteger(i) && i >= 0 && i < count ? base + i * stride : indexFail(name, i, count));
    out.count = count;
    out.stride = stride;
    if (what === "offsetOf") out.offsetOf = at;
    else out.indexOf = at;
  }
  return Object.freeze(out);
}

/** The namespace object as built: named stores only (see build). */
interface Out {
  [key: string]: unknown;
  applyWrite?: unknown;
  applyRead?: unknown;
  count?: number;
  stride?: number;
  offsetOf?: unknown;
  indexOf?: unknown;
}

function build<V>(info: Info, spec: ShapeSpec<V>, shapeName: string, width: number): Out {
  const wide = width > 32;
  const names = Object.keys(spec.fields);
  const fields: FieldInfo[] = names.map((name, i) => {
    const f = spec.fields[name]!;
    const access = typeof spec.access === "object" ? spec.access[i]! : (f.access ?? spec.access ?? (info.access as string));
    const out: Record<string, unknown> = { name, lsb: f.lsb, width: f.width, access };
    const members = f.enum ?? (spec.enums?.[name] as FieldSpec["enum"]);
    for (const k of ["reset", "const", "layout", "enum", "signed", "source"] as const) {
      const x = k === "enum" ? members && Object.freeze({ ...members }) : f[k];
      if (x !== undefined) out[k] = x;
    }
    return out as unknown as FieldInfo;
  });
  const ops: Record<string, Op<V>> = {};
  const get: Record<string, Get<V>> = {};
  const MASK: Record<string, V> = {};
  const SHIFT: Record<string, number> = {};
  for (const name of names) {
    const f = spec.fields[name]!;
    const members = spec.enums?.[name];
    const target = `${shapeName}.${name}`;
    let put: Put<V>;
    const fail = failure<V>(target, f.width, members, () => put);
    put = (wide ? setter64(f.lsb, f.width, fail as never) : setter32(f.lsb, f.width, fail as never)) as unknown as Put<V>;
    const g = (wide ? getter64(f.lsb, f.width) : getter32(f.lsb, f.width)) as Get<V>;
    const nested = spec.nested?.[name];
    ops[name] = nested ? { get: g, put, nested } : { get: g, put };
    get[name] = g;
    const m = (1n << BigInt(f.width)) - 1n;
    MASK[name] = (wide ? u64FromBigInt(m << BigInt(f.lsb)) : Number(m << BigInt(f.lsb))) as V;
    SHIFT[name] = f.lsb;
  }
  const set: Record<string, Put<V>> = {};
  for (const name of spec.writable) set[name] = ops[name]!.put;
  const initial = spec.initial ?? ((wide ? U64_ZERO : 0) as V);
  // Named stores, never Object.assign or computed keys: V8 turns an object that gets more than a
  // dozen properties by keyed stores into a dictionary, and a load from a dictionary-mode
  // namespace (`X.get`, `X.decode`) is neither constant-folded nor inlined, which made every
  // accessor call several times slower in the accessor benchmark.
  const out: Out = { ...info };
  out.fields = freezeAll(fields);
  out.reserved = freezeAll((spec.reserved ?? []).map((r) => (r.policy === undefined ? { lsb: r.lsb, width: r.width, ...spec.reservedAs } : { ...r })));
  if (spec.enums && Object.keys(spec.enums).length) out.enums = Object.freeze({ ...spec.enums });
  out.get = fast(get);
  out.set = fast(set);
  out.MASK = fast(MASK);
  out.SHIFT = fast(SHIFT);
  out.decode = spec.decode;
  // Made on first use, so importing a module of thousands of registers compiles nothing. Getters
  // rather than a shared forwarding function: the caller's own call site (`X.with(v, p)`) then
  // sees this layout's function alone and V8 inlines it, where one forwarder shared by every
  // layout sees many targets and inlines none (2–3× slower in the accessor benchmark).
  let made: Appliers<V> | undefined;
  const ready = (): Appliers<V> => (made = appliers(shapeName, ops, spec.writable, initial));
  Object.defineProperty(out, "with", { enumerable: true, get: () => (made ?? ready()).with });
  Object.defineProperty(out, "patch", { enumerable: true, get: () => (made ?? ready()).patch });
  Object.defineProperty(out, "encode", { enumerable: true, get: () => (made ?? ready()).encode });
  out.fromBigInt = wide ? (x: bigint) => u64FromBigInt(x, width) : (x: bigint) => u32FromBigInt(x, width);
  out.toBigInt = wide ? (v: U64) => u64ToBigInt(v) : (v: number) => BigInt(v >>> 0);
  out.parse = wide ? (text: string) => u64FromBigInt(parseUnsigned(text, width), width) : (text: string) => u32FromBigInt(parseUnsigned(text, width), width);
  out.format = wide ? (v: U64) => formatHex(u64ToBigInt(v), width) : (v: number) => formatHex(BigInt(v >>> 0), width);
  return out;
}

/**
 * A frozen record of fields by name with fast properties. Its keys are known only at run time, so
 * it is built by keyed stores, which past a dozen keys make a dictionary; an object literal from
 * JSON.parse of the keys has fast properties (a map per key set), and the values go in after.
 */
function fast<T>(record: Readonly<Record<string, T>>): Readonly<Record<string, T>> {
  const keys = Object.keys(record);
  const out = JSON.parse("{" + keys.map((k) => JSON.stringify(k) + ":0").join(",") + "}") as Record<string, T>;
  for (const k of keys) out[k] = record[k]!;
  return Object.freeze(out);
}

function effects32(e: EffectMasks<number>, width: number) {
  const all = ones(width);
  const { store = 0, once = 0, w1c = 0, w1s = 0, w0c = 0, w0s = 0, w1t = 0, wc = 0, ws = 0, rc = 0, rs = 0, readZero = 0, fixedMask = 0, fixedValue = 0 } = e;
  return {
    applyWrite: (old: number, w: number, l: number = all, d: number = 0): number => merge(old, w, l, d, store, once, w1c, w1s, w0c, w0s, w1t, wc, ws, fixedMask, fixedValue) >>> 0,
    applyRead: (s: number, l: number = all): { value: number; next: number } => ({
      value: ((s & ~(readZero | fixedMask)) | fixedValue) >>> 0,
      next: ((s & ~(l & rc)) | (l & rs)) >>> 0,
    }),
  };
}

function effects64(e: EffectMasks<readonly [number, number]>) {
  const z: readonly [number, number] = [0, 0];
  const { store = z, once = z, w1c = z, w1s = z, w0c = z, w0s = z, w1t = z, wc = z, ws = z, rc = z, rs = z, readZero = z, fixedMask = z, fixedValue = z } = e;
  const word = (old: number, w: number, l: number, d: number, i: 0 | 1) =>
    merge(old, w, l, d, store[i], once[i], w1c[i], w1s[i], w0c[i], w0s[i], w1t[i], wc[i], ws[i], fixedMask[i], fixedValue[i]);
  return {
    applyWrite: (old: U64, w: U64, l: U64 = U64_ONES, d: U64 = U64_ZERO): U64 => u64(word(old.lo, w.lo, l.lo, d.lo, 0), word(old.hi, w.hi, l.hi, d.hi, 1)),
    applyRead: (s: U64, l: U64 = U64_ONES): { value: U64; next: U64 } => ({
      value: u64((s.lo & ~(readZero[0] | fixedMask[0])) | fixedValue[0], (s.hi & ~(readZero[1] | fixedMask[1])) | fixedValue[1]),
      next: u64((s.lo & ~(l.lo & rc[0])) | (l.lo & rs[0]), (s.hi & ~(l.hi & rc[1])) | (l.hi & rs[1])),
    }),
  };
}

/** One 32-bit word of a write: the merge every target prints from the same masks. */
function merge(
  old: number, w: number, l: number, d: number,
  store: number, once: number, w1c: number, w1s: number, w0c: number, w0s: number, w1t: number, wc: number, ws: number, fixedMask: number, fixedValue: number,
): number {
  let v = (old & ~(l & store)) | (w & l & store);
  v = (v & ~(l & once & ~d)) | (w & l & once & ~d);
  v &= ~(w & l & w1c);
  v |= w & l & w1s;
  v &= ~(~w & l & w0c);
  v |= ~w & l & w0s;
  v ^= w & l & w1t;
  v &= ~(l & wc);
  v |= l & ws;
  return (v & ~fixedMask) | fixedValue;
}

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
