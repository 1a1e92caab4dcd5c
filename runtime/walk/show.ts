import type { WalkDescriptor } from "../../generated/ts/support.ts";
import type { WalkFault, WalkResult } from "./walk.ts";

const hex = (v: bigint, digits: number) => v.toString(16).padStart(digits, "0");

/** Human size of a page or block: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
export function sizeText(bytes: bigint): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let u = 0;
  let v = bytes;
  while (u < units.length - 1 && v >= 1024n && v % 1024n === 0n) {
    v /= 1024n;
    u++;
  }
  return `${v} ${units[u]}`;
}

/** One sentence for a fault, naming the level. */
export function faultText(f: WalkFault): string {
  switch (f.kind) {
    case "not-present":
      return `${f.level} entry is not present`;
    case "reserved-bit":
      return `${f.level} entry (${f.format}) has reserved bits set: 0x${f.bits.toString(16)}`;
    case "misaligned-superpage":
      return `${f.level} entry (${f.format}) maps 0x${f.address.toString(16)}, not aligned to its ${sizeText(f.align)} page`;
    case "reserved-encoding":
      return `${f.level} entry is a reserved encoding${f.format ? ` (${f.format})` : " (no format's condition holds)"}`;
    case "no-memory":
      return `no memory at 0x${f.address.toString(16)} to read the ${f.level} entry from`;
  }
}

/**
 * A walk in the style of Xen's show_page_walk: a heading, then one line per level with the table
 * index and the raw entry, followed by the entry's format and where it points, then the outcome.
 */
export function showWalk(desc: WalkDescriptor, r: WalkResult): string[] {
  const digits = desc.entryWidth / 4;
  const out = [`Pagetable walk from ${hex(r.va, 16)} (${desc.spec}, root ${hex(r.root, 16)}):`];
  for (const s of r.steps) {
    const level = desc.levels.find((l) => l.name === s.level)!;
    const idx = "0x" + hex(BigInt(s.index), Math.ceil(level.indexBits / 4));
    const what = !s.format
      ? ""
      : s.role === "table" && s.address !== undefined
        ? ` ${s.format} -> table ${hex(s.address, 16)}`
        : s.role === "leaf" && s.address !== undefined
          ? ` ${s.format} -> ${sizeText(1n << BigInt(level.vaShift))} page ${hex(s.address, 16)}`
          : ` ${s.format}`;
    out.push(` ${s.level}[${idx}] = ${hex(s.entry, digits)}${what}`);
  }
  if (r.translation) out.push(` => ${hex(r.translation.pa, 16)} (${sizeText(r.translation.pageSize)} page, ${r.translation.format})`);
  else if (r.fault) out.push(` fault: ${r.fault.kind}: ${faultText(r.fault)}`);
  return out;
}
