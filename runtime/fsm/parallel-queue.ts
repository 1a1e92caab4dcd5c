/**
 * The queues a parallel search's workers send successors through (parallel-worker.ts): one per
 * ordered pair of workers, a ring of fixed-size entries in a SharedArrayBuffer with one writer and
 * one reader. Sending an entry writes its words in place and moves a counter; there is no message,
 * no buffer to allocate, clone or free, and the reader takes entries where the writer put them.
 *
 * Header (Int32 words): the writer's published head and finished level on one cache line, the
 * reader's tail on another, so neither side's stores evict the line the other is writing. Heads and
 * tails count entries and wrap as int32; their difference is what is queued.
 */

const HEAD = 0;
const DONE = 1;
/** Set by a writer waiting for room; the reader wakes it after taking entries. */
const BLOCKED = 2;
const TAIL = 16;
const HEADER_BYTES = 128;
/** Entries written before the head is published: each publication is a fenced store. */
const PUBLISH = 256;

/**
 * Int32 words of the counters the workers share besides the queues (the level barrier in
 * parallel-worker.ts; the main thread allocates them). Kept here, with the queues' layout, because
 * the worker module cannot be imported outside a worker.
 */
export const COUNTER_WORDS = 6;

/** Entries per queue: room for a level's traffic on few workers, bounded memory on many. */
export function queueEntries(workers: number): number {
  let cap = 1 << 15;
  while (cap > 4096 && cap * (workers - 1) > 1 << 16) cap >>= 1;
  return cap;
}

/** A queue's shared memory for `entries` (a power of two) entries of `stride` words. */
export function queueBuffer(entries: number, stride: number): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + entries * stride * 4);
}

/** What both ends of a queue see of its shared memory. */
abstract class QueueEnd {
  readonly data: Uint32Array;
  protected readonly ctl: Int32Array;
  readonly mask: number;

  constructor(
    buf: SharedArrayBuffer,
    readonly entries: number,
    readonly stride: number,
  ) {
    this.ctl = new Int32Array(buf, 0, HEADER_BYTES / 4);
    this.data = new Uint32Array(buf, HEADER_BYTES, entries * stride);
    this.mask = entries - 1;
  }
}

/** The writer's side. */
export class QueueWriter extends QueueEnd {
  private head = 0;
  private published = 0;
  /** The reader's tail as last read: the writer reads it again only when the queue looks full. */
  private tail = 0;

  /** Where in `data` the next entry goes, or -1 while the queue is full; `commit` sends it. */
  slot(): number {
    if (((this.head - this.tail) | 0) >= this.entries) {
      this.tail = Atomics.load(this.ctl, TAIL);
      if (((this.head - this.tail) | 0) >= this.entries) return -1;
    }
    return (this.head & this.mask) * this.stride;
  }

  /** Sends the entry written at `slot()`; true when that published the head (the reader may be woken). */
  commit(): boolean {
    this.head = (this.head + 1) | 0;
    return ((this.head - this.published) | 0) >= PUBLISH && this.publish();
  }

  /** Makes every committed entry visible to the reader; false when there was none new. */
  publish(): boolean {
    if (this.head === this.published) return false;
    Atomics.store(this.ctl, HEAD, this.head);
    this.published = this.head;
    return true;
  }

  /** Publishes and says that every entry of levels below `level` has been sent. */
  finish(level: number): void {
    this.publish();
    Atomics.store(this.ctl, DONE, level);
  }

  /** Marks the writer as waiting for room (cleared by the reader's next `release`). */
  block(): void {
    Atomics.store(this.ctl, BLOCKED, 1);
  }
}

/** The reader's side. */
export class QueueReader extends QueueEnd {
  /** The first entry not taken yet. */
  tail = 0;

  /** The published head: entries tail .. head - 1 (mod 2^32) can be read. */
  head(): number {
    return Atomics.load(this.ctl, HEAD);
  }

  /** The writer's finished level; read it before `head` so the head includes that level's entries. */
  done(): number {
    return Atomics.load(this.ctl, DONE);
  }

  /** Gives the entries before `to` back to the writer; true when the writer was waiting for room. */
  release(to: number): boolean {
    this.tail = to;
    Atomics.store(this.ctl, TAIL, to);
    return Atomics.load(this.ctl, BLOCKED) !== 0 && Atomics.exchange(this.ctl, BLOCKED, 0) !== 0;
  }
}
