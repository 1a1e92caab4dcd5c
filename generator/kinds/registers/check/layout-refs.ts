import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabLayout } from "../../../elaborate/model.ts";
import type { Lookup } from "../../../elaborate/lookup.ts";

/** A nested layout must exist, have the field's width, and never contain itself. */
export function checkLayoutRefs(shape: ElabLayout, lookup: Lookup, d: Diagnostics): void {
  for (const f of shape.fields) {
    if (!f.layout) continue;
    const target = lookup.layouts.get(f.layout);
    if (!target) {
      const known = [...lookup.layouts.keys()].filter((q) => q.endsWith(`.${f.layout!.split(".").pop()}`));
      d.error(f.loc, `field "${f.name}" refers to unknown layout "${f.layout}"${known.length ? ` (did you mean "${known[0]}"?)` : ""}`);
      continue;
    }
    if (target.width !== f.width) {
      d.error(f.loc, `field "${f.name}" is ${f.width} bits wide but layout "${target.qname}" is ${target.width} bits`);
    }
    if (f.enum.length || f.constValue !== undefined) {
      d.error(f.loc, `field "${f.name}" has a layout, so it cannot also have "enum" or "const"`);
    }
  }
}

/** Reports each layout that reaches itself through nested fields, once, naming the cycle. */
export function checkLayoutCycles(lookup: Lookup, d: Diagnostics): void {
  const state = new Map<string, "active" | "done">();
  const reported = new Set<string>();
  const visit = (q: string, chain: string[]) => {
    if (state.get(q) === "done") return;
    if (state.get(q) === "active") {
      const cycle = chain.slice(chain.indexOf(q));
      const key = [...cycle].sort().join(",");
      if (!reported.has(key)) {
        reported.add(key);
        const layout = lookup.layouts.get(q)!;
        d.error(layout.loc, `layout "${q}" contains itself: ${[...cycle, q].join(" -> ")}`);
      }
      return;
    }
    state.set(q, "active");
    for (const f of lookup.layouts.get(q)?.fields ?? []) if (f.layout && lookup.layouts.has(f.layout)) visit(f.layout, [...chain, q]);
    state.set(q, "done");
  };
  for (const q of [...lookup.layouts.keys()].sort()) visit(q, []);
}
