import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import * as pt from "../../generated/ts/x86/pagetable.ts";
import { u64, u64ToBigInt, u64FromBigInt } from "../../generated/ts/support.ts";

const FIXTURES = ["entries-overlapping-conditions", "entries-unknown-flag-in-set", "entries-conversion-unknown-name", "entries-constant-overflow"];

describe("entries spec kind: checks", () => {
  for (const name of FIXTURES) {
    it(`${name} gives the exact diagnostics`, async () => {
      const r = await runCli(["check", "--specs", `test/fixtures/bad/${name}/specs`]);
      const expected = readFileSync(`test/fixtures/bad/${name}/expected.txt`, "utf8");
      expect(`exit ${r.code}\n${r.stderr}${r.stdout}`).toBe(expected);
    });
  }
});

/** Reference packing straight from Xen's definition: flags = bits 11:0 | (bits 63:52) >> 40. */
const refFlags = (e: bigint) => Number(((e >> 40n) & ~0xfffn) | (e & 0xfffn));
const refPfn = (e: bigint) => Number((e & ((1n << 52n) - 1n)) >> 12n);
const refFromPfn = (pfn: number, flags: number) => (BigInt(pfn) << 12n) | ((BigInt(flags) & ~0xfffn) << 40n) | (BigInt(flags) & 0xfffn);

describe("generated page-table accessors", () => {
  it("match Xen's values", () => {
    expect([pt._PAGE_PRESENT, pt._PAGE_RW, pt._PAGE_USER, pt._PAGE_PWT, pt._PAGE_PCD, pt._PAGE_ACCESSED, pt._PAGE_DIRTY]).toEqual([1, 2, 4, 8, 0x10, 0x20, 0x40]);
    expect([pt._PAGE_PAT, pt._PAGE_PSE, pt._PAGE_GLOBAL, pt._PAGE_AVAIL0, pt._PAGE_AVAIL1, pt._PAGE_AVAIL2, pt._PAGE_NX]).toEqual([0x80, 0x80, 0x100, 0x200, 0x400, 0x800, 1 << 23]);
    expect(pt.__PAGE_HYPERVISOR).toBe(0x63);
    expect(pt.PAGE_HYPERVISOR).toBe(0x163);
    expect(pt.PAGE_CACHE_ATTRS).toBe(0x98);
    expect(pt.MAP_SMALL_PAGES).toBe(pt._PAGE_AVAIL0);
    expect([pt.L1_SHIFT, pt.L2_SHIFT, pt.L3_SHIFT, pt.L4_SHIFT, pt.PADDR_BITS, pt.L1_ENTRIES]).toEqual([12, 21, 30, 39, 52, 512]);
  });

  it("pack and unpack entries like get_pte_flags/put_pte_flags, per level", () => {
    const froms = [pt.l1e_from_pfn, pt.l2e_from_pfn, pt.l3e_from_pfn, pt.l4e_from_pfn];
    const pfns = [pt.l1e_get_pfn, pt.l2e_get_pfn, pt.l3e_get_pfn, pt.l4e_get_pfn];
    const flagsOf = [pt.l1e_get_flags, pt.l2e_get_flags, pt.l3e_get_flags, pt.l4e_get_flags];
    let seed = 12345;
    const rnd = (bits: number) => {
      let x = 0;
      for (let b = 0; b < bits; b += 16) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        x = x * 65536 + (seed >>> 16);
      }
      return x % 2 ** bits;
    };
    for (let n = 0; n < 2000; n++) {
      const pfn = rnd(40);
      const flags = rnd(24);
      for (let l = 0; l < 4; l++) {
        const e = froms[l]!(pfn, flags);
        expect(u64ToBigInt(e)).toBe(refFromPfn(pfn, flags));
        expect(pfns[l]!(e)).toBe(pfn);
        expect(flagsOf[l]!(e)).toBe(flags);
        const raw = u64FromBigInt(BigInt(rnd(32)) | (BigInt(rnd(32)) << 32n));
        expect(pfns[l]!(raw)).toBe(refPfn(u64ToBigInt(raw)));
        expect(flagsOf[l]!(raw)).toBe(refFlags(u64ToBigInt(raw)));
      }
    }
    expect(() => pt.l1e_from_pfn(2 ** 40, 0)).toThrow(/l1e_from_pfn.pfn/);
    expect(() => pt.l2e_from_pfn(0, 1 << 24)).toThrow(/l2e_from_pfn.flags/);
  });

  it("compile the conversions: PSE is added or removed only on present flags", () => {
    for (let f = 0; f < 1 << 12; f++) {
      const present = (f & 1) !== 0;
      expect(pt.l1f_to_lNf(f)).toBe(present ? f | 0x80 : f);
      expect(pt.lNf_to_l1f(f)).toBe(present ? f & ~0x80 : f);
    }
    expect(pt.l1f_to_lNf(pt.PAGE_HYPERVISOR | pt._PAGE_NX)).toBe(0x8001e3);
  });

  it("give table offsets and formats", () => {
    const va = 0x7f_8040_2010_3000;
    expect([pt.l4_table_offset(va), pt.l3_table_offset(va), pt.l2_table_offset(va), pt.l1_table_offset(va)]).toEqual([
      Number((BigInt(va) >> 39n) & 511n),
      Number((BigInt(va) >> 30n) & 511n),
      Number((BigInt(va) >> 21n) & 511n),
      Number((BigInt(va) >> 12n) & 511n),
    ]);
    expect(pt.l2e_format(pt.l2e_from_pfn(0x200, pt.l1f_to_lNf(pt.PAGE_HYPERVISOR)))).toBe("l2e_superpage");
    expect(pt.l2e_format(pt.l2e_from_pfn(0x200, pt.__PAGE_HYPERVISOR))).toBe("l2e_table");
    expect(pt.l3e_format(u64(0x800000e3, 0))).toBe("l3e_superpage");
    expect(pt.l2e_superpage.decode(pt.l2e_from_pfn(0x400, 0x1e3)).frame).toBe(2);
    expect(pt.l1e.rawBytes).toBe(pt.ENTRY_BYTES);
    expect(pt.L1_PAGETABLE_ENTRIES * pt.ENTRY_BYTES).toBe(pt.PAGE_SIZE);
  });
});

describe("CLI on entry formats", () => {
  it("decodes an L2 superpage entry", async () => {
    const r = await runCli(["decode", "l2e_superpage", "0x80000000402001e3", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.name).toBe("x86.pagetable.l2e_superpage");
    const v = Object.fromEntries(j.fields.map((f: { path: string; value: string }) => [f.path, f.value]));
    expect(v).toMatchObject({ present: "0x1", pse: "0x1", global: "0x1", frame: "0x201", nx: "0x1", pat: "0x0" });
  });
  for (const [name, raw, field, value] of [
    ["l1e", "0x8000000012345163", "frame", "0x12345"],
    ["l2e_table", "0x0000000000101063", "table", "0x101"],
    ["l3e_superpage", "0x00000000c00001e3", "frame", "0x3"],
    ["l3e_table", "0x0000000000102063", "table", "0x102"],
    ["l4e", "0x0000000000103063", "table", "0x103"],
  ] as const) {
    it(`decodes ${name} and shows its layout`, async () => {
      const r = await runCli(["decode", name, raw, "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.fields.find((f: { path: string }) => f.path === field).value).toBe(value);
      const l = await runCli(["layout", name, "--json"]);
      expect(l.code).toBe(0);
      expect(JSON.parse(l.stdout).width).toBe(64);
    });
  }
});
