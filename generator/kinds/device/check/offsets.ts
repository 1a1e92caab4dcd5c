import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../../elaborate/model.ts";
import { hex } from "../../../resolve/values.ts";

interface Span {
  first: bigint;
  /** Exclusive. */
  end: bigint;
  what: string;
  reg?: ElabDeviceRegister;
  loc: ElabDeviceRegister["loc"];
}

const name = (r: ElabDeviceRegister, i: number) => (r.array ? `${r.name}[${i}]` : r.name);

/**
 * Every register (each element of an array) is naturally aligned, lies inside the block and
 * shares no byte with another register or with an unmapped range; unmapped ranges lie inside the
 * block too.
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
    if (r.array && count > 1) {
      if (stride < bytes) d.error(r.loc, `array ${r.name} has stride ${stride} but each element is ${bytes} bytes, so elements would overlap`);
      else if (stride % bytes !== 0n) d.error(r.loc, `array ${r.name} has stride ${stride}, not a multiple of its ${bytes}-byte elements, so later elements are misaligned`);
    }
    const last = r.offset + BigInt(count - 1) * stride;
    if (last + bytes > size) {
      d.error(r.loc, `register ${name(r, count - 1)} (offset ${hex(last)}, ${bytes} bytes) lies beyond the end of the ${hex(size)}-byte block`);
    }
    if (stride >= bytes) for (let i = 0; i < count; i++) spans.push({ first: r.offset + BigInt(i) * stride, end: r.offset + BigInt(i) * stride + bytes, what: `register ${name(r, i)}`, reg: r, loc: r.loc });
  }
  for (const u of spec.block.unmappedRanges) {
    if (u.last < u.first) d.error(u.loc, `unmapped range ${hex(u.first)}..${hex(u.last)} ends before it starts`);
    else if (u.last >= size) d.error(u.loc, `unmapped range ${hex(u.first)}..${hex(u.last)} lies beyond the end of the ${hex(size)}-byte block`);
    else spans.push({ first: u.first, end: u.last + 1n, what: `unmapped range ${hex(u.first)}..${hex(u.last)}`, loc: u.loc });
  }
  spans.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  // Sorted by start, so every overlap involves a span that starts before the previous ones end.
  let reach: Span | undefined;
  for (const s of spans) {
    if (reach && s.first < reach.end) {
      const hint = s.reg && reach.reg ? '; give a register other names with "aliases", or share storage with "alias_of"' : "";
      const n = reach.end - reach.first;
      d.error(s.loc, `${s.what} (offset ${hex(s.first)}) overlaps ${reach.what} (offset ${hex(reach.first)}, ${n} byte${n === 1n ? "" : "s"})${hint}`);
    }
    if (!reach || s.end > reach.end) reach = s;
  }
}
