/**
 * A set of strings packed into typed arrays, each string numbered in the order it was first
 * added. A large tree claims about a million C identifiers: held in a Set, the strings, the
 * table and its rehash copies were a third of the front end's memory, all of it on the garbage
 * collected heap until the end of the run. Here they are a few flat buffers and no objects.
 */
export class IdTable {
  /** The strings' UTF-16 code units back to back; one byte each until a string needs more. */
  private chars: Uint8Array | Uint16Array = new Uint8Array(1 << 12);
  private used = 0;
  /** Where string i starts in `chars` (it ends where string i + 1 starts), and its hash. */
  private starts: Int32Array = new Int32Array(1 << 8);
  private hashes: Int32Array = new Int32Array(1 << 8);
  private count = 0;
  /** Open addressing over the hashes: string index + 1, 0 for an empty slot. */
  private slots = new Int32Array(1 << 9);

  get size(): number {
    return this.count;
  }

  /** The number of `s`, or -1 if it is not in the table. */
  indexOf(s: string): number {
    const h = hash(s);
    const mask = this.slots.length - 1;
    for (let at = h & mask; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!;
      if (slot === 0) return -1;
      if (this.hashes[slot - 1] === h && this.equals(slot - 1, s)) return slot - 1;
    }
  }

  /** Adds `s` unless it is there; returns the number of the equal string already there, or -1 when `s` was added. */
  add(s: string): number {
    const h = hash(s);
    const mask = this.slots.length - 1;
    let at = h & mask;
    for (; ; at = (at + 1) & mask) {
      const slot = this.slots[at]!;
      if (slot === 0) break;
      if (this.hashes[slot - 1] === h && this.equals(slot - 1, s)) return slot - 1;
    }
    this.append(s, h);
    this.slots[at] = this.count;
    // At most half full, so probes stay short.
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    return -1;
  }

  private equals(i: number, s: string): boolean {
    const start = this.starts[i]!;
    const end = i + 1 < this.count ? this.starts[i + 1]! : this.used;
    if (end - start !== s.length) return false;
    for (let k = 0; k < s.length; k++) if (this.chars[start + k] !== s.charCodeAt(k)) return false;
    return true;
  }

  private append(s: string, h: number): void {
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts, this.count * 2);
      this.hashes = grown(this.hashes, this.count * 2);
    }
    this.starts[this.count] = this.used;
    this.hashes[this.count] = h;
    this.count++;
    if (this.used + s.length > this.chars.length) {
      const next = this.chars instanceof Uint8Array ? new Uint8Array(Math.max(this.chars.length * 2, this.used + s.length)) : new Uint16Array(Math.max(this.chars.length * 2, this.used + s.length));
      next.set(this.chars.subarray(0, this.used));
      this.chars = next;
    }
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 0xff && this.chars instanceof Uint8Array) {
        const wide = new Uint16Array(this.chars.length);
        wide.set(this.chars.subarray(0, this.used + k));
        this.chars = wide;
      }
      this.chars[this.used + k] = c;
    }
    this.used += s.length;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < this.count; i++) {
      let at = this.hashes[i]! & mask;
      while (this.slots[at] !== 0) at = (at + 1) & mask;
      this.slots[at] = i + 1;
    }
  }
}

function grown(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** FNV-1a over the UTF-16 code units, its high bits folded in since slots are picked by the low ones. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < s.length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h ^ (h >>> 16);
}
