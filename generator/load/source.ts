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

/**
 * `locator` over position tables made by `positions` when a location's line or column is first
 * read. The locations handed out are plain objects (own enumerable `file`, `line`, `col`,
 * `pointer`, so spreading and printing them work as for any Loc) whose line and column are getters.
 */
export function lazyLocator(file: string, positions: () => { values: Map<string, Position>; keys: Map<string, Position> }): Pick<SpecSource, "at" | "keyAt"> {
  let found: Pick<SpecSource, "at" | "keyAt"> | undefined;
  const eager = () => {
    if (!found) {
      const p = positions();
      found = locator(file, p.values, p.keys);
    }
    return found;
  };
  const lazy = (pointer: string, key: boolean): Loc => {
    let hit: Loc | undefined;
    const get = () => (hit ??= key ? eager().keyAt(pointer) : eager().at(pointer));
    return {
      file,
      get line() {
        return get().line;
      },
      get col() {
        return get().col;
      },
      pointer,
    };
  };
  return { at: (ptr) => lazy(ptr, false), keyAt: (ptr) => lazy(ptr, true) };
}

export { childPointer };
