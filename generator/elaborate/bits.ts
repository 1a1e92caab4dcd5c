/** All-ones value of `width` bits. */
export const ones = (width: number): bigint => (1n << BigInt(width)) - 1n;

/** Mask of bits [lsb, lsb + width). */
export const bitMask = (lsb: number, width: number): bigint => ones(width) << BigInt(lsb);

/** Bit ranges as specs write them, "hi:lo" or "n" for one bit: the one spelling every target prints. */
export function bitsText(lsb: number, width: number): string {
  return width === 1 ? `${lsb}` : `${lsb + width - 1}:${lsb}`;
}

/**
 * Whether distinct in-range values of `members` name every value of a `width`-bit field. Counted
 * rather than trusted: elaboration runs before check refuses repeated or oversized values.
 */
export function namesEveryValue(members: readonly { value: bigint }[], width: number): boolean {
  if (!members.length || width > 16) return false;
  const distinct = new Set(members.filter((m) => m.value >= 0n && m.value <= ones(width)).map((m) => m.value));
  return BigInt(distinct.size) === ones(width) + 1n;
}

/** A `width`-bit field value read as two's complement (a signed field: 0b1111 in 4 bits is -1). */
export function twosComplement(value: bigint, width: number): bigint {
  return width > 0 && value >> BigInt(width - 1) === 1n ? value - (1n << BigInt(width)) : value;
}
