import { escapePointerToken, type Loc } from "../diagnostics.ts";

/** Where an imported spec's items are written in the imported file, looked up by JSON pointer. */
export interface LocLookup {
  get(pointer: string): Loc | undefined;
}

/**
 * Positions by JSON pointer, recorded as the parts of each pointer and made into pointers only when
 * one is first looked up. An import records a few positions for each of tens of thousands of
 * fields and looks them up only for a diagnostic; building and hashing every pointer string up
 * front was most of the cost of writing the specs.
 */
export class SpecLocs implements LocLookup {
  /** Flat records of four: prefix, token (escaped when the map is built), suffix, position. */
  private pending: (string | Loc)[] = [];
  private map: Map<string, Loc> | undefined;

  /** The position of `pointer`. */
  set(pointer: string, loc: Loc): void {
    this.at(pointer, "", "", loc);
  }

  /** The position of `prefix` + the escaped `token` + `suffix` (e.g. `/registers/A/fields/` + `F` + `/bits`). */
  at(prefix: string, token: string, suffix: string, loc: Loc): void {
    if (this.map) this.map.set(prefix + escapePointerToken(token) + suffix, loc);
    else this.pending.push(prefix, token, suffix, loc);
  }

  get(pointer: string): Loc | undefined {
    return this.built().get(pointer);
  }

  /** Moves the position of `from` and of everything below it to `to` (an item renamed after it was written). */
  move(from: string, to: string): void {
    const map = this.built();
    for (const [k, v] of [...map]) {
      if (k !== from && !k.startsWith(`${from}/`)) continue;
      map.delete(k);
      map.set(to + k.slice(from.length), v);
    }
  }

  private built(): Map<string, Loc> {
    if (this.map) return this.map;
    const map = new Map<string, Loc>();
    const p = this.pending;
    // Later records win, as later sets of a Map do.
    for (let i = 0; i < p.length; i += 4) {
      const token = p[i + 1] as string;
      map.set((p[i] as string) + (token ? escapePointerToken(token) : "") + (p[i + 2] as string), p[i + 3] as Loc);
    }
    this.pending = [];
    this.map = map;
    return map;
  }
}
