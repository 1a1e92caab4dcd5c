import { reservedAsTsType, reservedIn, type TargetLanguage } from "./reserved-words.ts";

/**
 * The renaming rule of every target. A spec name that some target reserves is legal in the spec;
 * where it would become a bare identifier of that target, the identifier gets one `_` appended
 * (`delete` → `delete_` in TS, `int` → `int_` in C). Identifiers built from a name with a prefix
 * or a suffix (`delete_Fields`, `CTRL_INT_MASK`, `ctrl_get_int`, `v_len`) keep the spec's
 * spelling: no reserved word has that shape, and C++ reserves every identifier holding `__`, so
 * they are never built from an already renamed one. Strings (descriptors, error messages, docs)
 * always carry the spec's own name. A collision the renaming creates (`int` beside `int_`) is a
 * located error of the target's IdentifierScope.
 */
const renamed = (reserved: boolean, name: string): string => (reserved ? `${name}_` : name);

/** A spec name as a TS binding: `export const`, `function`, parameter. */
export const tsIdentifier = (name: string): string => renamed(reservedIn("TypeScript", name), name);

/** A spec name that is a TS value and a type at once (a machine enum). */
export const tsTypeIdentifier = (name: string): string => renamed(reservedAsTsType(name), name);

/** A spec name as a bare C identifier: union tag, struct member, object-like macro, function, parameter. */
export const cIdentifier = (name: string): string => renamed(reservedIn("C", name), name);

/** Appended to a claim's description when the identifier is a renamed one, so a collision message says why. */
export function renameNote(lang: TargetLanguage, name: string, id: string): string {
  return id === name ? "" : ` (renamed from "${name}", which ${lang} reserves)`;
}
