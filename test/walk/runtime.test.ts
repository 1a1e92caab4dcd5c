import { describe, expect, it } from "vitest";
import { u64ToBigInt, type U64, type WalkDescriptor, type WalkFormat } from "../../generated/ts/support.ts";
import { showWalk, walk } from "../../runtime/walk/index.ts";

/**
 * A descriptor written by hand from the RISC-V Sv39 rules (privileged spec: V bit 0; R, W, X bits
 * 1-3; PPN 53:10 = PA >> 12; bits 63:54 reserved; R = W = X = 0 points to the next level; W
 * without R is reserved; a superpage's low PPN bits must be 0), so the runtime's fault paths are
 * exercised independently of any spec.
 */
const e = (u: U64) => u64ToBigInt(u);
const rwx = (u: U64) => (e(u) >> 1n) & 7n;
const formats = (shift: number): WalkFormat[] => {
  const address = { lsb: 10, width: 44, shift: 12 };
  const res0 = 0x3ffn << 54n;
  return [
    { name: "pointer", role: "table", when: (u) => rwx(u) === 0n, address, res0, align: 1n, fields: [] },
    { name: "w_without_r", role: "reserved", when: (u) => (rwx(u) & 3n) === 2n, res0, align: 1n, fields: [] },
    { name: "leaf", role: "leaf", when: () => true, address, res0, align: 1n << BigInt(shift), fields: [{ name: "ppn", lsb: 10, width: 44 }] },
  ];
};
const sv39: WalkDescriptor = {
  spec: "test.sv39",
  entryWidth: 64,
  vaBits: 39,
  vaUpper: "sign-extend",
  levels: [30, 21, 12].map((s) => ({ name: `L${(s - 12) / 9}`, vaShift: s, indexBits: 9, entryBytes: 8, valid: (u: U64) => (e(u) & 1n) === 1n, formats: formats(s) })),
};
const pte = (pa: bigint, bits: bigint) => ((pa >> 12n) << 10n) | bits;
const V = 1n, R = 2n, W = 4n, X = 8n;

const memory = new Map<bigint, bigint>([
  [0x1000n, pte(0x2000n, V)], // L2[0] -> 0x2000
  [0x1008n, pte(0x40000000n, V | R | X)], // L2[1]: 1 GiB at 0x40000000
  [0x1010n, pte(0x80200000n, V | R)], // L2[2]: 1 GiB leaf at 0x80200000, not 1 GiB aligned
  [0x1018n, pte(0x0n, V | W)], // L2[3]: W without R
  [0x1020n, pte(0x3000n, V) | (1n << 63n)], // L2[4]: pointer with reserved bit 63
  [0x2000n, pte(0x3000n, V)], // L1[0] -> 0x3000
  [0x3000n, pte(0x4000n, V)], // L0[0] is a pointer at the last level
  [0x3008n, pte(0x5000n, V | R | W)], // L0[1]: 4 KiB at 0x5000
]);
const read = (pa: bigint) => memory.get(pa) ?? (pa >= 0x1000n && pa < 0x4000n ? 0n : undefined);
const at = (va: bigint) => walk(sv39, { root: 0x1000n, va, read });

describe("runtime/walk over a hand-written Sv39 descriptor", () => {
  it("translates a 4 KiB page through three levels and a 1 GiB superpage at the root", () => {
    expect(at(0x1234n).translation).toEqual({ pa: 0x5234n, pageSize: 0x1000n, level: "L0", format: "leaf" });
    expect(at(0x1234n).steps.map((s) => [s.level, s.index, s.format])).toEqual([["L2", 0, "pointer"], ["L1", 0, "pointer"], ["L0", 1, "leaf"]]);
    // va 1 GiB + 0x123456: PA 0x40000000 + 0x123456
    expect(at(0x40123456n).translation).toEqual({ pa: 0x40123456n, pageSize: 0x40000000n, level: "L2", format: "leaf" });
    expect(at(0x40123456n).steps[0]!.fields).toEqual([{ name: "ppn", value: 0x40000n }]);
  });

  it("faults misaligned-superpage, reserved-encoding and reserved-bit at the level of the entry", () => {
    // 0x80200000 is 2 MiB aligned, not 1 GiB aligned.
    expect(at(0x80000000n).fault).toEqual({ kind: "misaligned-superpage", level: "L2", format: "leaf", address: 0x80200000n, align: 0x40000000n });
    expect(at(0xc0000000n).fault).toEqual({ kind: "reserved-encoding", level: "L2", format: "w_without_r" });
    expect(at(0x100000000n).fault).toEqual({ kind: "reserved-bit", level: "L2", format: "pointer", bits: 1n << 63n });
    // A pointer where no level follows.
    expect(at(0x0n).fault).toEqual({ kind: "reserved-encoding", level: "L0", format: "pointer" });
    expect(at(0x2000n).fault).toEqual({ kind: "not-present", level: "L0" });
    // Sv39 canonical: bits 63:39 equal bit 38; the upper half indexes L2[256..511].
    expect(at(0xffffffc000000000n).steps[0]!.index).toBe(256);
  });

  it("an entry no format's condition matches is a reserved encoding without a format", () => {
    const partial: WalkDescriptor = { ...sv39, levels: sv39.levels.map((l) => ({ ...l, formats: l.formats.slice(0, 2) })) };
    expect(walk(partial, { root: 0x1000n, va: 0x40000000n, read }).fault).toEqual({ kind: "reserved-encoding", level: "L2" });
  });

  it("prints one line per level and the outcome", () => {
    expect(showWalk(sv39, at(0x1234n))).toEqual([
      "Pagetable walk from 0000000000001234 (test.sv39, root 0000000000001000):",
      " L2[0x000] = 0000000000000801 pointer -> table 0000000000002000",
      " L1[0x000] = 0000000000000c01 pointer -> table 0000000000003000",
      " L0[0x001] = 0000000000001407 leaf -> 4 KiB page 0000000000005000",
      " => 0000000000005234 (4 KiB page, leaf)",
    ]);
    expect(showWalk(sv39, at(0x80000000n)).pop()).toBe(" fault: misaligned-superpage: L2 entry (leaf) maps 0x80200000, not aligned to its 1 GiB page");
  });
});
