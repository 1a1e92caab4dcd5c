import type { Diagnostics, Loc } from "../../diagnostics.ts";

/**
 * A claim's description, or a function that makes it: the text is only read when a second claim
 * of the same identifier is reported, and a large tree claims millions of identifiers.
 */
export type What = string | (() => string);

/** Who claimed an identifier: the spec item that gives rise to it, or (no `loc`) the generator itself. */
export interface Claim {
  what: What;
  loc?: Loc;
}

const text = (w: What): string => (typeof w === "string" ? w : w());

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

  claim(id: string, what: What, loc: Loc): void {
    const prior = this.claims.get(id);
    if (!prior) {
      this.claims.set(id, { what, loc });
      return;
    }
    const where = prior.loc ? ` (${prior.loc.file}:${prior.loc.line}:${prior.loc.col})` : "";
    this.d.error(loc, `${text(what)} needs the ${this.target} identifier "${id}", already taken by ${text(prior.what)}${where}${this.hint}`);
  }

  /** Identifiers the generator itself declares or uses; reserved first, so a collision is reported at the spec's item. */
  reserve(ids: Iterable<string>, what: string): void {
    for (const id of ids) if (!this.claims.has(id)) this.claims.set(id, { what });
  }

  has(id: string): boolean {
    return this.claims.has(id);
  }
}
