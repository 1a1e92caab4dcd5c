/**
 * The support module specialises a field's setter and getter by its position (in the low half, in
 * the high half, across bit 32, wider than 32 bits, the whole word). Every position is checked
 * against BigInt arithmetic: set, get, with and patch agree with the mask-and-shift definition,
 * and a value that does not fit is a HwspecRangeError naming the field, whatever the position.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HwspecRangeError, hwspecLayout, u64FromBigInt, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";

interface OneField {
  get: { f(v: unknown): unknown };
  set: { f(v: unknown, x: unknown): unknown };
  with(v: unknown, p: object): unknown;
  patch(v: unknown, p: object): unknown;
  toBigInt(v: unknown): bigint;
}

function layout(width: 32 | 64, lsb: number, fieldWidth: number): OneField {
  return hwspecLayout<OneField>(
    { name: "t", width },
    { fields: { f: { lsb, width: fieldWidth } }, access: "rw", writable: ["f"], decode: () => ({}) },
  );
}

/** A position inside a word of `width` bits: every lsb, every width that fits there. */
const position = (width: 32 | 64) =>
  fc.integer({ min: 0, max: width - 1 }).chain((lsb) => fc.record({ lsb: fc.constant(lsb), width: fc.integer({ min: 1, max: width - lsb }) }));

const ones = (n: number) => (1n << BigInt(n)) - 1n;

/** A field value as its setter takes it: boolean for one bit, number up to 32 bits, U64 above. */
const asInput = (x: bigint, width: number): unknown => (width === 1 ? x === 1n : width <= 32 ? Number(x) : u64FromBigInt(x));

const wordOf = (word: 32 | 64, v: bigint): unknown => (word === 64 ? u64FromBigInt(v) : Number(v));

/** A value of the word and a field value, the latter biased to the edges (0, all ones, one high bit). */
const valueAndField = (word: 32 | 64, fieldWidth: number) =>
  fc.tuple(
    fc.bigInt({ min: 0n, max: ones(word) }),
    fc.oneof(fc.bigInt({ min: 0n, max: ones(fieldWidth) }), fc.constantFrom(0n, ones(fieldWidth), 1n << BigInt(fieldWidth - 1))),
  );

describe("field setters and getters at every position", () => {
  for (const word of [32, 64] as const) {
    it(`agree with BigInt arithmetic in a ${word}-bit word`, () => {
      fc.assert(
        fc.property(
          position(word).chain((p) => fc.tuple(fc.constant(p), valueAndField(word, p.width))),
          ([{ lsb, width }, [v, x]]) => {
            const t = layout(word, lsb, width);
            const mask = ones(width) << BigInt(lsb);
            const want = (v & ~mask) | (x << BigInt(lsb));
            const start = wordOf(word, v);
            expect(t.toBigInt(t.set.f(start, asInput(x, width)))).toBe(want);
            expect(t.toBigInt(t.with(start, { f: asInput(x, width) }))).toBe(want);
            expect(t.toBigInt(t.patch(start, { f: asInput(x, width) }))).toBe(want);
            const got = t.get.f(wordOf(word, want));
            expect(width === 1 ? got === (x === 1n) : width <= 32 ? got === Number(x) : u64ToBigInt(got as U64) === x).toBe(true);
          },
        ),
        { numRuns: 3000 },
      );
    });

    it(`refuse what does not fit, in a ${word}-bit word`, () => {
      fc.assert(
        fc.property(position(word), ({ lsb, width }) => {
          const t = layout(word, lsb, width);
          const bad: unknown[] =
            width === 1
              ? [1, 0, "1", null]
              : width <= 32
                ? [-1, 0.5, "1", null, { lo: 1, hi: 0 }, ...(width < 32 ? [2 ** width] : [2 ** 32])]
                : [
                    5,
                    null,
                    { lo: -1, hi: 0 },
                    { lo: 0.5, hi: 0 },
                    { lo: 2 ** 32, hi: 0 },
                    { lo: 0, hi: -1 },
                    { lo: 0 },
                    ...(width < 64 ? [{ lo: 0, hi: 2 ** (width - 32) }] : [{ lo: 0, hi: 2 ** 32 }]),
                  ];
          for (const x of bad) {
            const start = wordOf(word, 0n);
            expect(() => t.set.f(start, x)).toThrow(HwspecRangeError);
            expect(() => t.with(start, { f: x })).toThrow(/^t\.f: /);
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
