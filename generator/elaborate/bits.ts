/** All-ones value of `width` bits. */
export const ones = (width: number): bigint => (1n << BigInt(width)) - 1n;

/** Mask of bits [lsb, lsb + width). */
export const bitMask = (lsb: number, width: number): bigint => ones(width) << BigInt(lsb);

/** Bit ranges as specs write them, "hi:lo" or "n" for one bit: the one spelling every target prints. */
export function bitsText(lsb: number, width: number): string {
  return width === 1 ? `${lsb}` : `${lsb + width - 1}:${lsb}`;
}
