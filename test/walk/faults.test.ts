import { describe, expect, it } from "vitest";
import * as x from "../../generated/ts/x86/pagetable.ts";
import { HwspecError } from "../../generated/ts/support.ts";
import { walk, WalkArgumentError } from "../../runtime/walk/index.ts";

/** Memory from a list of (address, entry) pairs; everything else unreadable. */
const mem = (pairs: [bigint, bigint][]) => {
  const m = new Map(pairs);
  return (pa: bigint) => m.get(pa);
};

// x86-64 by hand (Intel SDM vol. 3 4.5): P = bit 0, R/W = bit 1, PS = bit 7; a table entry holds
// the next table's address in bits 51:12. Root at 0x1000.
const P_RW = 0x3n;
const PS = 0x80n;
const tables: [bigint, bigint][] = [
  [0x1000n, 0x2000n | P_RW], // L4[0] -> L3 table at 0x2000
  [0x1008n, 0x2000n | P_RW | PS], // L4[1]: PS must be 0 in a PML4 entry
  [0x2000n, 0x3000n | P_RW], // L3[0] -> L2 table at 0x3000
  [0x2008n, 0x40000000n | P_RW | PS], // L3[1]: 1 GiB page at 0x40000000
  [0x3000n, 0x200000n | P_RW | PS | (1n << 13n)], // L2[0]: 2 MiB page with reserved bit 13 set
  [0x3008n, 0x400000n | P_RW | PS], // L2[1]: 2 MiB page at 0x400000
  [0x3010n, 0x4000n | P_RW], // L2[2] -> L1 table at 0x4000, which is not in memory
];
const read = mem(tables);
const at = (va: bigint) => walk(x.walk, { root: 0x1000n, va, read });

describe("walk faults on hand-built x86 tables", () => {
  it("translates the good leaves: 2 MiB at L2[1], 1 GiB at L3[1]", () => {
    // va 0x20_0000 + 0x12345 (L2 index 1): PA 0x400000 + 0x12345
    expect(at(0x212345n).translation).toEqual({ pa: 0x412345n, pageSize: 0x200000n, level: "L2", format: "l2e_superpage" });
    // va 0x4000_0000 + 0x1234_5678 (L3 index 1): PA 0x40000000 + 0x12345678
    expect(at(0x52345678n).translation).toEqual({ pa: 0x52345678n, pageSize: 0x40000000n, level: "L3", format: "l3e_superpage" });
  });

  it("a reserved bit in a valid entry is a reserved-bit fault naming the level, format and bits", () => {
    const r = at(0x1000n);
    expect(r.fault).toEqual({ kind: "reserved-bit", level: "L2", format: "l2e_superpage", bits: 0x2000n });
    expect(r.steps).toHaveLength(3);
    expect(r.translation).toBeUndefined();
    // va 512 GiB = L4 index 1, whose PS bit is reserved.
    expect(at(0x8000000000n).fault).toEqual({ kind: "reserved-bit", level: "L4", format: "l4e", bits: 0x80n });
  });

  it("a present bit of 0 is not-present, whatever else the entry holds", () => {
    // L3[3] (va 3 GiB) holds an address and R/W but P clear.
    const r = walk(x.walk, { root: 0x1000n, va: 0xc0000000n, read: mem([...tables, [0x2018n, 0xdead000n | 0x2n]]) });
    expect(r.fault).toEqual({ kind: "not-present", level: "L3" });
    expect(r.steps[1]).toEqual({ level: "L3", table: 0x2000n, index: 3, entryAddress: 0x2018n, entry: 0xdead002n });
  });

  it("an unreadable table is no-memory at the entry's address", () => {
    // L2 index 2 (va 0x400000) references 0x4000, not in memory; L1 index 0.
    expect(at(0x400000n).fault).toEqual({ kind: "no-memory", level: "L1", address: 0x4000n });
    expect(at(0x80000000n).fault).toEqual({ kind: "no-memory", level: "L3", address: 0x2010n });
  });

  it("bad calls are typed errors: non-canonical va, misaligned root, read returning no entry", () => {
    const bad = (req: Parameters<typeof walk>[1], argument: string, message: RegExp) => {
      let err: unknown;
      try {
        walk(x.walk, req);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(WalkArgumentError);
      expect(err).toBeInstanceOf(HwspecError);
      expect((err as WalkArgumentError).argument).toBe(argument);
      expect((err as Error).message).toMatch(message);
    };
    bad({ root: 0x1000n, va: 0x0000800000000000n, read }, "va", /not canonical.*bits 63:48 must all equal bit 47/);
    bad({ root: 0x1000n, va: 0xfffe800000000000n, read }, "va", /not canonical/);
    bad({ root: 0x1000n, va: 1n << 64n, read }, "va", /not a 64-bit address/);
    bad({ root: 0x1000n, va: 2 ** 60, read }, "va", /not an exact integer/);
    bad({ root: 0x1000n, va: -1, read }, "va", /not a 64-bit address/);
    bad({ root: 0x1800n, va: 0n, read }, "root", /not aligned to the 4096-byte L4 table/);
    bad({ root: 0x1000n, va: 0n, read: () => 5 as unknown as bigint }, "read", /returned 5, not a 64-bit bigint/);
    bad({ root: 0x1000n, va: 0n, read: () => 1n << 64n }, "read", /not a 64-bit bigint/);
    // The upper canonical half is accepted: ffff8000_00000000 is L4 index 256, absent here.
    expect(walk(x.walk, { root: 0x1000n, va: 0xffff800000000000n, read }).fault).toEqual({ kind: "no-memory", level: "L4", address: 0x1800n });
  });
});

import * as sv39 from "../../generated/ts/riscv/sv39.ts";
import * as vmsa from "../../generated/ts/arm/vmsav8-64-4k.ts";

// RISC-V Sv39 by hand (privileged spec 4.4.1): V bit 0, R 1, W 2, X 3; PPN 53:10 = PA >> 12, so a
// PTE for PA p is (p >> 12) << 10 | bits. VPN[2] = VA 38:30, VPN[1] 29:21, VPN[0] 20:12. Root 0x1000.
const rv = (pa: bigint, bits: bigint) => ((pa >> 12n) << 10n) | bits;
const rvTables = mem([
  [0x1000n, rv(0x2000n, 0x1n)], // VPN[2] 0 -> 0x2000
  [0x1008n, rv(0x80200000n, 0xfn)], // VPN[2] 1: 1 GiB leaf at 0x80200000, not 1 GiB aligned: PPN[1] = 1
  [0x1010n, rv(0x0n, 0x5n)], // VPN[2] 2: V|W without R
  [0x1018n, rv(0xc0000000n, 0xfn) | (1n << 54n)], // VPN[2] 3: a leaf with reserved bit 54
  [0x2000n, rv(0x3000n, 0x1n)], // VPN[1] 0 -> 0x3000
  [0x2008n, rv(0x600000n, 0x3n)], // VPN[1] 1: 2 MiB leaf (V|R) at 0x600000, 2 MiB aligned
  [0x3000n, rv(0x4000n, 0x1n)], // VPN[0] 0: a pointer at the last level
]);
const rvAt = (va: bigint) => walk(sv39.walk, { root: 0x1000n, va, read: rvTables });

describe("walk faults on hand-built Sv39 tables (the generated riscv.sv39 descriptor)", () => {
  it("a 2 MiB leaf translates", () => {
    // VA 0x200000 + 0x1234 (VPN[1] = 1): PA 0x600000 + 0x1234
    expect(rvAt(0x201234n).translation).toMatchObject({ pa: 0x601234n, pageSize: 0x200000n });
  });
  it("a superpage leaf whose PPN is not aligned to its size is misaligned-superpage", () => {
    expect(rvAt(0x40000000n).fault).toMatchObject({ kind: "misaligned-superpage", level: "L2", address: 0x80200000n, align: 0x40000000n });
  });
  it("W without R, and a pointer at level 0, are reserved encodings", () => {
    expect(rvAt(0x80000000n).fault).toMatchObject({ kind: "reserved-encoding", level: "L2" });
    expect(rvAt(0x0n).fault).toMatchObject({ kind: "reserved-encoding", level: "L0" });
  });
  it("bits 63:54 set in a valid entry are reserved-bit", () => {
    expect(rvAt(0xc0000000n).fault).toMatchObject({ kind: "reserved-bit", level: "L2", bits: 1n << 54n });
  });
});

// VMSAv8-64 4 KiB by hand (Arm ARM D8): bits 1:0 = 0b11 table (L0-L2) or page (L3), 0b01 block
// (L1, L2), reserved at L0 and L3; next-level table / output address in bits 47:12; AF bit 10.
const armTables = mem([
  [0x1000n, 0x2000n | 0x3n], // L0[0] -> L1 table at 0x2000
  [0x1008n, 0x8000000000n | 0x401n], // L0[1]: a block at level 0 (reserved with the 4 KiB granule)
  [0x2000n, 0x3000n | 0x3n], // L1[0] -> L2 table at 0x3000
  [0x2008n, 0x40000000n | 0x401n], // L1[1]: 1 GiB block at 0x40000000, AF
  [0x2010n, 0x80000000n | 0x401n | (1n << 20n)], // L1[2]: 1 GiB block with bit 20 (inside the res0 29:17 range) set
  [0x3000n, 0x4000n | 0x3n], // L2[0] -> L3 table at 0x4000
  [0x4000n, 0x5000n | 0x403n], // L3[0]: page at 0x5000
  [0x4008n, 0x6000n | 0x401n], // L3[1]: type 0b01 at level 3, reserved
]);
const armAt = (va: bigint) => walk(vmsa.walk, { root: 0x1000n, va, read: armTables });

describe("walk faults on hand-built VMSAv8-64 4K tables (the generated arm.vmsav8_64_4k descriptor)", () => {
  it("a page and a 1 GiB block translate", () => {
    expect(armAt(0xabcn).translation).toMatchObject({ pa: 0x5abcn, pageSize: 0x1000n, level: "L3" });
    // VA 0x4000_0000 + 0x1234_5678 (L1 index 1): PA 0x40000000 + 0x12345678
    expect(armAt(0x52345678n).translation).toMatchObject({ pa: 0x52345678n, pageSize: 0x40000000n, level: "L1" });
  });
  it("with uniform upper bits, TTBR0 and TTBR1 addresses both walk from the given root, whatever bit 47 is", () => {
    // The stage 1 spec states "vaUpper": "uniform" (TTBR0 below, TTBR1 above, bits 63:48 all equal).
    const arm = vmsa.walk;
    expect(arm.vaUpper).toBe("uniform");
    // 0xffff_0000_0000_0abc: bits 63:48 all 1 (TTBR1), bit 47 = 0, L0 index 0 -> the page at 0x5000.
    expect(walk(arm, { root: 0x1000n, va: 0xffff000000000abcn, read: armTables }).translation).toMatchObject({ pa: 0x5abcn });
    // 0x0000_8000_0000_0000: TTBR0 with bit 47 set, L0 index 256 (absent here).
    expect(walk(arm, { root: 0x1000n, va: 0x0000800000000000n, read: armTables }).fault).toEqual({ kind: "no-memory", level: "L0", address: 0x1800n });
    expect(() => walk(arm, { root: 0x1000n, va: 0x0001000000000000n, read: armTables })).toThrow(/outside both regions.*bits 63:48 must be all 0 or all 1/);
  });
  it("a block at level 0 and descriptor type 0b01 at level 3 are reserved encodings", () => {
    // VA 512 GiB (L0 index 1)
    expect(armAt(0x8000000000n).fault).toMatchObject({ kind: "reserved-encoding", level: "L0", format: "l0_block" });
    expect(armAt(0x1000n).fault).toMatchObject({ kind: "reserved-encoding", level: "L3" });
  });
  it("a RES0 bit in a block descriptor is no fault and never moves the block", () => {
    // Bit 20 lies in the 1 GiB block's RES0 range 29:17, below its output address 47:30. The spec marks these ranges "fault": false (the Arm ARM defines no fault for them), so the
    // walk translates as if the bit were clear.
    const block = vmsa.walk.levels[1]!.formats.find((f) => f.name === "l1_block")!;
    expect(block.res0 & (1n << 20n)).toBe(0n);
    expect(armAt(0x80001234n).translation).toMatchObject({ pa: 0x80001234n, pageSize: 0x40000000n });
  });
});
