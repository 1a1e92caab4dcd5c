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
  return {
    at: (ptr) => nearest(values, ptr),
    keyAt: (ptr) => nearest(keys, ptr),
  };
}

/** Where a lazy location keeps the position it found, once its line or column is read (not enumerable, so never spread or printed). */
const FOUND = Symbol("found");

type LazyLoc = Loc & { [FOUND]?: Loc };

/**
 * `locator` over position tables made by `positions` when a location's line or column is first
 * read. The locations handed out are plain objects (own enumerable `file`, `line`, `col`,
 * `pointer`, so spreading and printing them work as for any Loc) whose line and column are getters.
 * The getters are shared by every location of a file and read the pointer from the object: a
 * getter pair made per location cost about 800 bytes each, and a large tree hands out one per field.
 */
export function lazyLocator(
  file: string,
  positions: () => {
    values: Map<string, Position>;
    keys: Map<string, Position>;
  },
): Pick<SpecSource, "at" | "keyAt"> {
  let found: Pick<SpecSource, "at" | "keyAt"> | undefined;
  const eager = () => {
    if (!found) {
      const p = positions();
      found = locator(file, p.values, p.keys);
    }
    return found;
  };
  const accessors = (key: boolean): PropertyDescriptorMap => {
    const get = (o: LazyLoc): Loc => {
      let hit = o[FOUND];
      if (!hit) {
        hit = key ? eager().keyAt(o.pointer) : eager().at(o.pointer);
        Object.defineProperty(o, FOUND, { value: hit });
      }
      return hit;
    };
    return {
      line: {
        get: function (this: LazyLoc) {
          return get(this).line;
        },
        enumerable: true,
        configurable: true,
      },
      col: {
        get: function (this: LazyLoc) {
          return get(this).col;
        },
        enumerable: true,
        configurable: true,
      },
    };
  };
  const ofValue = accessors(false);
  const ofKey = accessors(true);
  const lazy = (pointer: string, key: boolean): Loc => {
    const o = { file } as LazyLoc;
    Object.defineProperties(o, key ? ofKey : ofValue);
    o.pointer = pointer;
    return o;
  };
  return { at: (ptr) => lazy(ptr, false), keyAt: (ptr) => lazy(ptr, true) };
}

export { childPointer };
