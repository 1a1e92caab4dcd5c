import type { Diagnostics, Loc } from "../../diagnostics.ts";

/**
 * A claim's description, or a function that makes it: the text is only read when a second claim
 * of the same identifier is reported, and a large tree claims millions of identifiers.
 */
export type What = string | (() => string);

const text = (w: What): string => (typeof w === "string" ? w : w());

/**
 * One namespace of one target (a TS module, the global C namespace): the first claim of an
 * identifier wins, a second one is a located error naming both. Back ends then print exactly the
 * identifiers claimed here, so accepted output cannot redeclare a name.
 */
export class IdentifierScope {
  /** Every identifier claimed: one hash-table operation per claim, the cost that grows with a tree. */
  private readonly taken = new Set<string>();
  /**
   * The claims in order, parallel arrays rather than an object each (a large tree claims about a
   * million identifiers, and an object per claim was most of the front end's garbage); searched
   * through `first` only when a collision is reported.
   */
  private readonly ids: string[] = [];
  private readonly whats: What[] = [];
  private readonly locs: (Loc | undefined)[] = [];
  private first: Map<string, number> | undefined;

  constructor(
    private readonly target: string,
    private readonly d: Diagnostics,
    /** How a user resolves a collision in this namespace, appended to the message. */
    private readonly hint = "",
  ) {}

  claim(id: string, what: What, loc: Loc): void {
    const before = this.taken.size;
    if (this.taken.add(id).size !== before) {
      this.record(id, what, loc);
      return;
    }
    const prior = this.priorClaim(id);
    const at = this.locs[prior];
    const where = at ? ` (${at.file}:${at.line}:${at.col})` : "";
    this.d.error(
      loc,
      `${text(what)} needs the ${this.target} identifier "${id}", already taken by ${text(this.whats[prior]!)}${where}${this.hint}`,
    );
  }

  /** Identifiers the generator itself declares or uses; reserved first, so a collision is reported at the spec's item. */
  reserve(ids: Iterable<string>, what: string): void {
    for (const id of ids) {
      const before = this.taken.size;
      if (this.taken.add(id).size !== before) this.record(id, what, undefined);
    }
  }

  has(id: string): boolean {
    return this.taken.has(id);
  }

  /**
   * Each identifier claimed at a spec item, with that item's file (reservations have none), in
   * claim order. Complete only while no claim has collided, the one case a caller asks.
   */
  eachClaim(fn: (id: string, file: string) => void): void {
    for (let i = 0; i < this.ids.length; i++) {
      const at = this.locs[i];
      if (at) fn(this.ids[i]!, at.file);
    }
  }

  private record(id: string, what: What, loc: Loc | undefined): void {
    if (this.first) this.first.set(id, this.whats.length);
    else this.ids.push(id);
    this.whats.push(what);
    this.locs.push(loc);
  }

  /** Where the first claim of `id` is, indexed on the first collision (a clean tree never builds the index). */
  private priorClaim(id: string): number {
    if (!this.first) {
      this.first = new Map();
      for (let i = 0; i < this.ids.length; i++) this.first.set(this.ids[i]!, i);
      this.ids.length = 0;
    }
    return this.first.get(id)!;
  }
}
