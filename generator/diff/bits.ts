/** Bit ranges as the specs write them: "hi:lo", or "n" for one bit. */
export function bitsText(lsb: number, width: number): string {
  return width === 1 ? `${lsb}` : `${lsb + width - 1}:${lsb}`;
}

/** The TypeScript value type the generated accessors use for a field of this width. */
export function tsValueType(width: number, nested: boolean): string {
  if (nested) return "nested layout";
  return width === 1 ? "boolean" : width <= 32 ? "number" : "U64";
}
