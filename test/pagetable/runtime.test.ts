import { describe, expect, it } from "vitest";
import * as x from "../../generated/ts/x86/pagetable.ts";
import {
  AddressRangeError,
  FLUSH_CACHE,
  FLUSH_ORDER,
  FLUSH_TLB,
  FLUSH_TLB_GLOBAL,
  InvalidArgumentError,
  OutOfMemoryError,
  PageTable,
  SimFrameAllocator,
  showPageWalk,
  translate,
} from "../../runtime/x86/pagetable/index.ts";
import { tableProblems, tableRuns } from "./reference.ts";

const GiB = 2 ** 30;
const MiB2 = 2 ** 21;
const P1G = 262144;
const P2M = 512;
const PH = x.PAGE_HYPERVISOR;

function fresh(page1gb = true, opts: ConstructorParameters<typeof SimFrameAllocator>[0] = {}) {
  const alloc = new SimFrameAllocator(opts);
  return { alloc, pt: new PageTable({ allocator: alloc, page1gb }) };
}

describe("mapPages", () => {
  it("maps 512 GiB 1:1 with 512 L3 entry writes (plus the one L4 write installing the L3 table)", () => {
    const { pt, alloc } = fresh(true);
    const r = pt.mapPages(0, 0, 512 * P1G, PH);
    expect(r.writes).toEqual([0, 0, 512, 1]);
    expect(alloc.inUse().size).toBe(2);
    expect(tableRuns(pt)).toEqual([{ vpn: 0, pages: 512 * P1G, mfn: 0, flags: PH }]);
    expect(translate(pt, 300 * GiB + 0x5000)).toEqual({ mfn: 300 * P1G + 5, flags: PH, level: 3 });
  });

  it("uses 2 MiB pages without 1 GiB support, and 4 KiB pages for PAT or MAP_SMALL_PAGES", () => {
    const { pt } = fresh(false);
    expect(pt.mapPages(0, 0, P1G, PH).writes).toEqual([0, 512, 1, 1]);
    expect(translate(pt, 0x1234000)?.level).toBe(2);
    const b = fresh(true);
    expect(b.pt.mapPages(0, 0, P2M, PH | x.MAP_SMALL_PAGES).writes[0]).toBe(512);
    expect(b.pt.mapPages(MiB2, P2M, P2M, PH | x._PAGE_PAT).writes[0]).toBe(512);
    expect(translate(b.pt, MiB2)?.flags).toBe(PH | x._PAGE_PAT);
  });

  it("replaces a 1 GiB mapping that had 2 MiB and 4 KiB children: flushes once and frees the tables", () => {
    const { pt, alloc } = fresh(true);
    pt.mapPages(GiB, P1G, P2M, x.__PAGE_HYPERVISOR); // 2 MiB child, not global
    pt.mapPages(GiB + MiB2, P1G + 0x9000, 3, PH | x._PAGE_PCD); // 4 KiB children, global + uncached
    const before = alloc.inUse().size;
    const r = pt.mapPages(GiB, 5 * P1G, P1G, PH);
    expect(r.flushes).toEqual([{ kind: "area", va: GiB, flags: FLUSH_TLB | FLUSH_ORDER(18) | FLUSH_TLB_GLOBAL | FLUSH_CACHE }]);
    expect(r.freed.length).toBe(2); // the L1 table and the L2 table
    expect(alloc.inUse().size).toBe(before - 2);
    expect(tableRuns(pt)).toEqual([{ vpn: GiB / 4096, pages: P1G, mfn: 5 * P1G, flags: PH }]);
    expect(tableProblems(pt, alloc.inUse())).toEqual([]);
  });

  it("skips an unchanged range to the next 1 GiB boundary and shatters only on change", () => {
    const { pt } = fresh(true);
    pt.mapPages(0, 0, P1G, PH);
    const same = pt.mapPages(0x10000, 0x10, 100, PH);
    expect(same.writes).toEqual([0, 0, 0, 0]);
    expect(same.flushes).toEqual([]);
    const changed = pt.mapPages(0x10000, 0x99999, 1, PH);
    // 1 GiB → 2 MiB (512 L2 writes + L3), then 2 MiB → 4 KiB (512 L1 writes + L2) and the one page.
    expect(changed.writes).toEqual([513, 513, 1, 0]);
    expect(changed.flushes.map((f) => f.flags)).toEqual([
      FLUSH_TLB | FLUSH_ORDER(18) | FLUSH_TLB_GLOBAL,
      FLUSH_TLB | FLUSH_ORDER(9) | FLUSH_TLB_GLOBAL,
      FLUSH_TLB | FLUSH_ORDER(0) | FLUSH_TLB_GLOBAL,
    ]);
    expect(translate(pt, 0x10000)).toEqual({ mfn: 0x99999, flags: PH, level: 1 });
    expect(translate(pt, 0x11000)).toEqual({ mfn: 0x11, flags: PH, level: 1 });
    expect(translate(pt, 0x200000)).toEqual({ mfn: 0x200, flags: PH, level: 2 });
  });

  it("re-coalesces 4 KiB pages into 2 MiB and 2 MiB pages into 1 GiB, flushing at virt - PAGE_SIZE", () => {
    const { pt, alloc } = fresh(true);
    pt.mapPages(0, 0, P1G, PH);
    pt.mapPages(0x10000, 0x99999, 1, PH); // shattered down to 4 KiB
    const r = pt.mapPages(0x10000, 0x10, 1, PH); // restore the one page
    expect(r.flushes).toEqual([
      { kind: "area", va: 0x10000, flags: FLUSH_TLB | FLUSH_ORDER(0) | FLUSH_TLB_GLOBAL },
      { kind: "area", va: 0x10000, flags: FLUSH_TLB_GLOBAL | FLUSH_ORDER(9) },
      { kind: "area", va: 0x10000, flags: FLUSH_TLB_GLOBAL | FLUSH_ORDER(18) },
    ]);
    expect(translate(pt, 0x10000)).toEqual({ mfn: 0x10, flags: PH, level: 3 });
    expect(alloc.inUse().size).toBe(2);
    expect(tableProblems(pt, alloc.inUse())).toEqual([]);
  });

  it("does not re-coalesce to 1 GiB during early boot or for other flags", () => {
    const { pt } = fresh(true);
    pt.earlyBoot = true;
    pt.mapPages(0, 0, P1G, PH);
    pt.mapPages(0x10000, 0x99999, 1, PH);
    pt.mapPages(0x10000, 0x10, 1, PH);
    expect(translate(pt, 0x10000)?.level).toBe(2);
  });

  it("rejects bad input with typed errors and changes nothing", () => {
    const { pt } = fresh(true);
    pt.mapPages(0, 0, 10, PH);
    const before = tableRuns(pt);
    expect(() => pt.mapPages(0x1001, 0, 1, PH)).toThrow(InvalidArgumentError);
    expect(() => pt.mapPages(2 ** 48 - 4096, 0, 2, PH)).toThrow(AddressRangeError);
    expect(() => pt.mapPages(0, 2 ** 40 - 1, 2, PH)).toThrow(AddressRangeError);
    expect(() => pt.mapPages(0, 0, 1, 1 << 24)).toThrow(InvalidArgumentError);
    expect(() => pt.destroyMappings(0x2000, 0x1000)).toThrow(InvalidArgumentError);
    expect(() => pt.destroyMappings(0, 2 ** 48 + 4096)).toThrow(AddressRangeError);
    expect(tableRuns(pt)).toEqual(before);
  });

  it("returns ENOMEM on allocation failure and leaves every translation and frame as it was", () => {
    const { pt, alloc } = fresh(true);
    pt.mapPages(0, 0, P1G, PH);
    const before = tableRuns(pt);
    const frames = new Set(alloc.inUse());
    alloc.failWhen = () => true;
    const e = (() => {
      try {
        pt.mapPages(0x10000, 0x99999, 1, PH);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect((e as OutOfMemoryError).code).toBe("ENOMEM");
    expect(tableRuns(pt)).toEqual(before);
    expect(new Set(alloc.inUse())).toEqual(frames);
    // Failing on the second allocation: the first (the L2 table) is given back.
    let n = 0;
    alloc.failWhen = () => n++ === 1;
    expect(() => pt.mapPages(0x10000, 0x99999, 1, PH)).toThrow(OutOfMemoryError);
    expect(tableRuns(pt)).toEqual(before);
    expect(new Set(alloc.inUse())).toEqual(frames);
  });
});

describe("destroyMappings", () => {
  it("removes 1 GiB entries whole and shatters partial ones, freeing empty tables", () => {
    const { pt, alloc } = fresh(true);
    pt.mapPages(0, 0, 3 * P1G, PH);
    const r = pt.destroyMappings(GiB, 2 * GiB);
    expect(r.writes).toEqual([0, 0, 1, 0]);
    pt.destroyMappings(2 * GiB + MiB2, 3 * GiB);
    expect(tableRuns(pt)).toEqual([
      { vpn: 0, pages: P1G, mfn: 0, flags: PH },
      { vpn: (2 * GiB) / 4096, pages: P2M, mfn: 2 * P1G, flags: PH },
    ]);
    pt.destroyMappings(2 * GiB, 2 * GiB + 4096);
    pt.destroyMappings(2 * GiB + 4096, 2 * GiB + MiB2);
    expect(tableRuns(pt)).toEqual([{ vpn: 0, pages: P1G, mfn: 0, flags: PH }]);
    expect(alloc.inUse().size).toBe(2);
    expect(tableProblems(pt, alloc.inUse())).toEqual([]);
    expect(pt.flushes[pt.flushes.length - 1]).toEqual({ kind: "all", flags: FLUSH_TLB_GLOBAL });
  });
});

describe("showPageWalk", () => {
  it("prints each level and marks superpages with (PSE)", () => {
    const { pt } = fresh(true);
    pt.mapPages(GiB, P1G, P1G, PH);
    pt.mapPages(0, 0, P2M, PH);
    pt.mapPages(MiB2, 0x777, 1, x.__PAGE_HYPERVISOR);
    expect(showPageWalk(pt, GiB + 0x3000)).toEqual([
      "Pagetable walk from 0000000040003000:",
      " L4[0x000] = 0000000100001063 ffffffffffffffff",
      " L3[0x001] = 00000000400001e3 ffffffffffffffff (PSE)",
    ]);
    expect(showPageWalk(pt, 0x1000)[3]).toBe(" L2[0x000] = 00000000000001e3 ffffffffffffffff (PSE)");
    const walk = showPageWalk(pt, MiB2, (mfn) => (mfn === 0x777 ? 0x42 : undefined));
    expect(walk.length).toBe(5);
    expect(walk[4]).toBe(" L1[0x000] = 0000000000777063 0000000000000042");
    expect(showPageWalk(pt, 600 * GiB)).toEqual(["Pagetable walk from 0000009600000000:", " L4[0x001] = 0000000000000000 ffffffffffffffff"]);
  });
});
