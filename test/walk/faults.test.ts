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
