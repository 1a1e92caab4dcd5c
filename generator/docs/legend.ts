import { ACCESS_MEANING, ACCESS_ORDER } from "../inspect/access.ts";
import type { Access } from "../model/index.ts";
import type { PageView, SectionView } from "./view.ts";

/** How reserved bits behave under each policy, for the same legend. */
const RESERVED_MEANING: Record<string, [string, string, string]> = {
  res0: ["keeps 0", "0", "reserved, reads as 0: writes do not change it, and software writes 0"],
  res1: ["keeps 1", "1", "reserved, reads as 1: writes do not change it, and software writes 1"],
  ignore: ["keeps its value", "value", "reserved with no defined meaning: hardware may report anything, writes keep the old value"],
};

/**
 * A "Field access" section explaining every access (and reserved policy) the page's field tables
 * use, so `w1c` or `rc` in a table is never a puzzle. Undefined for a page without field tables.
 */
export function accessLegend(page: PageView): SectionView | undefined {
  const used = new Set<string>();
  const policies = new Set<string>();
  for (const sec of page.sections) {
    for (const s of sec.shapes) {
      for (const r of s.rows) {
        if (r.reserved) policies.add(/\(([^)]+)\)/.exec(r.name)?.[1] ?? "");
        else if (r.access) used.add(r.access);
      }
    }
  }
  if (!used.size && !policies.size) return undefined;
  const rows = ACCESS_ORDER.filter((a) => used.has(a)).map((a: Access) => [a, ACCESS_MEANING[a].write, ACCESS_MEANING[a].read, ACCESS_MEANING[a].summary]);
  for (const p of ["res0", "res1", "ignore"]) if (policies.has(p)) rows.push([`reserved (${p})`, ...RESERVED_MEANING[p]!]);
  return {
    id: "access-legend",
    title: "Field access",
    doc: "What a write does to each bit of a field and what a read returns, for every access the tables on this page use.",
    tables: [{ caption: "Access and side effects", head: ["access", "on write", "on read", "meaning"], rows }],
    shapes: [],
  };
}
