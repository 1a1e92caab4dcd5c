import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegister, ElabRegistersSpec } from "../../../elaborate/model.ts";
import { hex } from "../../../resolve/values.ts";
import { elementAddress, elementName } from "../../../inspect/address.ts";

const spelled = (r: ElabRegister, i: number) => (r.array ? elementName(r.name, i) : r.name);

/**
 * No two registers share an index, and no two share a byte of MMIO offsets; every element of an
 * array counts. A pair of registers is reported once, at its first clash, so a large array laid
 * over another gives one error rather than one per element.
 */
export function checkAddresses(spec: ElabRegistersSpec, d: Diagnostics): void {
  const byIndex = new Map<bigint, { r: ElabRegister; i: number }>();
  const reported = new Set<string>();
  for (const r of spec.registers) {
    if (r.index === undefined) continue;
    for (let i = 0; i < (r.array?.count ?? 1); i++) {
      const at = elementAddress(r, i)!;
      const prior = byIndex.get(at);
      if (!prior) {
        byIndex.set(at, { r, i });
        continue;
      }
      if (prior.r === r || reported.has(`${prior.r.name}|${r.name}`)) continue;
      reported.add(`${prior.r.name}|${r.name}`);
      d.error(r.loc, `register "${spelled(r, i)}" has index ${hex(at)}, already used by "${spelled(prior.r, prior.i)}"`);
    }
  }
  const spans: { first: bigint; end: bigint; r: ElabRegister; i: number }[] = [];
  for (const r of spec.registers) {
    if (r.offset === undefined) continue;
    const bytes = BigInt(r.width / 8);
    for (let i = 0; i < (r.array?.count ?? 1); i++) {
      const first = elementAddress(r, i)!;
      spans.push({ first, end: first + bytes, r, i });
    }
  }
  spans.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let open: typeof spans = [];
  for (const s of spans) {
    open = open.filter((o) => o.end > s.first);
    for (const o of open) {
      if (o.r === s.r || reported.has(`${o.r.name}|${s.r.name}`)) continue;
      reported.add(`${o.r.name}|${s.r.name}`);
      const n = o.end - o.first;
      d.error(s.r.loc, `register "${spelled(s.r, s.i)}" (offset ${hex(s.first)}) overlaps register "${spelled(o.r, o.i)}" (offset ${hex(o.first)}, ${n} byte${n === 1n ? "" : "s"})`);
    }
    open.push(s);
  }
}
