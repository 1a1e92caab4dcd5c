/**
 * Types of the expression language. There are no implicit conversions: a bool is never an
 * integer and an enum value only compares with values of the same enum.
 */

export interface BoolType {
  t: "bool";
}

/**
 * `width` is the storage width the value comes from (a field, a register); undefined marks an
 * unsized literal or constant. It chooses the machine word for a target, it is not a range proof.
 */
export interface IntType {
  t: "int";
  width?: number;
  signed?: boolean;
}

export interface EnumType {
  t: "enum";
  name: string;
  members: string[];
}

export type ExprType = BoolType | IntType | EnumType;

export const BOOL: BoolType = { t: "bool" };
export const UNSIZED: IntType = { t: "int" };

export function intType(width?: number, signed?: boolean): IntType {
  const t: IntType = { t: "int" };
  if (width !== undefined) t.width = width;
  if (signed) t.signed = true;
  return t;
}

/** How types read in messages: `bool`, `int`, `u32`, `s8`, `enum State`. */
export function formatType(type: ExprType): string {
  switch (type.t) {
    case "bool":
      return "bool";
    case "enum":
      return `enum ${type.name}`;
    case "int":
      return type.width === undefined ? "int" : `${type.signed ? "s" : "u"}${type.width}`;
  }
}

/** Same kind and, for enums, the same enum; integer widths may differ. */
export function sameKind(a: ExprType, b: ExprType): boolean {
  if (a.t !== b.t) return false;
  return a.t !== "enum" || (b.t === "enum" && a.name === b.name);
}
