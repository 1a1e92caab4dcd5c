import type { Diagnostics, Loc } from "../../diagnostics.ts";

/** Who claimed an identifier: the spec item that gives rise to it, for a located message. */
export interface Claim {
  what: string;
  loc: Loc;
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
    this.d.error(loc, `${what} needs the ${this.target} identifier "${id}", already taken by ${prior.what} (${prior.loc.file}:${prior.loc.line}:${prior.loc.col})${this.hint}`);
  }

  has(id: string): boolean {
    return this.claims.has(id);
  }
}
