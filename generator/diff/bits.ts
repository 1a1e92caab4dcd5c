/** The TypeScript value type the generated accessors use for a field of this width. */
export function tsValueType(width: number, nested: boolean): string {
  if (nested) return "nested layout";
  return width === 1 ? "boolean" : width <= 32 ? "number" : "U64";
}
