import { describe, expect, it } from "vitest";
import * as sv39 from "../../generated/ts/riscv/sv39.ts";
import * as sv48 from "../../generated/ts/riscv/sv48.ts";
import { u64, u64FromBigInt } from "../../generated/ts/support.ts";
import type { ElabEntriesSpec } from "../../generator/elaborate/model.ts";
import { runCli } from "../helpers/cli.ts";
import { projectFront } from "../helpers/project.ts";

/**
 * Sv39/Sv48 decodes worked out by hand from the RISC-V privileged spec (PTE bits: V 0, R 1, W 2,
 * X 3, U 4, G 5, A 6, D 7, RSW 9:8, PPN 53:10, reserved 63:54; PA = PPN << 12), checked against
 * the generated TS, `hwspec decode` and the elaborated model's walk facts.
 */
const e = (x: bigint) => u64FromBigInt(x);

const specOf = (name: string) => projectFront().model.specs.find((s) => s.name === name) as ElabEntriesSpec;
const formatOf = (spec: ElabEntriesSpec, name: string) => spec.levels.flatMap((l) => l.formats).find((f) => f.name === name)!;

describe("Sv39 entries decoded by hand", () => {
  it("a 4 KiB leaf 0x200004CF: PPN 0x80001, PA 0x80001000, V R W X A D", () => {
    // 0x200004CF = 0b10_0000_0000_0000_0000_0100_1100_1111.
    // Low byte 0xCF = 1100_1111: V(0) R(1) W(2) X(3) set, U(4) G(5) clear, A(6) D(7) set; RSW (9:8) = 0.
    // PPN = 0x200004CF >> 10 = 0x80001 (0x200004CF / 1024 = 524289.2); PA = 0x80001 << 12 = 0x80001000.
    const pte = e(0x200004cfn);
    expect(sv39.l0e_format(pte)).toBe("sv39_l0_leaf");
    const f = sv39.sv39_l0_leaf.decode(pte);
    expect(f).toMatchObject({ v: true, r: true, w: true, x: true, u: false, g: false, a: true, d: true, rsw: 0, ppn: u64(0x80001, 0) }); // a 44-bit field decodes as U64 halves
    expect(sv39.sv39_l0_leaf_address(pte)).toBe(0x80001000n);
    expect(sv39.l0e_get_pfn(pte)).toBe(0x80001);
    expect(sv39.sv39_l0_leaf_from_address(0x80001000n)).toEqual(e(0x20000400n)); // 0x80001 << 10
  });

  it("a pointer 0x20000801 at level 2: V only, next table at 0x80002000", () => {
    // R = W = X = 0: a pointer. PPN = 0x20000801 >> 10 = 0x80002 (0x800 >> 10 = 2); table = 0x80002 << 12.
    const pte = e(0x20000801n);
    expect(sv39.l2e_format(pte)).toBe("sv39_l2_pointer");
    expect(sv39.sv39_l2_pointer_address(pte)).toBe(0x80002000n);
  });

  it("W without R is the reserved format at every level; a level-0 pointer is reserved too", () => {
    // 0x5 = V | W; 0xD = V | W | X: (entry & (R|W)) == W.
    for (const x of [0x5n, 0xdn]) {
      expect(sv39.l0e_format(e(x))).toBe("sv39_l0_reserved");
      expect(sv39.l1e_format(e(x))).toBe("sv39_l1_reserved");
      expect(sv39.l2e_format(e(x))).toBe("sv39_l2_reserved");
    }
    // 0x9 = V | X: an execute-only leaf, legal.
    expect(sv39.l1e_format(e(0x9n))).toBe("sv39_l1_leaf");
    const m = specOf("riscv.sv39");
    expect(formatOf(m, "sv39_l0_pointer").walk.role).toBe("reserved");
    expect(formatOf(m, "sv39_l1_pointer").walk.role).toBe("table");
    expect(formatOf(m, "sv39_l1_reserved").walk.role).toBe("reserved");
  });

  it("a 2 MiB megapage must have PPN[0] = 0: the misaligned mask is entry bits 18:10", () => {
    // Megapage at PA 0x80200000: PPN = 0x80200000 >> 12 = 0x80200, PPN[0] = 0x80200 & 0x1ff = 0.
    // Entry = (0x80200 << 10) | 0xCF = 0x20080000 | 0xCF = 0x200800CF.
    const aligned = 0x200800cfn;
    // PPN[0] is PPN bits 8:0 = entry bits 18:10: ((1 << 9) - 1) << 10 = 0x7FC00.
    const l1 = formatOf(specOf("riscv.sv39"), "sv39_l1_leaf");
    expect(l1.walk.pageShift).toBe(21);
    expect(l1.walk.misalignedMask).toBe(0x7fc00n);
    expect(aligned & l1.walk.misalignedMask!).toBe(0n);
    expect(sv39.sv39_l1_leaf_address(e(aligned))).toBe(0x80200000n);
    // 0x200004CF at level 1: PPN 0x80001 has PPN[0] = 1, entry bit 10 (0x400) is in the mask.
    expect(0x200004cfn & l1.walk.misalignedMask!).toBe(0x400n);
    // A gigapage needs PPN[1] and PPN[0] zero: entry bits 27:10 = ((1 << 18) - 1) << 10 = 0xFFFFC00.
    expect(formatOf(specOf("riscv.sv39"), "sv39_l2_leaf").walk.misalignedMask).toBe(0xffffc00n);
    // x86 superpage frames hold no bits below their page: nothing can misalign.
    expect(formatOf(specOf("x86.pagetable"), "l2e_superpage").walk.misalignedMask).toBe(0n);
  });

  it("reserved bits: 63:54 in every format, and D, A, U in a pointer", () => {
    // 63:54 = ((1 << 10) - 1) << 54 = 0xFFC0000000000000; D(7) A(6) U(4) = 0x80 | 0x40 | 0x10 = 0xD0.
    const m = specOf("riscv.sv39");
    expect(formatOf(m, "sv39_l0_leaf").walk.faultMask).toBe(0xffc0000000000000n);
    expect(formatOf(m, "sv39_l1_pointer").walk.faultMask).toBe(0xffc00000000000d0n);
  });

  it("levels walk by shift: L2 (30) is the root, then L1 (21), L0 (12)", () => {
    const m = specOf("riscv.sv39");
    expect(m.levels.map((l) => [l.name, l.vaShift, l.depth])).toEqual([
      ["L0", 12, 2],
      ["L1", 21, 1],
      ["L2", 30, 0],
    ]);
    // VA 0x40201000: VPN[2] = VA >> 30 = 1, VPN[1] = (VA >> 21) & 0x1ff = 1, VPN[0] = (VA >> 12) & 0x1ff = 1.
    expect([sv39.l2_table_offset(0x40201000), sv39.l1_table_offset(0x40201000), sv39.l0_table_offset(0x40201000)]).toEqual([1, 1, 1]);
  });

  it("hwspec decode reads the same fields", async () => {
    const r = await runCli(["decode", "sv39_l0_leaf", "0x200004CF", "--json"]);
    expect(r.code).toBe(0);
    const fields = Object.fromEntries((JSON.parse(r.stdout) as { fields: { path: string; value: string }[] }).fields.map((f) => [f.path, f.value]));
    expect(fields).toMatchObject({ v: "0x1", r: "0x1", w: "0x1", x: "0x1", u: "0x0", a: "0x1", d: "0x1", ppn: "0x80001" });
  });
});

describe("Sv48 entries decoded by hand", () => {
  it("adds a root level 3 at shift 39 whose leaf maps 512 GiB", () => {
    const m = specOf("riscv.sv48");
    expect(m.levels.map((l) => l.vaShift)).toEqual([12, 21, 30, 39]);
    expect(m.levels.at(-1)!.name).toBe("L3");
    // A level-3 leaf needs PPN[2:0] = 0: PPN bits 26:0 = entry bits 36:10 = ((1 << 27) - 1) << 10 = 0x1FFFFFFC00.
    expect(formatOf(m, "sv48_l3_leaf").walk.misalignedMask).toBe(0x1ffffffc00n);
    // Terapage at PA 0x8000000000 (512 GiB): PPN = 0x8000000, entry = (0x8000000 << 10) | 0xCF = 0x20000000CF.
    const pte = e(0x20000000cfn);
    expect(sv48.l3e_format(pte)).toBe("sv48_l3_leaf");
    expect(sv48.sv48_l3_leaf_address(pte)).toBe(0x8000000000n);
    // VA 0x8000000000 = 1 << 39: VPN[3] = 1.
    expect(sv48.l3_table_offset(2 ** 39)).toBe(1);
  });

  it("the largest PPN reaches PA bit 55", () => {
    // PPN all ones (44 bits) = entry bits 53:10 = 0x3FFFFFFFFFFC00; PA = (2^44 - 1) << 12 = 0xFFFFFFFFFFF000.
    const pte = u64(0xfffffc00 | 0x1, 0x3fffff);
    expect(sv48.sv48_l0_leaf_address(pte)).toBe(0xfffffffffff000n);
  });
});
