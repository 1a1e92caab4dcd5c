import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as x from "../../generated/ts/x86/pagetable.ts";
import { leafRuns, OutOfMemoryError, PageTable, SimFrameAllocator } from "../../runtime/x86/pagetable/index.ts";
import { RefMap, tableProblems, tableRuns } from "./reference.ts";

const P1G = 262144;
const P2M = 512;
/** The window: 4 GiB of virtual space starting 1 GiB below a 512 GiB (L4) boundary, so it spans two L3 tables. */
const BASE_VPN = 511 * P1G;
const WINDOW = 4 * P1G;
const FLAGS = [x.PAGE_HYPERVISOR, x.__PAGE_HYPERVISOR, x.PAGE_HYPERVISOR_NOCACHE, x.PAGE_HYPERVISOR | x.MAP_SMALL_PAGES, x.PAGE_HYPERVISOR | x._PAGE_PAT, x.PAGE_HYPERVISOR | x._PAGE_NX, x._PAGE_RW];

/** Offsets biased to 1 GiB / 2 MiB boundaries (and just off them) so every path is reached. */
const offset = (limit: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: limit / P1G - 1 }).map((g) => g * P1G),
    fc.integer({ min: 0, max: limit / P2M - 1 }).map((m) => m * P2M),
    fc.tuple(fc.integer({ min: 0, max: limit / P2M - 1 }), fc.integer({ min: -3, max: 3 })).map(([m, d]) => Math.max(0, m * P2M + d)),
    fc.integer({ min: 0, max: limit - 1 }),
  );
/** Frame numbers relative to the virtual page: mostly superpage-aligned deltas, sometimes off by a few pages. */
const mfnDelta = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 40 }).map((g) => g * P1G) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4096 }).map((m) => m * P2M) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
);
const length = fc.oneof(fc.constantFrom(1, 2, P2M, P2M + 1, P1G, P1G + P2M, 2 * P1G), fc.integer({ min: 1, max: 3 * P2M }));

type Op = { kind: "map"; vpn: number; pages: number; mfn: number; flags: number } | { kind: "destroy"; vpn: number; pages: number } | { kind: "oom"; vpn: number; pages: number; mfn: number; flags: number; failAt: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("map" as const), vpn: offset(WINDOW), pages: length, mfn: mfnDelta, flags: fc.constantFrom(...FLAGS) }).map((o) => ({ ...o, mfn: o.vpn + o.mfn })) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("map" as const), vpn: offset(WINDOW), pages: length, mfn: offset(WINDOW), flags: fc.constant(x.PAGE_HYPERVISOR) }).map((o) => ({ ...o, mfn: o.vpn + 7 * P1G })) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("destroy" as const), vpn: offset(WINDOW), pages: length }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("oom" as const), vpn: offset(WINDOW), pages: length, mfn: mfnDelta, flags: fc.constantFrom(...FLAGS), failAt: fc.integer({ min: 0, max: 3 }) }).map((o) => ({ ...o, mfn: o.vpn + o.mfn })) },
);

function check(page1gb: boolean, ops: Op[]): void {
  const alloc = new SimFrameAllocator();
  const pt = new PageTable({ allocator: alloc, page1gb });
  const ref = new RefMap();
  for (const o of ops) {
    const pages = Math.min(o.pages, WINDOW - o.vpn);
    const va = (BASE_VPN + o.vpn) * 4096;
    if (o.kind === "destroy") {
      pt.destroyMappings(va, va + pages * 4096);
      ref.clear(BASE_VPN + o.vpn, pages);
    } else if (o.kind === "map") {
      pt.mapPages(va, o.mfn, pages, o.flags);
      ref.map(BASE_VPN + o.vpn, o.mfn, pages, o.flags);
      superpagesWhereAllowed(pt, page1gb, BASE_VPN + o.vpn, o.mfn, pages, o.flags);
    } else {
      const before = tableRuns(pt);
      const frames = new Set(alloc.inUse());
      let n = 0;
      alloc.failWhen = () => n++ === o.failAt;
      try {
        pt.mapPages(va, o.mfn, pages, o.flags);
        ref.map(BASE_VPN + o.vpn, o.mfn, pages, o.flags);
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
        expect(tableRuns(pt)).toEqual(before);
        expect(new Set(alloc.inUse())).toEqual(frames);
      }
      alloc.failWhen = undefined;
    }
    expect(tableRuns(pt)).toEqual(ref.normalized());
    expect(tableProblems(pt, alloc.inUse())).toEqual([]);
    expect(nonPresentWithPse(pt)).toEqual([]);
  }
}

/** After a map, every eligible aligned 1 GiB (with CPU support) and 2 MiB chunk of the call is one superpage. */
function superpagesWhereAllowed(pt: PageTable, page1gb: boolean, vpn: number, mfn: number, pages: number, flags: number): void {
  if (!(flags & x._PAGE_PRESENT) || flags & (x._PAGE_PAT | x.MAP_SMALL_PAGES)) return;
  for (const [size, level] of [[P1G, 3], [P2M, 2]] as const) {
    if (size === P1G && !page1gb) continue;
    const delta = (((mfn - vpn) % size) + size) % size;
    if (delta !== 0) continue;
    for (let v = Math.ceil(vpn / size) * size; v + size <= vpn + pages; v += size) {
      const runs = [...leafRuns(pt, v, 1)];
      expect(runs.length).toBe(1);
      expect(runs[0]!.level).toBeGreaterThanOrEqual(level);
    }
  }
}

/** L2/L3 entries that are not present but carry PSE (the patch stops or-ing PSE into those). */
function nonPresentWithPse(pt: PageTable): string[] {
  const bad: string[] = [];
  const l4t = pt.table(pt.root);
  for (const e4 of l4t) {
    if (!(x.l4e_get_flags(e4) & x._PAGE_PRESENT)) continue;
    for (const e3 of pt.table(x.l4e_get_pfn(e4))) {
      const f3 = x.l3e_get_flags(e3);
      if (!(f3 & x._PAGE_PRESENT)) {
        if (f3 & x._PAGE_PSE) bad.push("l3e");
        continue;
      }
      if (f3 & x._PAGE_PSE) continue;
      for (const e2 of pt.table(x.l3e_get_pfn(e3))) {
        const f2 = x.l2e_get_flags(e2);
        if (!(f2 & x._PAGE_PRESENT) && f2 & x._PAGE_PSE) bad.push("l2e");
      }
    }
  }
  return bad;
}

describe("page table against a flat reference map (model-based)", () => {
  for (const page1gb of [true, false]) {
    it(`map/destroy sequences keep every translation (${page1gb ? "with" : "without"} 1 GiB pages)`, () => {
      fc.assert(
        fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => check(page1gb, ops)),
        { numRuns: 40, seed: page1gb ? 1 : 2 },
      );
    });
  }
});
