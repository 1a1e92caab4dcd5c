import {
  _PAGE_PRESENT,
  _PAGE_PSE,
  L1_PAGETABLE_ENTRIES,
  L2_PAGETABLE_SHIFT,
  L3_PAGETABLE_SHIFT,
  L4_PAGETABLE_SHIFT,
  PAGE_SHIFT,
  PAGE_SIZE,
  l1e_get_flags,
  l1e_get_pfn,
  l2e_get_flags,
  l2e_get_pfn,
  l3e_get_flags,
  l3e_get_pfn,
  l4e_get_flags,
  l4e_get_pfn,
  lNf_to_l1f,
} from "../../../generated/ts/x86/pagetable.ts";
import type { PageTable } from "./pagetable.ts";

/** A run of present translations: `pages` pages from virtual page `vpn` to frames from `mfn`, with L1-style flags. */
export interface Run {
  vpn: number;
  mfn: number;
  pages: number;
  flags: number;
  /** Page size of the entry the run came from: 1 (4 KiB), 2 (2 MiB) or 3 (1 GiB). */
  level: 1 | 2 | 3;
}

/** The translation of one virtual address, or undefined when it is not mapped. */
export function translate(pt: PageTable, va: number): { mfn: number; flags: number; level: 1 | 2 | 3 } | undefined {
  const vpn = Math.floor(va / PAGE_SIZE);
  for (const r of leafRuns(pt, vpn, 1)) return { mfn: r.mfn + (vpn - r.vpn), flags: r.flags, level: r.level };
  return undefined;
}

/** Present leaf entries overlapping pages [vpn, vpn+count) in address order; superpages as one run each. */
export function* leafRuns(pt: PageTable, vpn = 0, count = 2 ** (48 - PAGE_SHIFT)): Generator<Run> {
  const end = vpn + count;
  const N = L1_PAGETABLE_ENTRIES;
  const span = (shift: number) => 2 ** (shift - PAGE_SHIFT);
  const l4t = pt.table(pt.root);
  for (let i4 = Math.floor(vpn / span(L4_PAGETABLE_SHIFT)); i4 < N; i4++) {
    const b4 = i4 * span(L4_PAGETABLE_SHIFT);
    if (b4 >= end) return;
    if (b4 + span(L4_PAGETABLE_SHIFT) <= vpn) continue;
    const e4 = l4t[i4]!;
    if (!(l4e_get_flags(e4) & _PAGE_PRESENT)) continue;
    const l3t = pt.table(l4e_get_pfn(e4));
    for (let i3 = 0; i3 < N; i3++) {
      const b3 = b4 + i3 * span(L3_PAGETABLE_SHIFT);
      if (b3 >= end) return;
      if (b3 + span(L3_PAGETABLE_SHIFT) <= vpn) continue;
      const e3 = l3t[i3]!;
      const f3 = l3e_get_flags(e3);
      if (!(f3 & _PAGE_PRESENT)) continue;
      if (f3 & _PAGE_PSE) {
        yield { vpn: b3, mfn: l3e_get_pfn(e3), pages: span(L3_PAGETABLE_SHIFT), flags: lNf_to_l1f(f3), level: 3 };
        continue;
      }
      const l2t = pt.table(l3e_get_pfn(e3));
      for (let i2 = 0; i2 < N; i2++) {
        const b2 = b3 + i2 * span(L2_PAGETABLE_SHIFT);
        if (b2 >= end) return;
        if (b2 + span(L2_PAGETABLE_SHIFT) <= vpn) continue;
        const e2 = l2t[i2]!;
        const f2 = l2e_get_flags(e2);
        if (!(f2 & _PAGE_PRESENT)) continue;
        if (f2 & _PAGE_PSE) {
          yield { vpn: b2, mfn: l2e_get_pfn(e2), pages: span(L2_PAGETABLE_SHIFT), flags: lNf_to_l1f(f2), level: 2 };
          continue;
        }
        const l1t = pt.table(l2e_get_pfn(e2));
        for (let i1 = 0; i1 < N; i1++) {
          const b1 = b2 + i1;
          if (b1 >= end) return;
          if (b1 < vpn) continue;
          const e1 = l1t[i1]!;
          const f1 = l1e_get_flags(e1);
          if (f1 & _PAGE_PRESENT) yield { vpn: b1, mfn: l1e_get_pfn(e1), pages: 1, flags: f1, level: 1 };
        }
      }
    }
  }
}

/** Every table frame reachable from the root, with how many entries reference it (root counted once). */
export function reachableTables(pt: PageTable): Map<number, number> {
  const refs = new Map<number, number>([[pt.root, 1]]);
  const visit = (mfn: number, level: number) => {
    if (level === 1) return;
    for (const e of pt.table(mfn)) {
      const f = level === 4 ? l4e_get_flags(e) : level === 3 ? l3e_get_flags(e) : l2e_get_flags(e);
      if (!(f & _PAGE_PRESENT) || (level < 4 && f & _PAGE_PSE)) continue;
      const child = level === 4 ? l4e_get_pfn(e) : level === 3 ? l3e_get_pfn(e) : l2e_get_pfn(e);
      const n = (refs.get(child) ?? 0) + 1;
      refs.set(child, n);
      if (n === 1) visit(child, level - 1);
    }
  };
  visit(pt.root, 4);
  return refs;
}

