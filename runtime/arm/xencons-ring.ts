/**
 * The xencons shared page of Xen's public/io/console.h: an IN ring (backend to guest) of 1024
 * bytes and an OUT ring (guest to backend) of 2048 bytes, each with free-running u32 producer
 * and consumer indices. An index is masked by the ring size only to address a byte.
 */

export const XENCONS_IN_SIZE = 1024;
export const XENCONS_OUT_SIZE = 2048;

/** u32 arithmetic on plain numbers. */
export const u32 = (x: number): number => x >>> 0;

/** One direction of the shared page. */
export interface XenconsRing {
  readonly buf: Uint8Array;
  /** Next index the consumer reads (free-running u32). */
  cons: number;
  /** Next index the producer writes (free-running u32). */
  prod: number;
}

/** struct xencons_interface. */
export interface XenconsInterface {
  readonly in: XenconsRing;
  readonly out: XenconsRing;
}

export function createXenconsInterface(start: { in?: number; out?: number } = {}): XenconsInterface {
  const ring = (size: number, at = 0): XenconsRing => ({ buf: new Uint8Array(size), cons: u32(at), prod: u32(at) });
  return { in: ring(XENCONS_IN_SIZE, start.in), out: ring(XENCONS_OUT_SIZE, start.out) };
}

/** MASK_XENCONS_IDX / xencons_mask: the byte an index addresses (ring sizes are powers of two). */
export function xenconsMask(idx: number, ringSize: number): number {
  return idx & (ringSize - 1);
}

/**
 * xencons_queued as DEFINE_XEN_FLEX_RING defines it: equal prod and cons mean empty; equal
 * masked indices with different raw ones mean full; otherwise the masked distance. Whenever
 * the ring invariant holds (prod − cons ≤ size, mod 2^32) this is exactly prod − cons.
 */
export function xenconsQueued(prod: number, cons: number, ringSize: number): number {
  if (u32(prod) === u32(cons)) return 0;
  const p = xenconsMask(prod, ringSize);
  const c = xenconsMask(cons, ringSize);
  if (p === c) return ringSize;
  return p > c ? p - c : ringSize - (c - p);
}

/** Bytes queued in a ring. */
export const queued = (r: XenconsRing): number => xenconsQueued(r.prod, r.cons, r.buf.length);

/** The ring invariant: the producer is at most one ring ahead of the consumer (mod 2^32). */
export function ringInvariantHolds(r: XenconsRing): boolean {
  return u32(r.prod - r.cons) <= r.buf.length && Number.isInteger(r.prod) && u32(r.prod) === r.prod && u32(r.cons) === r.cons;
}

/** Producer side: stores one byte if there is room; returns whether it did. */
export function ringPush(r: XenconsRing, byte: number): boolean {
  if (queued(r) === r.buf.length) return false;
  r.buf[xenconsMask(r.prod, r.buf.length)] = byte & 0xff;
  r.prod = u32(r.prod + 1);
  return true;
}

/** Consumer side: takes one byte, or undefined when empty. */
export function ringPop(r: XenconsRing): number | undefined {
  if (queued(r) === 0) return undefined;
  const b = r.buf[xenconsMask(r.cons, r.buf.length)]!;
  r.cons = u32(r.cons + 1);
  return b;
}
