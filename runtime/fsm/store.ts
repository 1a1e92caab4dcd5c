/**
 * The visited set of a search: packed states in typed arrays, numbered 0, 1, 2 ... in insertion
 * order, an open-addressing hash set over their words, and per state its parent and the move that
 * reached it (so breadth-first ids give shortest traces). No strings and no object per state: a
 * state of `words` words costs 4·words bytes, 4 for the parent, 2 or 4 for the move, and 12–24
 * in the hash table (two words per entry, load between 1/3 and 2/3).
 *
 * Storage grows in fixed chunks, so adding a state never copies the states already stored, and
 * every allocation is measured against `maxBytes` first: when the next one would pass it, `add`
 * refuses (returns FULL) instead of letting the process run out of memory.
 */

/** `add` refused the state: storing it would pass `maxBytes` (or the id space is used up). */
export const FULL = -2;
/** `find` did not find the state. */
export const ABSENT = -1;

/** States per chunk = 2^CHUNK_BITS: state `id` is word `(id mod 2^CHUNK_BITS) · words` of chunk `id >>> CHUNK_BITS`. */
export const CHUNK_BITS = 14;
const CHUNK = 1 << CHUNK_BITS;
/**
 * A table entry is two words: the state's whole hash and its id + 1 (0: empty). A slot of a table
 * of 2^k entries is picked by the top k bits of the hash, so the table is in hash order (up to
 * the runs of linear probing). That is what makes growing it cheap: the entries of the old table,
 * read in order, land in the new one in order, with no state read to hash it again; hashing
 * every state again in id order wrote the new table at random, one cache miss per state, and was
 * a seventh of a large search. The stored hash also rules out all but about one in 2^(32-k)
 * unequal states without reading them.
 */
/** Ids must fit the Int32 parent links. */
const MAX_STATES = 2 ** 31 - 2;
const INITIAL_BITS = 12;

export interface StoreOptions {
  /** Bytes the store may allocate in all (default: unbounded). */
  maxBytes?: number;
  /** Keep parent links and moves (default true). */
  parents?: boolean;
  /** Largest move number + 1 that `add` will be given (sizes the move array: 2 bytes below 65536). */
  moves?: number;
  /**
   * A bound shared with other stores (parallel searches): every allocation is also reserved
   * here, and refused when the shared total would pass its limit.
   */
  budget?: MemoryBudget;
  /**
   * Keep the states' words in shared memory and hand over each chunk as it is allocated (before
   * any state is written into it), so other threads can read stored states in place; a parallel
   * search's workers expand each other's states this way.
   */
  onChunk?: (index: number, words: Uint32Array<SharedArrayBuffer>) => void;
}

/** Bytes reserved by several stores against one limit (e.g. one per worker over shared memory). */
export interface MemoryBudget {
  /** Reserves `bytes`; false (nothing reserved) when that would pass the limit. */
  reserve(bytes: number): boolean;
  /** Gives back bytes reserved before. */
  release(bytes: number): void;
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
  /** Entry i: hash at 2i, id + 1 at 2i + 1. */
  private table: Uint32Array = new Uint32Array(2 << INITIAL_BITS);
  /** Entries in the table (a power of two) and the shift that takes a hash to its home slot. */
  private slots = 1 << INITIAL_BITS;
  private shift = 32 - INITIAL_BITS;
  private allocated = 8 << INITIAL_BITS;
  private readonly maxBytes: number;
  private readonly withParents: boolean;
  private readonly wideMoves: boolean;
  private readonly budget: MemoryBudget | undefined;
  private readonly onChunk: StoreOptions["onChunk"];
  /** Where the last unsuccessful `find` stopped, for the `add` that follows it. */
  private probeSlot = -1;
  private probeHash = 0;
  /** Ids from here on are refused: MAX_STATES, or 0 when a shared bound could not hold even the first table. */
  private readonly idLimit: number;

  constructor(
    readonly words: number,
    options: StoreOptions = {},
  ) {
    if (!(Number.isInteger(words) && words > 0)) throw new RangeError(`a state has at least one word, got ${words}`);
    this.maxBytes = options.maxBytes ?? Infinity;
    this.withParents = options.parents ?? true;
    this.wideMoves = (options.moves ?? 0) > 0xffff;
    this.budget = options.budget;
    this.onChunk = options.onChunk;
    // The first table counts against a shared bound like every later allocation.
    this.idLimit = !this.budget || this.budget.reserve(this.allocated) ? MAX_STATES : 0;
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
    const table = this.table;
    const mask = this.slots - 1;
    let i = h >>> this.shift;
    for (;;) {
      const e = table[2 * i + 1]!;
      if (e === 0) {
        this.probeSlot = i;
        this.probeHash = h;
        return ABSENT;
      }
      if (table[2 * i] === h) {
        const id = e - 1;
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
    if (id >= this.idLimit) return FULL;
    if ((id & (CHUNK - 1)) === 0 && !this.grow(id >>> CHUNK_BITS)) return FULL;
    // Keep the load at most 2/3; after growing, the probe of the last find is stale.
    if ((id + 1) * 3 > this.slots * 2) {
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
    this.table[2 * this.probeSlot] = this.probeHash;
    this.table[2 * this.probeSlot + 1] = id + 1;
    this.probeSlot = -1;
    this.count = id + 1;
    return id;
  }

  /**
   * Grows the hash table now, if it must, so that `states` states in all fit without growing it
   * again; false when the memory bound refuses (then nothing changed, and `add` grows it when it
   * must, as before). A caller that knows how many states are coming moves the pause of growing
   * the table to a moment of its choosing: a parallel search's workers grow theirs between two
   * levels, one worker at a time, instead of in the middle of a level while the others wait.
   */
  reserve(states: number): boolean {
    let size = this.slots;
    while (states * 3 > size * 2 && size < 2 ** 31) size *= 2;
    if (size === this.slots) return true;
    if (!this.rehash(size)) return false;
    this.probeSlot = -1;
    return true;
  }

  /**
   * Ends lookups and additions: the hash table is dropped and its bytes go back to the bounds,
   * while states, parents and moves stay readable by id. A search that is done finding states
   * (a liveness graph once built) leaves that memory to what it does next.
   */
  seal(): void {
    if (this.slots === 0) return;
    this.allocated -= this.slots * 8;
    this.budget?.release(this.slots * 8);
    this.table = new Uint32Array(0);
    this.slots = 0;
    // Only a sealed store answers these with an error, so the lookups of every other store carry
    // no check for it.
    const sealed = (op: string) => () => {
      throw new Error(`StateStore.${op}: the store is sealed`);
    };
    Object.defineProperties(this, { find: { value: sealed("find") }, add: { value: sealed("add") }, reserve: { value: sealed("reserve") } });
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

  /** Reserves `bytes` against both bounds (release it again when the allocation fails). */
  private fits(bytes: number): boolean {
    if (this.allocated + bytes > this.maxBytes) return false;
    return this.budget ? this.budget.reserve(bytes) : true;
  }

  private grow(c: number): boolean {
    const bytes = this.chunkBytes();
    if (!this.fits(bytes)) return false;
    try {
      if (this.onChunk) {
        const shared = new Uint32Array(new SharedArrayBuffer(CHUNK * this.words * 4));
        this.chunks[c] = shared;
        this.onChunk(c, shared);
      } else this.chunks[c] = new Uint32Array(CHUNK * this.words);
      if (this.withParents) {
        this.parentChunks[c] = new Int32Array(CHUNK);
        this.moveChunks[c] = this.wideMoves ? new Uint32Array(CHUNK) : new Uint16Array(CHUNK);
      }
    } catch (e) {
      this.budget?.release(bytes);
      // The system said no before the bound did: the same answer, not a crash.
      if (e instanceof RangeError) return false;
      throw e;
    }
    this.allocated += bytes;
    return true;
  }

  /**
   * Replaces the table by one of `size` entries (a larger power of two), moving the entries in
   * the old table's order from just after an empty slot, so no run of probing is cut in two and
   * their new slots come in order too. The old and the new table both exist meanwhile, so both
   * count against the bound.
   */
  private rehash(size = this.slots * 2): boolean {
    if (!this.fits(size * 8)) return false;
    let next: Uint32Array;
    try {
      next = new Uint32Array(2 * size);
    } catch (e) {
      this.budget?.release(size * 8);
      if (e instanceof RangeError) return false;
      throw e;
    }
    const old = this.table;
    const oldMask = this.slots - 1;
    const mask = size - 1;
    const shift = 32 - Math.log2(size);
    // The load is at most 2/3, so there is an empty slot.
    let start = 0;
    while (old[2 * start + 1] !== 0) start++;
    for (let k = 1; k <= oldMask + 1; k++) {
      const o = (start + k) & oldMask;
      const e = old[2 * o + 1]!;
      if (e === 0) continue;
      const h = old[2 * o]!;
      let i = h >>> shift;
      while (next[2 * i + 1] !== 0) i = (i + 1) & mask;
      next[2 * i] = h;
      next[2 * i + 1] = e;
    }
    this.allocated += (size - this.slots) * 8;
    // The old table is garbage from here on: its bytes go back to a shared bound.
    this.budget?.release(this.slots * 8);
    this.table = next;
    this.slots = size;
    this.shift = shift;
    return true;
  }
}
