/**
 * TLB/cache flush requests as map_pages_to_xen and destroy_xen_mappings issue them. The encoding
 * follows Xen's flushtlb.h in spirit: the low byte is FLUSH_ORDER(order) = order + 1, the other
 * bits say what to flush. The bit values are this runtime's own.
 */
export const FLUSH_ORDER_MASK = 0xff;
export const FLUSH_TLB = 0x100;
export const FLUSH_TLB_GLOBAL = 0x200;
export const FLUSH_CACHE = 0x400;

export const FLUSH_ORDER = (order: number): number => order + 1;

/** One flush: `flush_area(va, flags)` or `flush_all(flags)`. */
export type Flush = { kind: "area"; va: number; flags: number } | { kind: "all"; flags: number };

/** Human-readable flags, e.g. "TLB|TLB_GLOBAL|ORDER(18)". */
export function describeFlush(flags: number): string {
  const parts: string[] = [];
  if (flags & FLUSH_TLB) parts.push("TLB");
  if (flags & FLUSH_TLB_GLOBAL) parts.push("TLB_GLOBAL");
  if (flags & FLUSH_CACHE) parts.push("CACHE");
  if (flags & FLUSH_ORDER_MASK) parts.push(`ORDER(${(flags & FLUSH_ORDER_MASK) - 1})`);
  return parts.join("|");
}
