import type { Diagnostics, Loc } from "../../diagnostics.ts";

/** Who claimed an identifier: the spec item that gives rise to it, or (no `loc`) the generator itself. */
export interface Claim {
  what: string;
  loc?: Loc;
}

/**
 * One namespace of one target (a TS module, the global C namespace): the first claim of an
 * identifier wins, a second one is a located error naming both. Back ends then print exactly the
 * identifiers claimed here, so accepted output cannot redeclare a name.
 */
export class IdentifierScope {
  private readonly claims = new Map<string, Claim>();

  constructor(
    private readonly target: string,
    private readonly d: Diagnostics,
    /** How a user resolves a collision in this namespace, appended to the message. */
    private readonly hint = "",
  ) {}

  claim(id: string, what: string, loc: Loc): void {
    const prior = this.claims.get(id);
    if (!prior) {
      this.claims.set(id, { what, loc });
      return;
    }
    const where = prior.loc ? ` (${prior.loc.file}:${prior.loc.line}:${prior.loc.col})` : "";
    this.d.error(loc, `${what} needs the ${this.target} identifier "${id}", already taken by ${prior.what}${where}${this.hint}`);
  }

  /** Identifiers the generator itself declares or uses; reserved first, so a collision is reported at the spec's item. */
  reserve(ids: Iterable<string>, what: string): void {
    for (const id of ids) if (!this.claims.has(id)) this.claims.set(id, { what });
  }

  has(id: string): boolean {
    return this.claims.has(id);
  }
}
