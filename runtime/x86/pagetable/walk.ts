import type { U64 } from "../../../generated/ts/support.ts";
import {
  _PAGE_PRESENT,
  _PAGE_PSE,
  l1_table_offset,
  l1e_get_pfn,
  l2_table_offset,
  l2e_get_flags,
  l2e_get_pfn,
  l3_table_offset,
  l3e_get_flags,
  l3e_get_pfn,
  l4_table_offset,
  l4e_get_flags,
  l4e_get_pfn,
} from "../../../generated/ts/x86/pagetable.ts";
import type { PageTable } from "./pagetable.ts";

/** Xen's INVALID_M2P_ENTRY, printed when no machine-to-phys lookup is given. */
const INVALID_M2P = "f".repeat(16);

const hex16 = (e: U64) => e.hi.toString(16).padStart(8, "0") + e.lo.toString(16).padStart(8, "0");
const addr16 = (v: number) => v.toString(16).padStart(16, "0");
const idx = (i: number) => "0x" + i.toString(16).padStart(3, "0");

/**
 * The page walk of `addr` in the style of Xen's show_page_walk: one line per level with the
 * table index, the raw entry and the guest frame of the entry's machine frame, `(PSE)` on
 * superpage entries, stopping at a non-present entry or a superpage.
 */
export function showPageWalk(pt: PageTable, addr: number, m2p?: (mfn: number) => number | undefined): string[] {
  const pfn = (mfn: number) => {
    const g = m2p?.(mfn);
    return g === undefined ? INVALID_M2P : addr16(g);
  };
  const out = [`Pagetable walk from ${addr16(addr)}:`];
  const l4e = pt.table(pt.root)[l4_table_offset(addr)]!;
  out.push(` L4[${idx(l4_table_offset(addr))}] = ${hex16(l4e)} ${pfn(l4e_get_pfn(l4e))}`);
  if (!(l4e_get_flags(l4e) & _PAGE_PRESENT)) return out;
  const l3e = pt.table(l4e_get_pfn(l4e))[l3_table_offset(addr)]!;
  const f3 = l3e_get_flags(l3e);
  out.push(` L3[${idx(l3_table_offset(addr))}] = ${hex16(l3e)} ${pfn(l3e_get_pfn(l3e))}${f3 & _PAGE_PSE ? " (PSE)" : ""}`);
  if (!(f3 & _PAGE_PRESENT) || f3 & _PAGE_PSE) return out;
  const l2e = pt.table(l3e_get_pfn(l3e))[l2_table_offset(addr)]!;
  const f2 = l2e_get_flags(l2e);
  out.push(` L2[${idx(l2_table_offset(addr))}] = ${hex16(l2e)} ${pfn(l2e_get_pfn(l2e))}${f2 & _PAGE_PSE ? " (PSE)" : ""}`);
  if (!(f2 & _PAGE_PRESENT) || f2 & _PAGE_PSE) return out;
  const l1e = pt.table(l2e_get_pfn(l2e))[l1_table_offset(addr)]!;
  out.push(` L1[${idx(l1_table_offset(addr))}] = ${hex16(l1e)} ${pfn(l1e_get_pfn(l1e))}`);
  return out;
}
