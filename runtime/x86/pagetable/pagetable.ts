import type { U64 } from "../../../generated/ts/support.ts";
import {
  __PAGE_HYPERVISOR,
  _PAGE_ACCESSED,
  _PAGE_DIRTY,
  _PAGE_GLOBAL,
  _PAGE_PAT,
  _PAGE_PRESENT,
  _PAGE_PSE,
  FLAGS_WIDTH,
  L1_PAGETABLE_ENTRIES,
  L1_PAGETABLE_SHIFT,
  L2_PAGETABLE_ENTRIES,
  L2_PAGETABLE_SHIFT,
  L3_PAGETABLE_SHIFT,
  L4_PAGETABLE_SHIFT,
  MAP_SMALL_PAGES,
  PADDR_BITS,
  PAGE_CACHE_ATTRS,
  PAGE_HYPERVISOR,
  PAGE_SHIFT,
  PAGE_SIZE,
  PAGETABLE_ORDER,
  VADDR_BITS,
  l1_table_offset,
  l1e_empty,
  l1e_from_pfn,
  l1e_get_flags,
  l1e_get_intpte,
  l1e_get_pfn,
  l1f_to_lNf,
  l2_table_offset,
  l2e_empty,
  l2e_from_pfn,
  l2e_get_flags,
  l2e_get_intpte,
  l2e_get_pfn,
  l3_table_offset,
  l3e_empty,
  l3e_from_pfn,
  l3e_get_flags,
  l3e_get_pfn,
  l4_table_offset,
  l4e_from_pfn,
  l4e_get_flags,
  l4e_get_pfn,
  lNf_to_l1f,
} from "../../../generated/ts/x86/pagetable.ts";
import { AddressRangeError, InvalidArgumentError, OutOfMemoryError } from "./errors.ts";
import { FLUSH_CACHE, FLUSH_ORDER, FLUSH_TLB, FLUSH_TLB_GLOBAL, type Flush } from "./flush.ts";
import type { FrameAllocator } from "./frames.ts";

/** One page table: 512 entries as { lo, hi } halves. */
export type Table = U64[];

/** Pages in a 2 MiB and a 1 GiB superpage. */
const L2_PAGES = 1 << (L2_PAGETABLE_SHIFT - PAGE_SHIFT);
const L3_PAGES = 2 ** (L3_PAGETABLE_SHIFT - PAGE_SHIFT);
const VA_LIMIT = 2 ** VADDR_BITS;
const MFN_LIMIT = 2 ** (PADDR_BITS - PAGE_SHIFT);
const isZero = (e: U64) => e.lo === 0 && e.hi === 0;
const aligned = (x: number, n: number) => x % n === 0;

export interface PageTableOptions {
  allocator: FrameAllocator;
  /** cpu_has_page1gb: the CPU can map 1 GiB pages with L3 entries. */
  page1gb: boolean;
  /** early_boot: 1 GiB re-coalescing is off while true. */
  earlyBoot?: boolean;
}

/** What one successful operation did. */
export interface OpResult {
  flushes: Flush[];
  /** Entry writes by level, index 0 = L1. */
  writes: [number, number, number, number];
  /** Frames of tables allocated and freed. */
  allocated: number[];
  freed: number[];
}

/** Raised inside an operation when the allocator fails; the operation catches it and rolls back. */
class NoFrame extends Error {}

interface Journal {
  writes: { table: Table; idx: number; old: U64 }[];
  allocated: number[];
  freed: number[];
  flushes: Flush[];
  counts: [number, number, number, number];
}

/**
 * A 4-level x86-64 page table over a simulated frame allocator, with Xen's map_pages_to_xen and
 * destroy_xen_mappings (after "x86-64: use 1Gb pages in 1:1 mapping if available"). Every
 * operation is all-or-nothing: an allocation failure undoes the operation's entry writes, returns
 * the tables it allocated and reports no flushes.
 */
export class PageTable {
  readonly allocator: FrameAllocator;
  page1gb: boolean;
  earlyBoot: boolean;
  /** Table contents by frame number. */
  readonly tables = new Map<number, Table>();
  readonly root: number;
  /** Every flush of every successful operation, in order. */
  readonly flushes: Flush[] = [];
  /** Entry writes of successful operations by level (index 0 = L1). */
  readonly writes: [number, number, number, number] = [0, 0, 0, 0];
  private journal: Journal | undefined;

  constructor(opts: PageTableOptions) {
    this.allocator = opts.allocator;
    this.page1gb = opts.page1gb;
    this.earlyBoot = opts.earlyBoot ?? false;
    const root = this.allocator.alloc();
    if (root === undefined) throw new OutOfMemoryError("new PageTable");
    this.root = root;
    this.tables.set(root, newTable());
  }

  table(mfn: number): Table {
    const t = this.tables.get(mfn);
    if (!t) throw new Error(`internal: frame ${mfn.toString(16)} is not a page table`);
    return t;
  }

  /**
   * Maps `nr` pages from `virt` to frames from `mfn` with `flags` (Xen's map_pages_to_xen):
   * 1 GiB entries where allowed, else 2 MiB, else 4 KiB; replaced mappings are flushed and
   * replaced tables freed; 2 MiB and 1 GiB regions are re-coalesced for PAGE_HYPERVISOR.
   */
  mapPages(virt: number, mfn: number, nr: number, flags: number): OpResult {
    checkVirt(virt, "virt");
    if (!Number.isInteger(nr) || nr < 0) throw new InvalidArgumentError(`nr ${nr} is not a non-negative integer`);
    if (!Number.isInteger(mfn) || mfn < 0) throw new InvalidArgumentError(`mfn ${mfn} is not a non-negative integer`);
    if (!Number.isInteger(flags) || flags < 0 || flags >= 2 ** FLAGS_WIDTH) {
      throw new InvalidArgumentError(`flags ${flags} are not a ${FLAGS_WIDTH}-bit flags word`);
    }
    if (virt + nr * PAGE_SIZE > VA_LIMIT) {
      throw new AddressRangeError(`mapping ${nr} pages at ${hex(virt)} runs past the ${VADDR_BITS}-bit address space`);
    }
    if (mfn + nr > MFN_LIMIT) {
      throw new AddressRangeError(`frames ${hex(mfn)}..${hex(mfn + nr)} go beyond PADDR_BITS (${PADDR_BITS})`);
    }
    return this.transaction("mapPages", () => this.map(virt, mfn, nr, flags));
  }

  /** Removes every mapping in [start, end) (Xen's destroy_xen_mappings); frees L1/L2 tables that become empty. */
  destroyMappings(start: number, end: number): OpResult {
    checkVirt(start, "start");
    checkVirt(end, "end");
    if (start > end) throw new InvalidArgumentError(`start ${hex(start)} is above end ${hex(end)}`);
    return this.transaction("destroyMappings", () => this.destroy(start, end));
  }

  private transaction(name: string, body: () => void): OpResult {
    const j: Journal = { writes: [], allocated: [], freed: [], flushes: [], counts: [0, 0, 0, 0] };
    this.journal = j;
    try {
      body();
    } catch (e) {
      this.journal = undefined;
      if (!(e instanceof NoFrame)) throw e;
      for (let i = j.writes.length - 1; i >= 0; i--) {
        const w = j.writes[i]!;
        w.table[w.idx] = w.old;
      }
      for (const f of j.allocated) {
        this.tables.delete(f);
        this.allocator.free(f);
      }
      throw new OutOfMemoryError(name);
    }
    this.journal = undefined;
    for (const f of j.freed) {
      this.tables.delete(f);
      this.allocator.free(f);
    }
    for (const f of j.flushes) this.flushes.push(f);
    for (let i = 0; i < 4; i++) this.writes[i]! += j.counts[i]!;
    return { flushes: j.flushes, writes: j.counts, allocated: j.allocated, freed: j.freed };
  }

  // ---- primitives, all journalled ----

  private write(table: Table, idx: number, e: U64, level: 1 | 2 | 3 | 4): void {
    const j = this.journal!;
    j.writes.push({ table, idx, old: table[idx]! });
    j.counts[level - 1]!++;
    table[idx] = e;
  }

  /** alloc_xen_pagetable + clear_page. */
  private allocTable(): number {
    const f = this.allocator.alloc();
    if (f === undefined) throw new NoFrame();
    this.tables.set(f, newTable());
    this.journal!.allocated.push(f);
    return f;
  }

  /** free_xen_pagetable: deferred to the end of the operation so a rollback can keep the table. */
  private freeTable(mfn: number): void {
    this.journal!.freed.push(mfn);
  }

  private flushArea(va: number, flags: number): void {
    this.journal!.flushes.push({ kind: "area", va, flags });
  }

  private flushAll(flags: number): void {
    this.journal!.flushes.push({ kind: "all", flags });
  }

  /** virt_to_xen_l3e: the L3 slot of `v`, allocating the L3 table when the L4 entry is absent. */
  private l3Slot(v: number): { t: Table; i: number } {
    const l4t = this.table(this.root);
    const i4 = l4_table_offset(v);
    if (!(l4e_get_flags(l4t[i4]!) & _PAGE_PRESENT)) {
      const f = this.allocTable();
      this.write(l4t, i4, l4e_from_pfn(f, __PAGE_HYPERVISOR), 4);
    }
    return { t: this.table(l4e_get_pfn(l4t[i4]!)), i: l3_table_offset(v) };
  }

  /** virt_to_xen_l2e: the L2 slot of `v`, allocating the L2 table when the L3 entry is absent. */
  private l2Slot(v: number): { t: Table; i: number } {
    const { t, i } = this.l3Slot(v);
    const fl = l3e_get_flags(t[i]!);
    if (!(fl & _PAGE_PRESENT)) {
      const f = this.allocTable();
      this.write(t, i, l3e_from_pfn(f, __PAGE_HYPERVISOR), 3);
    } else if (fl & _PAGE_PSE) throw new Error("internal: L2 slot of a 1 GiB superpage");
    return { t: this.table(l3e_get_pfn(t[i]!)), i: l2_table_offset(v) };
  }

  // ---- map_pages_to_xen ----

  private map(virt: number, mfn: number, nr: number, flags: number): void {
    while (nr !== 0) {
      const { t: l3t, i: i3 } = this.l3Slot(virt);
      let ol3e = l3t[i3]!;

      if (this.page1gb && aligned(virt / PAGE_SIZE, L3_PAGES) && aligned(mfn, L3_PAGES) && nr >= L3_PAGES && !(flags & (_PAGE_PAT | MAP_SMALL_PAGES))) {
        // 1 GiB page mapping.
        this.write(l3t, i3, l3e_from_pfn(mfn, l1f_to_lNf(flags)), 3);
        const ofl = l3e_get_flags(ol3e);
        if (ofl & _PAGE_PRESENT) {
          let ff = FLUSH_TLB | FLUSH_ORDER(2 * PAGETABLE_ORDER);
          if (ofl & _PAGE_PSE) {
            if (ofl & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
            if ((l1f_to_lNf(ofl) ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
            this.flushArea(virt, ff);
          } else {
            const l2t = this.table(l3e_get_pfn(ol3e));
            for (let i = 0; i < L2_PAGETABLE_ENTRIES; i++) {
              const fl2 = l2e_get_flags(l2t[i]!);
              if (!(fl2 & _PAGE_PRESENT)) continue;
              if (fl2 & _PAGE_PSE) {
                if (fl2 & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
                if ((lNf_to_l1f(fl2) ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
              } else {
                const l1t = this.table(l2e_get_pfn(l2t[i]!));
                for (let k = 0; k < L1_PAGETABLE_ENTRIES; k++) {
                  const fl1 = l1e_get_flags(l1t[k]!);
                  if (fl1 & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
                  if ((fl1 ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
                }
              }
            }
            this.flushArea(virt, ff);
            for (let i = 0; i < L2_PAGETABLE_ENTRIES; i++) {
              const fl2 = l2e_get_flags(l2t[i]!);
              if (fl2 & _PAGE_PRESENT && !(fl2 & _PAGE_PSE)) this.freeTable(l2e_get_pfn(l2t[i]!));
            }
            this.freeTable(l3e_get_pfn(ol3e));
          }
        }
        virt += 2 ** L3_PAGETABLE_SHIFT;
        mfn += L3_PAGES;
        nr -= L3_PAGES;
        continue;
      }

      const ofl3 = l3e_get_flags(ol3e);
      if (ofl3 & _PAGE_PRESENT && ofl3 & _PAGE_PSE) {
        let ff = FLUSH_TLB | FLUSH_ORDER(2 * PAGETABLE_ORDER);
        // Skip this PTE if there is no change.
        const base = l3e_get_pfn(ol3e) - (l3e_get_pfn(ol3e) % L3_PAGES);
        if (base + l2_table_offset(virt) * L2_PAGES + l1_table_offset(virt) === mfn && ((lNf_to_l1f(ofl3) ^ flags) & ~(_PAGE_ACCESSED | _PAGE_DIRTY)) === 0) {
          const i = Math.min(L3_PAGES - (mfn % L3_PAGES), nr);
          virt += i * PAGE_SIZE;
          mfn += i;
          nr -= i;
          continue;
        }
        // Shatter the 1 GiB page into 2 MiB pages.
        const f = this.allocTable();
        const l2t = this.table(f);
        for (let i = 0; i < L2_PAGETABLE_ENTRIES; i++) this.write(l2t, i, l2e_from_pfn(l3e_get_pfn(ol3e) + i * L2_PAGES, ofl3), 2);
        if (ofl3 & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
        this.write(l3t, i3, l3e_from_pfn(f, __PAGE_HYPERVISOR), 3);
        this.flushArea(virt, ff);
        ol3e = l3t[i3]!;
      }

      this.mapBelowL3(virt, mfn, nr, flags, (v, m, n) => ((virt = v), (mfn = m), (nr = n)));

      // check_l3: re-coalesce a full L2 table into a 1 GiB page.
      if (this.page1gb && !this.earlyBoot && flags === PAGE_HYPERVISOR && (nr === 0 || (aligned(virt / PAGE_SIZE, L3_PAGES) && aligned(mfn, L3_PAGES)))) {
        ol3e = l3t[i3]!;
        const ofl = l3e_get_flags(ol3e);
        if (!(ofl & _PAGE_PRESENT) || ofl & _PAGE_PSE) continue;
        const l2t = this.table(l3e_get_pfn(ol3e));
        const base = l2e_get_pfn(l2t[0]!) - (l2e_get_pfn(l2t[0]!) % L3_PAGES);
        let i = 0;
        for (; i < L2_PAGETABLE_ENTRIES; i++) {
          if (l2e_get_pfn(l2t[i]!) !== base + i * L2_PAGES || l2e_get_flags(l2t[i]!) !== l1f_to_lNf(flags)) break;
        }
        if (i === L2_PAGETABLE_ENTRIES) {
          this.write(l3t, i3, l3e_from_pfn(base, l1f_to_lNf(flags)), 3);
          this.flushArea(virt - PAGE_SIZE, FLUSH_TLB_GLOBAL | FLUSH_ORDER(2 * PAGETABLE_ORDER));
          this.freeTable(l3e_get_pfn(ol3e));
        }
      }
    }
  }

  /** One step of the 2 MiB / 4 KiB part of map_pages_to_xen; `advance` moves the cursor. */
  private mapBelowL3(virt: number, mfn: number, nr: number, flags: number, advance: (v: number, m: number, n: number) => void): void {
    const { t: l2t, i: i2 } = this.l2Slot(virt);
    if (aligned(virt / PAGE_SIZE, L2_PAGES) && aligned(mfn, L2_PAGES) && nr >= L2_PAGES && !(flags & (_PAGE_PAT | MAP_SMALL_PAGES))) {
      // 2 MiB superpage mapping.
      const ol2e = l2t[i2]!;
      this.write(l2t, i2, l2e_from_pfn(mfn, l1f_to_lNf(flags)), 2);
      const ofl = l2e_get_flags(ol2e);
      if (ofl & _PAGE_PRESENT) {
        let ff = FLUSH_TLB | FLUSH_ORDER(PAGETABLE_ORDER);
        if (ofl & _PAGE_PSE) {
          if (ofl & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
          if ((lNf_to_l1f(ofl) ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
          this.flushArea(virt, ff);
        } else {
          const l1t = this.table(l2e_get_pfn(ol2e));
          for (let i = 0; i < L1_PAGETABLE_ENTRIES; i++) {
            const fl1 = l1e_get_flags(l1t[i]!);
            if (fl1 & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
            if ((fl1 ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
          }
          this.flushArea(virt, ff);
          this.freeTable(l2e_get_pfn(ol2e));
        }
      }
      advance(virt + 2 ** L2_PAGETABLE_SHIFT, mfn + L2_PAGES, nr - L2_PAGES);
      return;
    }

    // Normal page mapping.
    const cur = l2t[i2]!;
    const cfl = l2e_get_flags(cur);
    if (!(cfl & _PAGE_PRESENT)) {
      const f = this.allocTable();
      this.write(l2t, i2, l2e_from_pfn(f, __PAGE_HYPERVISOR), 2);
    } else if (cfl & _PAGE_PSE) {
      let ff = FLUSH_TLB | FLUSH_ORDER(PAGETABLE_ORDER);
      // Skip this PTE if there is no change: jump to the next 2 MiB boundary.
      const base = l2e_get_pfn(cur) - (l2e_get_pfn(cur) % L1_PAGETABLE_ENTRIES);
      if (base + l1_table_offset(virt) === mfn && ((lNf_to_l1f(cfl) ^ flags) & ~(_PAGE_ACCESSED | _PAGE_DIRTY)) === 0) {
        const i = Math.min(L2_PAGES - (mfn % L2_PAGES), nr);
        advance(virt + i * PAGE_SIZE, mfn + i, nr - i);
        return;
      }
      // Shatter the 2 MiB page into 4 KiB pages.
      const f = this.allocTable();
      const l1t = this.table(f);
      for (let i = 0; i < L1_PAGETABLE_ENTRIES; i++) this.write(l1t, i, l1e_from_pfn(l2e_get_pfn(cur) + i, lNf_to_l1f(cfl)), 1);
      if (cfl & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
      this.write(l2t, i2, l2e_from_pfn(f, __PAGE_HYPERVISOR), 2);
      this.flushArea(virt, ff);
    }

    const l1t = this.table(l2e_get_pfn(l2t[i2]!));
    const i1 = l1_table_offset(virt);
    const ol1e = l1t[i1]!;
    this.write(l1t, i1, l1e_from_pfn(mfn, flags), 1);
    const ofl = l1e_get_flags(ol1e);
    if (ofl & _PAGE_PRESENT) {
      let ff = FLUSH_TLB | FLUSH_ORDER(0);
      if (ofl & _PAGE_GLOBAL) ff |= FLUSH_TLB_GLOBAL;
      if ((ofl ^ flags) & PAGE_CACHE_ATTRS) ff |= FLUSH_CACHE;
      this.flushArea(virt, ff);
    }
    virt += PAGE_SIZE;
    mfn += 1;
    nr -= 1;
    advance(virt, mfn, nr);

    // Re-coalesce a full L1 table into a 2 MiB page.
    if (flags === PAGE_HYPERVISOR && (nr === 0 || (aligned(virt / PAGE_SIZE, L2_PAGES) && aligned(mfn, L2_PAGES)))) {
      const e0 = l1t[0]!;
      const base = l1e_get_pfn(e0) - (l1e_get_pfn(e0) % L1_PAGETABLE_ENTRIES);
      let i = 0;
      for (; i < L1_PAGETABLE_ENTRIES; i++) {
        if (l1e_get_pfn(l1t[i]!) !== base + i || l1e_get_flags(l1t[i]!) !== flags) break;
      }
      if (i === L1_PAGETABLE_ENTRIES) {
        const ol2e = l2t[i2]!;
        this.write(l2t, i2, l2e_from_pfn(base, l1f_to_lNf(flags)), 2);
        this.flushArea(virt - PAGE_SIZE, FLUSH_TLB_GLOBAL | FLUSH_ORDER(PAGETABLE_ORDER));
        this.freeTable(l2e_get_pfn(ol2e));
      }
    }
  }

  // ---- destroy_xen_mappings ----

  private destroy(s: number, e: number): void {
    let v = s;
    const l4t = this.table(this.root);
    while (v < e) {
      // Unlike Xen's virt_to_xen_l3e, never allocate an L3 table just to find it empty.
      if (!(l4e_get_flags(l4t[l4_table_offset(v)]!) & _PAGE_PRESENT)) {
        v = (Math.floor(v / 2 ** L4_PAGETABLE_SHIFT) + 1) * 2 ** L4_PAGETABLE_SHIFT;
        continue;
      }
      const { t: l3t, i: i3 } = this.l3Slot(v);
      const l3e = l3t[i3]!;
      const fl3 = l3e_get_flags(l3e);
      if (!(fl3 & _PAGE_PRESENT)) {
        v = (Math.floor(v / 2 ** L3_PAGETABLE_SHIFT) + 1) * 2 ** L3_PAGETABLE_SHIFT;
        continue;
      }
      if (fl3 & _PAGE_PSE) {
        if (l2_table_offset(v) === 0 && l1_table_offset(v) === 0 && e - v >= 2 ** L3_PAGETABLE_SHIFT) {
          // PAGE1GB: the whole superpage is destroyed.
          this.write(l3t, i3, l3e_empty(), 3);
          v += 2 ** L3_PAGETABLE_SHIFT;
          continue;
        }
        // PAGE1GB: shatter the superpage and fall through.
        const f = this.allocTable();
        const l2t = this.table(f);
        for (let i = 0; i < L2_PAGETABLE_ENTRIES; i++) this.write(l2t, i, l2e_from_pfn(l3e_get_pfn(l3e) + i * L2_PAGES, fl3), 2);
        this.write(l3t, i3, l3e_from_pfn(f, __PAGE_HYPERVISOR), 3);
      }

      const { t: l2t, i: i2 } = this.l2Slot(v);
      const l2e = l2t[i2]!;
      const fl2 = l2e_get_flags(l2e);
      if (!(fl2 & _PAGE_PRESENT)) {
        // Xen continues here; falling through to the L3 check instead frees an L2 table whose
        // last entries were destroyed before a run of empty slots that ends the range.
        v = (Math.floor(v / 2 ** L2_PAGETABLE_SHIFT) + 1) * 2 ** L2_PAGETABLE_SHIFT;
      } else if (fl2 & _PAGE_PSE) {
        if (l1_table_offset(v) === 0 && e - v >= 2 ** L2_PAGETABLE_SHIFT) {
          // PSE: the whole superpage is destroyed.
          this.write(l2t, i2, l2e_empty(), 2);
          v += 2 ** L2_PAGETABLE_SHIFT;
        } else {
          // PSE: shatter the superpage and try again.
          const f = this.allocTable();
          const l1t = this.table(f);
          for (let i = 0; i < L1_PAGETABLE_ENTRIES; i++) this.write(l1t, i, l1e_from_pfn(l2e_get_pfn(l2e) + i, fl2 & ~_PAGE_PSE), 1);
          this.write(l2t, i2, l2e_from_pfn(f, __PAGE_HYPERVISOR), 2);
        }
      } else {
        // Ordinary 4 KiB mapping.
        const l1t = this.table(l2e_get_pfn(l2e));
        this.write(l1t, l1_table_offset(v), l1e_empty(), 1);
        v += PAGE_SIZE;
        // If we are done with the L2E, check whether it is now empty.
        if (v < e && l1_table_offset(v) !== 0) continue;
        if (l1t.every((x) => isZero(l1e_get_intpte(x)))) {
          this.write(l2t, i2, l2e_empty(), 2);
          this.flushAll(FLUSH_TLB_GLOBAL); // flush before free
          this.freeTable(l2e_get_pfn(l2e));
        }
      }

      // If we are done with the L3E, check whether it is now empty.
      if (v < e && l2_table_offset(v) + l1_table_offset(v) !== 0) continue;
      const cur3 = l3t[i3]!;
      if (!(l3e_get_flags(cur3) & _PAGE_PRESENT) || l3e_get_flags(cur3) & _PAGE_PSE) continue;
      const l2tab = this.table(l3e_get_pfn(cur3));
      if (l2tab.every((x) => isZero(l2e_get_intpte(x)))) {
        this.write(l3t, i3, l3e_empty(), 3);
        this.flushAll(FLUSH_TLB_GLOBAL); // flush before free
        this.freeTable(l3e_get_pfn(cur3));
      }
    }
    this.flushAll(FLUSH_TLB_GLOBAL);
  }
}

function newTable(): Table {
  return new Array<U64>(L1_PAGETABLE_ENTRIES).fill(l1e_empty());
}

function checkVirt(v: number, what: string): void {
  if (!Number.isInteger(v) || v < 0) throw new InvalidArgumentError(`${what} ${v} is not a non-negative integer address`);
  if (v > VA_LIMIT) throw new AddressRangeError(`${what} ${hex(v)} is outside the ${VADDR_BITS}-bit address space`);
  if (!aligned(v, PAGE_SIZE)) throw new InvalidArgumentError(`${what} ${hex(v)} is not ${PAGE_SIZE}-byte aligned`);
}

export function hex(v: number): string {
  return "0x" + v.toString(16);
}
