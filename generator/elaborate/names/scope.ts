import type { Diagnostics, Loc } from "../../diagnostics.ts";
import { IdTable } from "./id-table.ts";

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
  /** Every identifier claimed, numbered in claim order (a large tree claims about a million). */
  private readonly taken = new IdTable();
  /** Per claimed identifier, by its number: what claimed it and where, read only to report a collision. */
  private readonly whats: What[] = [];
  private readonly locs: (Loc | undefined)[] = [];

  constructor(
    private readonly target: string,
    private readonly d: Diagnostics,
    /** How a user resolves a collision in this namespace, appended to the message. */
    private readonly hint = "",
  ) {}

  claim(id: string, what: What, loc: Loc): void {
    const prior = this.taken.add(id);
    if (prior < 0) {
      this.whats.push(what);
      this.locs.push(loc);
      return;
    }
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
      if (this.taken.add(id) >= 0) continue;
      this.whats.push(what);
      this.locs.push(undefined);
    }
  }

  has(id: string): boolean {
    return this.taken.indexOf(id) >= 0;
  }
}
