/**
 * 4. Page tables: the 1:1 mapping of 512 GiB with 1 GiB pages available, with 2 MiB pages only and
 * with 4 KiB pages only (MAP_SMALL_PAGES); entries written, tables allocated, time. The 4 KiB case
 * is run on a smaller range and extrapolated linearly (every 4 KiB entry and L1 table scales with the
 * range); results say so. Then random remap/destroy throughput.
 */
import { fmtRate, round, skipped, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

const GiB = 2 ** 30;

export async function runPagetable(cfg: BenchConfig): Promise<SectionResult> {
  let pt: typeof import("../runtime/x86/pagetable/index.ts");
  let gen: typeof import("../generated/ts/x86/pagetable.ts");
  try {
    pt = await import("../runtime/x86/pagetable/index.ts");
    gen = await import("../generated/ts/x86/pagetable.ts");
  } catch (e) {
    return skipped("pagetable", `runtime/x86/pagetable not available: ${(e as Error).message.split("\n")[0]}`);
  }
  const { PageTable, SimFrameAllocator } = pt;
  const { PAGE_HYPERVISOR, MAP_SMALL_PAGES, PAGE_SIZE } = gen;
  const full = cfg.mode === "smoke" ? 2 * GiB : 512 * GiB;
  const small = cfg.mode === "full" ? 8 * GiB : cfg.mode === "quick" ? 2 * GiB : 64 * 2 ** 20;
  const cases = [
    { name: "1 GiB pages", page1gb: true, flags: PAGE_HYPERVISOR, bytes: full },
    { name: "2 MiB only", page1gb: false, flags: PAGE_HYPERVISOR, bytes: full },
    { name: "4 KiB only", page1gb: false, flags: PAGE_HYPERVISOR | MAP_SMALL_PAGES, bytes: small },
  ];
  const rows: Row[] = [];
  const results: Record<string, unknown> = { mapped_gib: full / GiB };
  const virt = 0xffff_8300_0000_0000 - 2 ** 64 + 2 ** 47; // any canonical-free model address: directmap-like, 512 GiB aligned
  const base = Math.floor(virt / (512 * GiB)) * 512 * GiB;
  for (const c of cases) {
    const t = new PageTable({ allocator: new SimFrameAllocator(), page1gb: c.page1gb });
    const t0 = performance.now();
    const r = t.mapPages(base, 0, c.bytes / PAGE_SIZE, c.flags);
    const ms = performance.now() - t0;
    const scale = full / c.bytes;
    const entry = {
      measured_gib: c.bytes / GiB,
      extrapolated: scale !== 1,
      entries_written: Math.round((r.writes[0] + r.writes[1]) * scale + r.writes[2] + r.writes[3]),
      // L1 entries and L1 tables grow with the range; the few L3/L4 writes and upper tables do not.
      writes_by_level: r.writes.map((w, i) => (i < 2 ? Math.round(w * scale) : w)),
      tables_allocated: Math.round(r.writes[1] * scale + (r.allocated.length - r.writes[1])),
      ms: round(ms * scale),
    };
    results[c.name.replace(/ /g, "_").toLowerCase()] = entry;
    rows.push({
      section: "pagetable",
      name: `map ${full / GiB} GiB, ${c.name}`,
      value: `${entry.ms.toFixed(1)} ms`,
      note: `${entry.entries_written} entries, ${entry.tables_allocated} tables${scale !== 1 ? ` (measured on ${c.bytes / GiB} GiB, ×${scale} extrapolated)` : ""}`,
    });
  }
  // Random remap/destroy over a 4 GiB window mapped with 2 MiB pages: shatters and re-coalesces.
  const t = new PageTable({ allocator: new SimFrameAllocator(), page1gb: true });
  const window = 4 * GiB;
  t.mapPages(base, 0, window / PAGE_SIZE, PAGE_HYPERVISOR);
  let seed = 12345;
  const rnd = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
  const ops = cfg.mode === "full" ? 20000 : cfg.mode === "quick" ? 5000 : 50;
  const pages = window / PAGE_SIZE;
  const t0 = performance.now();
  let remaps = 0;
  let destroys = 0;
  for (let i = 0; i < ops; i++) {
    const nr = 1 + rnd(i % 8 === 0 ? 1024 : 16);
    const p = rnd(pages - nr);
    if (rnd(2) === 0) {
      t.mapPages(base + p * PAGE_SIZE, p + (rnd(2) ? 0 : 1), nr, PAGE_HYPERVISOR);
      remaps++;
    } else {
      t.destroyMappings(base + p * PAGE_SIZE, base + (p + nr) * PAGE_SIZE);
      destroys++;
    }
  }
  const s = (performance.now() - t0) / 1000;
  results.random = { ops, remaps, destroys, seconds: round(s, 4), ops_per_s: round(ops / s), tables_live: t.tables.size };
  rows.push({ section: "pagetable", name: "random remap/destroy", value: fmtRate(ops / s, "ops"), note: `${ops} ops on a 4 GiB window (1..16 pages, every 8th up to 1024), ${t.tables.size} tables live` });
  return { results, rows };
}
