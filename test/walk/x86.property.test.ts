import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as x from "../../generated/ts/x86/pagetable.ts";
import { PageTable, SimFrameAllocator, showPageWalk, translate } from "../../runtime/x86/pagetable/index.ts";
import { walk } from "../../runtime/walk/index.ts";
import { RefMap } from "../pagetable/reference.ts";
import { canonical, memoryOf } from "./x86-memory.ts";

const P1G = 262144;
const P2M = 512;
const PAGE = 4096;
/**
 * Two windows of 4 GiB: one across a 512 GiB (L4) boundary, one across the middle of the 48-bit
 * space, whose upper half is the canonical ffff8000_00000000 and up.
 */
const WINDOWS = [511 * P1G, 2 ** 35 - P1G];
const WINDOW = 4 * P1G;
const FLAGS = [x.PAGE_HYPERVISOR, x.__PAGE_HYPERVISOR, x.PAGE_HYPERVISOR | x.MAP_SMALL_PAGES, x.PAGE_HYPERVISOR | x._PAGE_NX, x._PAGE_PRESENT];

/** Offsets biased to superpage boundaries, so 1 GiB, 2 MiB and 4 KiB leaves all occur. */
const offset = fc.oneof(
  fc.integer({ min: 0, max: WINDOW / P1G - 1 }).map((g) => g * P1G),
  fc.integer({ min: 0, max: WINDOW / P2M - 1 }).map((m) => m * P2M),
  fc.integer({ min: 0, max: WINDOW - 1 }),
);
const length = fc.oneof(fc.constantFrom(1, P2M, P2M + 3, P1G, P1G + P2M), fc.integer({ min: 1, max: 2 * P2M }));
const mfnDelta = fc.oneof(fc.integer({ min: 0, max: 40 }).map((g) => g * P1G), fc.integer({ min: 0, max: 4096 }).map((m) => m * P2M), fc.integer({ min: 1, max: 7 }));
const op = fc.record({ window: fc.constantFrom(...WINDOWS), vpn: offset, pages: length, delta: mfnDelta, flags: fc.constantFrom(...FLAGS), destroy: fc.boolean() });

describe("walk over tables built by the x86 mapper", () => {
  it("translates every probed address to the frame the mapper mapped, or faults not-present where nothing is mapped", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.nat({ max: PAGE - 1 })), { minLength: 1, maxLength: 30 }), (ops, page1gb, probes) => {
        const pt = new PageTable({ allocator: new SimFrameAllocator(), page1gb });
        const ref = new RefMap();
        for (const o of ops) {
          const pages = Math.min(o.pages, WINDOW - o.vpn);
          const vpn = o.window + o.vpn;
          if (o.destroy) {
            pt.destroyMappings(vpn * PAGE, (vpn + pages) * PAGE);
            ref.clear(vpn, pages);
          } else {
            pt.mapPages(vpn * PAGE, vpn + o.delta, pages, o.flags);
            ref.map(vpn, vpn + o.delta, pages, o.flags);
          }
        }
        const read = memoryOf(pt);
        const runs = ref.runs;
        for (const [pick, byte] of probes) {
          // Half the probes land inside a mapped run, half anywhere in a window.
          const run = runs.length && pick % 2 ? runs[pick % runs.length]! : undefined;
          const vpn = run ? run.vpn + (pick % run.pages) : WINDOWS[pick % 2]! + (pick % WINDOW);
          const va = canonical(vpn * PAGE + byte);
          const r = walk(x.walk, { root: BigInt(pt.root) * 4096n, va, read });
          const hit = runs.find((q) => vpn >= q.vpn && vpn < q.vpn + q.pages);
          if (!hit) {
            expect(r.translation).toBeUndefined();
            expect(r.fault?.kind).toBe("not-present");
            continue;
          }
          expect(r.fault).toBeUndefined();
          expect(r.translation!.pa).toBe(BigInt(hit.mfn + (vpn - hit.vpn)) * 4096n + BigInt(byte));
          const level = translate(pt, vpn * PAGE)!.level;
          expect(r.translation!.pageSize).toBe(4096n << BigInt(9 * (level - 1)));
          expect(r.translation!.level).toBe(`L${level}`);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("agrees with showPageWalk on every level it prints: index, raw entry, and (PSE) on superpage leaves", () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { minLength: 1, maxLength: 20 }), (ops, probes) => {
        const pt = new PageTable({ allocator: new SimFrameAllocator(), page1gb: true });
        for (const o of ops) if (!o.destroy) pt.mapPages((o.window + o.vpn) * PAGE, o.window + o.vpn + o.delta, Math.min(o.pages, WINDOW - o.vpn), o.flags);
        for (const pick of probes) {
          const virt = (WINDOWS[pick % 2]! + (pick % WINDOW)) * PAGE;
          const r = walk(x.walk, { root: BigInt(pt.root) * 4096n, va: canonical(virt), read: memoryOf(pt) });
          const xen = showPageWalk(pt, virt).slice(1);
          expect(xen.length).toBe(r.steps.length);
          r.steps.forEach((s, i) => {
            const pse = s.role === "leaf" && s.level !== "L1" ? " (PSE)" : "";
            expect(xen[i]).toBe(` ${s.level}[0x${s.index.toString(16).padStart(3, "0")}] = ${s.entry.toString(16).padStart(16, "0")} ${"f".repeat(16)}${pse}`);
          });
        }
      }),
      { numRuns: 40 },
    );
  });
});
