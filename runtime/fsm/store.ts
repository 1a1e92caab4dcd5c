/**
 * The visited set of a search: packed states in typed arrays, numbered 0, 1, 2 ... in insertion
 * order, an open-addressing hash set over their words, and per state its parent and the move that
 * reached it (so breadth-first ids give shortest traces). No strings and no object per state: a
 * state of `words` words costs 4·words bytes, 4 for the parent, 2 or 4 for the move, and 8–16
 * in the hash table (one word per entry, load between 1/4 and 1/2).
 *
 * Storage grows in fixed chunks, so adding a state never copies the states already stored, and
 * every allocation is measured against `maxBytes` first: when the next one would pass it, `add`
 * refuses (returns FULL) instead of letting the process run out of memory.
 */

/** `add` refused the state: storing it would pass `maxBytes` (or the id space is used up). */
export const FULL = -2;
/** `find` did not find the state. */
export const ABSENT = -1;

const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
/**
 * A table entry is one word: id + 1 above TAG_BITS bits of the state's hash (0: empty). The tag
 * rules out most unequal states without reading them; the low hash bits it takes are not the
 * ones that pick the slot.
 */
const TAG_BITS = 5;
const TAG_MASK = (1 << TAG_BITS) - 1;
const MAX_STATES = 2 ** (32 - TAG_BITS) - 2;
const INITIAL_TABLE = 1 << 12;

export interface StoreOptions {
  /** Bytes the store may allocate in all (default: unbounded). */
  maxBytes?: number;
  /** Keep parent links and moves (default true). */
  parents?: boolean;
  /** Largest move number + 1 that `add` will be given (sizes the move array: 2 bytes below 65536). */
  moves?: number;
}

/** 32-bit FNV-style mixing of the words, finished with murmur3's avalanche. */
function hashWords(w: Uint32Array, off: number, n: number): number {
  let h = 0x811c9dc5 ^ n;
  for (let i = 0; i < n; i++) {
    h = Math.imul(h ^ w[off + i]!, 0x01000193);
    h ^= h >>> 13;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class StateStore {
  /** States stored. Ids are 0 .. count - 1 in the order they were added. */
  count = 0;
  private readonly chunks: Uint32Array[] = [];
  private readonly parentChunks: Int32Array[] = [];
  private readonly moveChunks: (Uint16Array | Uint32Array)[] = [];
  private table: Uint32Array = new Uint32Array(INITIAL_TABLE);
  private tableMask = INITIAL_TABLE - 1;
  private allocated = INITIAL_TABLE * 4;
  private readonly maxBytes: number;
  private readonly withParents: boolean;
  private readonly wideMoves: boolean;
  /** Where the last unsuccessful `find` stopped, for the `add` that follows it. */
  private probeSlot = -1;
  private probeHash = 0;

  constructor(
    readonly words: number,
    options: StoreOptions = {},
  ) {
    if (!(Number.isInteger(words) && words > 0)) throw new RangeError(`a state has at least one word, got ${words}`);
    this.maxBytes = options.maxBytes ?? Infinity;
    this.withParents = options.parents ?? true;
    this.wideMoves = (options.moves ?? 0) > 0xffff;
  }

  /** Bytes of typed arrays the store holds now. */
  get bytes(): number {
    return this.allocated;
  }

  /** Bytes per added chunk of CHUNK states. */
  private chunkBytes(): number {
    return CHUNK * (this.words * 4 + (this.withParents ? 4 + (this.wideMoves ? 4 : 2) : 0));
  }

  /** The id of the state packed in `w[off .. off + words)`, or ABSENT. */
  find(w: Uint32Array, off = 0): number {
    const n = this.words;
    const h = hashWords(w, off, n);
    const tag = h & TAG_MASK;
    const table = this.table;
    const mask = this.tableMask;
    let i = h >>> TAG_BITS & mask;
    for (;;) {
      const e = table[i]!;
      if (e === 0) {
        this.probeSlot = i;
        this.probeHash = h;
        return ABSENT;
      }
      if ((e & TAG_MASK) === tag) {
        const id = (e >>> TAG_BITS) - 1;
        const chunk = this.chunks[id >>> CHUNK_BITS]!;
        const base = (id & (CHUNK - 1)) * n;
        let k = 0;
        while (k < n && chunk[base + k] === w[off + k]) k++;
        if (k === n) return id;
      }
      i = (i + 1) & mask;
    }
  }

  /**
   * Adds the state in `w` with its parent id and move; returns its id, or FULL when the memory
   * bound refuses it. `w` must not be stored yet; `add` reuses the probe of the `find` that said
   * so when there was one just before.
   */
  add(w: Uint32Array, parent = -1, move = 0, off = 0): number {
    const id = this.count;
    if (id >= MAX_STATES) return FULL;
    if ((id & (CHUNK - 1)) === 0 && !this.grow(id >>> CHUNK_BITS)) return FULL;
    // Keep the load at most 1/2; after doubling, the probe of the last find is stale.
    if ((id + 1) * 2 > this.table.length) {
      if (!this.rehash()) return FULL;
      this.probeSlot = -1;
    }
    if (this.probeSlot < 0 || this.probeHash !== hashWords(w, off, this.words)) {
      if (this.find(w, off) !== ABSENT) throw new Error("StateStore.add: the state is already stored");
    }
    const n = this.words;
    const chunk = this.chunks[id >>> CHUNK_BITS]!;
    const base = (id & (CHUNK - 1)) * n;
    for (let k = 0; k < n; k++) chunk[base + k] = w[off + k]!;
    if (this.withParents) {
      this.parentChunks[id >>> CHUNK_BITS]![id & (CHUNK - 1)] = parent;
      this.moveChunks[id >>> CHUNK_BITS]![id & (CHUNK - 1)] = move;
    }
    this.table[this.probeSlot] = (((id + 1) << TAG_BITS) | (this.probeHash & TAG_MASK)) >>> 0;
    this.probeSlot = -1;
    this.count = id + 1;
    return id;
  }

  /** Copies state `id` into `out[off ..]`. */
  read(id: number, out: Uint32Array, off = 0): void {
    const n = this.words;
    const chunk = this.chunks[id >>> CHUNK_BITS]!;
    const base = (id & (CHUNK - 1)) * n;
    for (let k = 0; k < n; k++) out[off + k] = chunk[base + k]!;
  }

  /** The chunk holding state `id` and the offset of its first word: reading without a copy. */
  locate(id: number): { words: Uint32Array; offset: number } {
    return { words: this.chunkOf(id), offset: this.offsetOf(id) };
  }

  /** The words array holding state `id` (see `offsetOf`); for loops that must not allocate. */
  chunkOf(id: number): Uint32Array {
    return this.chunks[id >>> CHUNK_BITS]!;
  }

  /** Where state `id` starts in `chunkOf(id)`. */
  offsetOf(id: number): number {
    return (id & (CHUNK - 1)) * this.words;
  }

  /** Parent id of `id` (-1 for a root). */
  parent(id: number): number {
    return this.withParents ? this.parentChunks[id >>> CHUNK_BITS]![id & (CHUNK - 1)]! : -1;
  }

  /** The move recorded with `id` (meaningless for a root). */
  move(id: number): number {
    return this.withParents ? this.moveChunks[id >>> CHUNK_BITS]![id & (CHUNK - 1)]! : 0;
  }

  private fits(bytes: number): boolean {
    return this.allocated + bytes <= this.maxBytes;
  }

  private grow(c: number): boolean {
    const bytes = this.chunkBytes();
    if (!this.fits(bytes)) return false;
    try {
      this.chunks[c] = new Uint32Array(CHUNK * this.words);
      if (this.withParents) {
        this.parentChunks[c] = new Int32Array(CHUNK);
        this.moveChunks[c] = this.wideMoves ? new Uint32Array(CHUNK) : new Uint16Array(CHUNK);
      }
    } catch (e) {
      // The system said no before the bound did: the same answer, not a crash.
      if (e instanceof RangeError) return false;
      throw e;
    }
    this.allocated += bytes;
    return true;
  }

  /**
   * Doubles the table. The states are hashed again in id order, which reads them sequentially;
   * the old and the new table both exist meanwhile, so both count against the bound.
   */
  private rehash(): boolean {
    const size = this.table.length * 2;
    if (!this.fits(size * 4)) return false;
    let next: Uint32Array;
    try {
      next = new Uint32Array(size);
    } catch (e) {
      if (e instanceof RangeError) return false;
      throw e;
    }
    const mask = size - 1;
    const n = this.words;
    for (let id = 0; id < this.count; id++) {
      const h = hashWords(this.chunks[id >>> CHUNK_BITS]!, (id & (CHUNK - 1)) * n, n);
      let i = (h >>> TAG_BITS) & mask;
      while (next[i] !== 0) i = (i + 1) & mask;
      next[i] = (((id + 1) << TAG_BITS) | (h & TAG_MASK)) >>> 0;
    }
    this.allocated += size * 4 - this.table.length * 4;
    this.table = next;
    this.tableMask = mask;
    return true;
  }
}
