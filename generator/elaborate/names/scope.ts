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
 *
 * An identifier may be claimed as two parts (`claimJoined`, `head + tail`), and is then never
 * built as a string: a large tree's C namespace holds about half a million identifiers, each of
 * them a concatenation the header would spell (`<REG>_<FIELD>_SHIFT`), and building, hashing and
 * keeping those strings was most of the front end's name checking. The table is keyed by two
 * hashes of the characters; identifiers whose hashes agree are compared as strings, so the
 * verdicts are exactly those of a set of strings.
 */
export class IdentifierScope {
  /** The claims in order, parallel arrays rather than an object each. */
  private readonly heads: string[] = [];
  private readonly tails: string[] = [];
  private readonly whats: What[] = [];
  private readonly locs: (Loc | undefined)[] = [];
  /** The second hash of each claim (small integers, so the array stays unboxed). */
  private readonly second: number[] = [];
  /**
   * Open addressing, two numbers a slot: the first hash and the claim's index + 1 (0: empty); at
   * most half the slots are used. Keeping the hash in the slot spares a probe a second memory access.
   * A typed array: 4 bytes a number rather than 8, and zeroed by the allocator rather than filled
   * (for 10,000 registers the table is millions of slots, and its size in cache decides the cost).
   */
  private slots: Int32Array;

  constructor(
    private readonly target: string,
    private readonly d: Diagnostics,
    /** How a user resolves a collision in this namespace, appended to the message. */
    private readonly hint = "",
    /** About how many identifiers will be claimed, so a large namespace is not rehashed as it grows. */
    expected = 8,
  ) {
    let n = 16;
    while (n < 2 * expected) n *= 2;
    this.slots = new Int32Array(2 * n);
  }

  claim(id: string, what: What, loc: Loc): void {
    this.claimJoined(id, "", what, loc);
  }

  /** Claims the identifier `head + tail` without building it. */
  claimJoined(head: string, tail: string, what: What, loc: Loc): void {
    const prior = this.add(head, tail, what, loc);
    if (prior < 0) return;
    const at = this.locs[prior];
    const where = at ? ` (${at.file}:${at.line}:${at.col})` : "";
    this.d.error(
      loc,
      `${text(what)} needs the ${this.target} identifier "${head + tail}", already taken by ${text(this.whats[prior]!)}${where}${this.hint}`,
    );
  }

  /** Identifiers the generator itself declares or uses; reserved first, so a collision is reported at the spec's item. */
  reserve(ids: Iterable<string>, what: string): void {
    for (const id of ids) this.add(id, "", what, undefined);
  }

  has(id: string): boolean {
    return this.find(id, "", hash1(id, ""), hash2(id, "")) >= 0;
  }

  /**
   * Each identifier claimed at a spec item, with that item's file (reservations have none), in
   * claim order. Complete only while no claim has collided, the one case a caller asks.
   */
  eachClaim(fn: (id: string, file: string) => void): void {
    for (let i = 0; i < this.heads.length; i++) {
      const at = this.locs[i];
      if (at) fn(this.heads[i]! + this.tails[i]!, at.file);
    }
  }

  /** Records a new identifier and gives -1, or gives the index of the claim that already holds it. */
  private add(head: string, tail: string, what: What, loc: Loc | undefined): number {
    const a = hash1(head, tail);
    const b = hash2(head, tail);
    const prior = this.find(head, tail, a, b);
    if (prior >= 0) return prior;
    const n = this.heads.length;
    this.heads.push(head);
    this.tails.push(tail);
    this.whats.push(what);
    this.locs.push(loc);
    this.second.push(b);
    if (4 * (n + 1) > this.slots.length) this.rehash();
    this.place(a, n);
    return -1;
  }

  private find(head: string, tail: string, a: number, b: number): number {
    const slots = this.slots;
    const mask = slots.length - 2;
    for (let i = (a << 1) & mask; ; i = (i + 2) & mask) {
      const k = slots[i + 1]! - 1;
      if (k < 0) return -1;
      if (slots[i] === a && this.second[k] === b && sameJoined(this.heads[k]!, this.tails[k]!, head, tail)) return k;
    }
  }

  private place(a: number, k: number): void {
    const slots = this.slots;
    const mask = slots.length - 2;
    let i = (a << 1) & mask;
    while (slots[i + 1] !== 0) i = (i + 2) & mask;
    slots[i] = a;
    slots[i + 1] = k + 1;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(2 * old.length);
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i]!, old[i + 1]! - 1);
  }
}

/**
 * Two hashes of the characters of `head + tail` (FNV-1a and a multiply-xorshift), each kept to 30
 * bits so it is a small integer; the first is finished so its low bits index the table.
 */
function hash1(head: string, tail: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < head.length; i++) h = Math.imul(h ^ head.charCodeAt(i), 0x01000193);
  for (let i = 0; i < tail.length; i++) h = Math.imul(h ^ tail.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) & 0x3fffffff;
}

function hash2(head: string, tail: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < head.length; i++) h = Math.imul(h + head.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
  for (let i = 0; i < tail.length; i++) h = Math.imul(h + tail.charCodeAt(i), 0x5bd1e995) ^ (h >>> 15);
  return h & 0x3fffffff;
}

/** Whether `a + b` and `c + d` are the same string, without building either. */
function sameJoined(a: string, b: string, c: string, d: string): boolean {
  if (a.length + b.length !== c.length + d.length) return false;
  if (a.length === c.length) return a === c && b === d;
  return a + b === c + d;
}
