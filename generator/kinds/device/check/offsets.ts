import type { Diagnostics, Loc } from "../../../diagnostics.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../../elaborate/model.ts";
import type { UnmappedRange } from "../../../model/index.ts";
import { hex } from "../../../resolve/values.ts";
import { elementName } from "../../../inspect/address.ts";

interface Span {
  first: bigint;
  /** Exclusive. */
  end: bigint;
  reg?: ElabDeviceRegister;
  element?: number;
  range?: UnmappedRange;
}

const label = (s: Span) =>
  s.range ? `unmapped range ${rangeText(s.range)}` : `register ${s.reg!.array ? elementName(s.reg!.name, s.element!) : s.reg!.name}`;
const rangeText = (u: UnmappedRange) => `${hex(u.first)}..${hex(u.last)}`;
const bytesText = (n: bigint) => `${n} byte${n === 1n ? "" : "s"}`;

/**
 * Every register (each element of an array) is naturally aligned, lies inside the block and
 * shares no byte with another register or with an unmapped range; unmapped ranges lie inside the
 * block and do not overlap each other.
 */
export function checkOffsets(spec: ElabDeviceSpec, d: Diagnostics): void {
  const size = spec.block.size;
  const spans: Span[] = [];
  for (const r of spec.registers) {
    const bytes = BigInt(r.width / 8);
    if (r.offset % bytes !== 0n) {
      d.error(r.loc, `register ${r.name} at offset ${hex(r.offset)} is misaligned: a ${r.width}-bit register needs an offset that is a multiple of ${bytes}`);
    }
    const count = r.array?.count ?? 1;
    const stride = r.array?.stride ?? bytes;
    const strideAt: Loc = r.array?.loc ?? r.loc;
    if (r.array && count > 1) {
      if (stride < bytes) {
        d.error(strideAt, `array ${r.name} has a stride of ${stride} bytes but each element is ${bytesText(bytes)}, so ${elementName(r.name, 0)} and ${elementName(r.name, 1)} overlap`);
        continue;
      }
      if (stride % bytes !== 0n) {
        d.error(strideAt, `array ${r.name} has a stride of ${stride} bytes, not a multiple of its ${bytes}-byte elements, so ${elementName(r.name, 1)} at ${hex(r.offset + stride)} is misaligned`);
      }
    }
    const last = r.offset + BigInt(count - 1) * stride;
    if (last + bytes > size) {
      if (!r.array) d.error(r.loc, `register ${r.name} (offset ${hex(r.offset)}, ${bytesText(bytes)}) lies beyond the end of the ${hex(size)}-byte block`);
      else {
        const fit = r.offset + bytes > size ? 0n : (size - bytes - r.offset) / (stride || 1n) + 1n;
        const fits = fit === 0n ? "no element fits" : `only ${r.name}[0..${fit - 1n}] fit`;
        d.error(r.loc, `array ${r.name} (${count} elements of ${bytesText(bytes)} from offset ${hex(r.offset)}, stride ${stride} bytes) ends at ${hex(last + bytes - 1n)}, beyond the end of the ${hex(size)}-byte block: ${fits}`);
      }
    }
    for (let i = 0; i < count; i++) {
      const first = r.offset + BigInt(i) * stride;
      spans.push({ first, end: first + bytes, reg: r, element: i });
    }
  }
  for (const u of spec.block.unmappedRanges) {
    if (u.last < u.first) d.error(u.loc, `unmapped range ${rangeText(u)} ends before it starts`);
    else if (u.last >= size) d.error(u.loc, `unmapped range ${rangeText(u)} lies beyond the end of the ${hex(size)}-byte block (last offset ${hex(size - 1n)})`);
    else spans.push({ first: u.first, end: u.last + 1n, range: u });
  }
  reportOverlaps(spans, d);
}

/**
 * Sorted by start, a span overlaps exactly the earlier spans still open when it starts. Each pair
 * of registers (or register and range) is reported once, at its first clash, and a range's clashes
 * are reported at the range: the range is what has to shrink.
 */
function reportOverlaps(spans: Span[], d: Diagnostics): void {
  spans.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const seen = new Set<string>();
  const rangeHits = new Map<UnmappedRange, Span[]>();
  const key = (s: Span) => (s.range ? `range ${s.range.first}` : `reg ${s.reg!.name}`);
  let open: Span[] = [];
  for (const s of spans) {
    open = open.filter((o) => o.end > s.first);
    for (const o of open) {
      const pair = [key(o), key(s)].sort().join("|");
      if (o.reg === s.reg && o.reg) continue;
      if (seen.has(pair)) continue;
      seen.add(pair);
      if (o.range && s.range) {
        d.error(s.range.loc, `unmapped range ${rangeText(s.range)} overlaps unmapped range ${rangeText(o.range)}; give each offset one policy by merging or splitting them`);
      } else if (o.range || s.range) {
        const range = (o.range ?? s.range)!;
        const reg = o.range ? s : o;
        rangeHits.set(range, [...(rangeHits.get(range) ?? []), reg]);
      } else {
        d.error(
          s.reg!.loc,
          `${label(s)} (offset ${hex(s.first)}) overlaps ${label(o)} (offset ${hex(o.first)}, ${bytesText(o.end - o.first)}); give a register other names with "aliases", or share storage with "alias_of"`,
        );
      }
    }
    open.push(s);
  }
  for (const [range, regs] of rangeHits) {
    const list = regs.map((r) => `${label(r).replace(/^register /, "")} (offset ${hex(r.first)})`);
    const what = list.length === 1 ? `register ${list[0]}` : `registers ${list.slice(0, -1).join(", ")} and ${list.at(-1)}`;
    d.error(range.loc, `unmapped range ${rangeText(range)} overlaps ${what}; an unmapped range covers only offsets no register uses`);
  }
}
