import { childPointer, type Loc } from "../diagnostics.ts";

/** A spec file after parsing: plain JSON value plus the position of every node by JSON pointer. */
export interface SpecSource {
  /** Path as shown in diagnostics (relative to the specs root's parent, with forward slashes). */
  file: string;
  /** Path relative to the specs root, e.g. "x86/vmx-msrs.json". */
  rel: string;
  text: string;
  json: unknown;
  /** Position of the value at `pointer`; for a missing pointer, the nearest existing ancestor. */
  at(pointer: string): Loc;
  /** Position of the key of the member at `pointer` (falls back to the value). */
  keyAt(pointer: string): Loc;
  /** Set on the spec an overlay makes: the base it extends, and where the overlay says so. */
  extends?: { name: string; loc: Loc };
}

export interface Position {
  line: number;
  col: number;
}

export function locator(
  file: string,
  values: Map<string, Position>,
  keys: Map<string, Position>,
): Pick<SpecSource, "at" | "keyAt"> {
  const nearest = (map: Map<string, Position>, pointer: string): Loc => {
    let p = pointer;
    for (;;) {
      const hit = map.get(p) ?? values.get(p);
      if (hit) return { file, line: hit.line, col: hit.col, pointer };
      if (p === "") return { file, line: 1, col: 1, pointer };
      p = p.slice(0, p.lastIndexOf("/"));
    }
  };
  return { at: (ptr) => nearest(values, ptr), keyAt: (ptr) => nearest(keys, ptr) };
}

export { childPointer };
