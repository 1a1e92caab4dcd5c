/**
 * A simulated machine-frame allocator for page tables. It can be told to fail, so callers can
 * prove that an allocation failure leaves every translation intact.
 */
export interface FrameAllocator {
  /** A free frame number, or undefined when none can be had. */
  alloc(): number | undefined;
  free(mfn: number): void;
}

export interface SimFrameAllocatorOptions {
  /** First frame handed out (default 0x100000, i.e. 4 GiB). */
  first?: number;
  /** At most this many frames in use at once (default unlimited). */
  limit?: number;
  /** Fails the allocation when this returns true; `n` counts allocation attempts from 0. */
  failWhen?: (n: number) => boolean;
}

export class SimFrameAllocator implements FrameAllocator {
  private next: number;
  private readonly freeList: number[] = [];
  private readonly used = new Set<number>();
  private attempts = 0;
  readonly limit: number;
  failWhen: ((n: number) => boolean) | undefined;

  constructor(opts: SimFrameAllocatorOptions = {}) {
    this.next = opts.first ?? 0x100000;
    this.limit = opts.limit ?? Number.POSITIVE_INFINITY;
    this.failWhen = opts.failWhen;
  }

  alloc(): number | undefined {
    const n = this.attempts++;
    if (this.failWhen?.(n)) return undefined;
    if (this.used.size >= this.limit) return undefined;
    // Lowest freed frame first, so runs are deterministic.
    this.freeList.sort((a, b) => b - a);
    const mfn = this.freeList.pop() ?? this.next++;
    this.used.add(mfn);
    return mfn;
  }

  free(mfn: number): void {
    if (!this.used.delete(mfn)) throw new Error(`internal: frame ${mfn.toString(16)} freed twice or never allocated`);
    this.freeList.push(mfn);
  }

  /** Frames currently allocated. */
  inUse(): ReadonlySet<number> {
    return this.used;
  }
}
