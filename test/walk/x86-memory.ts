import { u64ToBigInt } from "../../generated/ts/support.ts";
import type { PageTable } from "../../runtime/x86/pagetable/index.ts";

/** The mapper's tables as physical memory: frame n holds table n at n * 4096, 8 bytes an entry. */
export function memoryOf(pt: PageTable): (pa: bigint) => bigint | undefined {
  return (pa) => {
    const t = pt.tables.get(Number(pa >> 12n));
    if (!t || pa % 8n !== 0n) return undefined;
    return u64ToBigInt(t[Number((pa & 0xfffn) >> 3n)]!);
  };
}

/** The mapper's virtual addresses (0 .. 2^48) in canonical form: bit 47 copied into bits 63:48. */
export function canonical(virt: number): bigint {
  const v = BigInt(virt);
  return v >= 1n << 47n ? v | (0xffffn << 48n) : v;
}
