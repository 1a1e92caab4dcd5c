import { _PAGE_PRESENT } from "../../generated/ts/x86/pagetable.ts";
import { leafRuns, reachableTables, type PageTable } from "../../runtime/x86/pagetable/index.ts";

/** A run of pages: virtual pages [vpn, vpn+pages) map to frames from mfn with flags. */
export interface RefRun {
  vpn: number;
  pages: number;
  mfn: number;
  flags: number;
}

/**
 * The flat reference map (virtual page → frame, flags), kept as sorted non-overlapping runs so
 * 1 GiB ranges cost one run, not 262144 pages. Non-present flags mean "no translation".
 */
export class RefMap {
  runs: RefRun[] = [];

  clear(vpn: number, pages: number): void {
    const end = vpn + pages;
    const out: RefRun[] = [];
    for (const r of this.runs) {
      const rend = r.vpn + r.pages;
      if (rend <= vpn || r.vpn >= end) {
        out.push(r);
        continue;
      }
      if (r.vpn < vpn) out.push({ ...r, pages: vpn - r.vpn });
      if (rend > end) out.push({ vpn: end, pages: rend - end, mfn: r.mfn + (end - r.vpn), flags: r.flags });
    }
    this.runs = out.sort((a, b) => a.vpn - b.vpn);
  }

  map(vpn: number, mfn: number, pages: number, flags: number): void {
    this.clear(vpn, pages);
    if (pages && flags & _PAGE_PRESENT) this.runs.push({ vpn, pages, mfn, flags });
    this.runs.sort((a, b) => a.vpn - b.vpn);
  }

  normalized(): RefRun[] {
    return merge(this.runs);
  }
}

/** Adjacent runs that continue each other (next page, next frame, same flags) become one. */
export function merge(runs: RefRun[]): RefRun[] {
  const out: RefRun[] = [];
  for (const r of runs) {
    const last = out[out.length - 1];
    if (last && last.vpn + last.pages === r.vpn && last.mfn + last.pages === r.mfn && last.flags === r.flags) last.pages += r.pages;
    else out.push({ ...r });
  }
  return out;
}

/** The page table's translations as merged runs. */
export function tableRuns(pt: PageTable): RefRun[] {
  return merge([...leafRuns(pt)].map((r) => ({ vpn: r.vpn, pages: r.pages, mfn: r.mfn, flags: r.flags })));
}

/** Every allocated frame is a reachable table referenced exactly once, and vice versa. */
export function tableProblems(pt: PageTable, inUse: ReadonlySet<number>): string[] {
  const problems: string[] = [];
  const reach = reachableTables(pt);
  for (const [mfn, n] of reach) {
    if (n !== 1) problems.push(`table ${mfn.toString(16)} referenced ${n} times`);
    if (!inUse.has(mfn)) problems.push(`table ${mfn.toString(16)} is reachable but not allocated`);
  }
  for (const mfn of inUse) if (!reach.has(mfn)) problems.push(`table ${mfn.toString(16)} leaked`);
  if (pt.tables.size !== inUse.size) problems.push(`${pt.tables.size} tables held, ${inUse.size} frames allocated`);
  return problems;
}
