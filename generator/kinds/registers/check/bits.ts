import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabLayout } from "../../../elaborate/model.ts";
import { gaps } from "../fields.ts";
import { bitsText as formatBits } from "../../../elaborate/bits.ts";

/** Fields and reserved ranges must lie inside the shape, not overlap, and cover every bit. */
export function checkBits(shape: ElabLayout, d: Diagnostics): void {
  const what = `${shape.width}-bit ${shape.name}`;
  const parts = [
    ...shape.fields.map((f) => ({ label: `field "${f.name}"`, lsb: f.lsb, width: f.width, loc: f.loc })),
    ...shape.reserved.map((r) => ({ label: "reserved range", lsb: r.lsb, width: r.width, loc: r.loc })),
  ];
  for (const p of parts) {
    if (p.lsb + p.width > shape.width) {
      d.error(p.loc, `${p.label} (bits ${formatBits(p.lsb, p.width)}) lies outside the ${what}`);
    }
  }
  const sorted = [...parts].sort((a, b) => a.lsb - b.lsb || a.width - b.width);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length && sorted[j]!.lsb < sorted[i]!.lsb + sorted[i]!.width; j++) {
      const a = sorted[i]!;
      const b = sorted[j]!;
      d.error(b.loc, `${b.label} (bits ${formatBits(b.lsb, b.width)}) overlaps ${a.label} (bits ${formatBits(a.lsb, a.width)})`);
    }
  }
  const missing = gaps(shape.width, parts);
  if (missing.length) {
    const list = missing.map((g) => formatBits(g.lsb, g.width)).join(", ");
    d.error(
      shape.loc,
      `bits ${list} of ${shape.name} are not accounted for: name them in a field or declare them "reserved" (res0, res1 or ignore)`,
    );
  }
}
