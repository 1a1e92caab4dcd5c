import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as x from "../../generated/ts/x86/pagetable.ts";
import { u64ToBigInt } from "../../generated/ts/support.ts";
import { PageTable, SimFrameAllocator } from "../../runtime/x86/pagetable/index.ts";
import { runCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/project.ts";
import { build, riscv } from "./builders.ts";

const dir = tempDir("hwspec-walk-");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Tables at frames 0x100.. (root 0x100000): 1 GiB at 1 GiB -> frame 0x80000, one 4 KiB page at 0x1000 -> frame 0x777.
const pt = new PageTable({ allocator: new SimFrameAllocator({ first: 0x100 }), page1gb: true });
pt.mapPages(0x40000000, 0x80000, 262144, x.PAGE_HYPERVISOR);
pt.mapPages(0x1000, 0x777, 1, x.__PAGE_HYPERVISOR);
const frames = [...pt.tables.keys()].sort((a, b) => a - b);
const hex = (v: bigint) => `0x${v.toString(16)}`;

const jsonDump = join(dir, "tables.json");
writeFileSync(jsonDump, JSON.stringify(Object.fromEntries(frames.map((f) => [hex(BigInt(f) * 4096n), pt.table(f).map((e) => hex(u64ToBigInt(e)))]))));
const textDump = join(dir, "tables.txt");
writeFileSync(textDump, ["# one line per table page", ...frames.map((f) => `${hex(BigInt(f) * 4096n)}: ${pt.table(f).map((e) => hex(u64ToBigInt(e))).join(" ")}`)].join("\n"));
// The raw image covers frames 0x100 .. the last table, little-endian; frames without a table are zero.
const rawDump = join(dir, "tables.bin");
const raw = Buffer.alloc((frames[frames.length - 1]! - 0x100 + 1) * 4096);
for (const f of frames) pt.table(f).forEach((e, i) => raw.writeBigUInt64LE(u64ToBigInt(e), (f - 0x100) * 4096 + i * 8));
writeFileSync(rawDump, raw);
// Only the root page: the walk of 0x1000 needs the L3 table, which is missing.
const partial = join(dir, "root-only.json");
writeFileSync(partial, JSON.stringify({ "0x100000": pt.table(0x100).map((e) => hex(u64ToBigInt(e))) }));

const walkArgs = (va: string, dump: string, ...more: string[]) => ["decode", "x86.pagetable", "--walk", va, "--root", "0x100000", "--dump", dump, ...more];

describe("hwspec decode --walk", () => {
  for (const [what, dump, more] of [["JSON", jsonDump, []], ["text", textDump, []], ["raw", rawDump, ["--dump-base", "0x100000"]]] as const) {
    it(`walks a ${what} dump to a 4 KiB page and a 1 GiB page`, async () => {
      const small = await runCli(walkArgs("0x1abc", dump, ...more));
      expect(small.code).toBe(0);
      expect(small.stdout.trim().split("\n")).toEqual([
        "Pagetable walk from 0000000000001abc (x86.pagetable, root 0000000000100000):",
        " L4[0x000] = 0000000000101063 l4e -> table 0000000000101000",
        " L3[0x000] = 0000000000102063 l3e_table -> table 0000000000102000",
        " L2[0x000] = 0000000000103063 l2e_table -> table 0000000000103000",
        // 0x777 << 12 | 0x63 (present, rw, accessed, dirty)
        " L1[0x001] = 0000000000777063 l1e -> 4 KiB page 0000000000777000",
        " => 0000000000777abc (4 KiB page, l1e)",
      ]);
      const big = await runCli(walkArgs("0x7fff1234", dump, ...more, "--json"));
      expect(big.code).toBe(0);
      const r = JSON.parse(big.stdout);
      // 0x7fff1234 is in the 1 GiB page at 0x40000000 (L3 index 1): PA = 0x80000000 + 0x3fff1234.
      expect(r.translation).toEqual({ pa: "0xbfff1234", pageSize: "0x40000000", level: "L3", format: "l3e_superpage" });
      expect(r.fault).toBeNull();
      expect(r.steps.map((s: { level: string; index: number }) => [s.level, s.index])).toEqual([["L4", 0], ["L3", 1]]);
      // PAGE_HYPERVISOR (0x163) with PSE (0x80): 0x1e3 over frame 0x80000.
      expect(r.steps[1].entry).toBe("0x800001e3");
      expect(r.steps[1].fields).toContainEqual({ name: "global", value: "0x1" });
      expect(r.steps[1].fields).toContainEqual({ name: "frame", value: "0x2" });
    });
  }

  it("reports a not-present entry as a fault with exit 1, naming the level", async () => {
    const r = await runCli(walkArgs("0x5000", jsonDump, "--json"));
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.translation).toBeNull();
    expect(j.fault).toEqual({ kind: "not-present", level: "L1", message: "L1 entry is not present" });
    expect(j.steps[3]).toMatchObject({ level: "L1", index: 5, entryAddress: "0x103028", entry: "0x0" });
  });

  it("a page missing from the dump is a clear message and exit 2, not a crash", async () => {
    const r = await runCli(walkArgs("0x1000", partial));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the dump has no entry at 0x101000 (the L3 entry)");
    const j = await runCli(walkArgs("0x1000", partial, "--json"));
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).fault).toMatchObject({ kind: "no-memory", level: "L3", address: "0x101000" });
    const outside = await runCli(walkArgs("0x1000", rawDump, "--dump-base", "0x200000"));
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("the dump has no entry at 0x100000 (the L4 entry)");
  });

  it("refuses bad calls with exit 2: non-canonical or malformed addresses, a misaligned root, bad dumps, missing options", async () => {
    const cases: [string[], string][] = [
      [walkArgs("0x800000000000", jsonDump), "is not canonical for x86.pagetable"],
      [walkArgs("zz", jsonDump), '"zz" is not a virtual address'],
      [["decode", "x86.pagetable", "--walk", "0x1000", "--root", "0x100008", "--dump", jsonDump], "root 0x100008 is not aligned to the 4096-byte L4 table"],
      [["decode", "x86.pagetable", "--walk", "0x1000", "--dump", jsonDump], "--root <pa> is required"],
      [["decode", "x86.pagetable", "--walk", "0x1000", "--root", "0x100000"], "--dump <file> is required"],
      [walkArgs("0x1000", join(dir, "none.json")), "no such file"],
      [walkArgs("0x1000", dir, "--dump-base", "0"), "is not a file"],
      [walkArgs("0x1000", dir), "cannot read"],
      [["decode", "x86.pagetabel", "--walk", "0x1000", "--root", "0x100000", "--dump", jsonDump], 'no entries spec "x86.pagetabel"'],
      [["decode", "l1e", "--root", "0x1000"], "--root needs --walk"],
      [[...walkArgs("0x1000", jsonDump), "--strict"], "--strict does not apply"],
      [["decode", "x86.pagetable", "0x1", "--walk", "0x1000"], "give a virtual address to --walk, not a value"],
    ];
    for (const [argv, message] of cases) {
      const r = await runCli(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.stderr, argv.join(" ")).toContain(message);
    }
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, "0x100000: 0x1 0x2\n0x100008 0x3\n");
    const r = await runCli(walkArgs("0x1000", bad));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2: expected "address: entry entry ..."`);
    writeFileSync(bad, "0x100000: 0x1 0x2\n0x100008: 0x3\n");
    expect((await runCli(walkArgs("0x1000", bad))).stderr).toContain("the entry at 0x100008 is given twice");
  });

  it("walks the tables of another architecture's spec the same way (Sv39, sparse JSON of the entries a walk visits)", async () => {
    // A 2 MiB page at VA 0x4020_0000 -> PA 0x8060_0000 and a 4 KiB page at VA 0x1000 -> PA 0x8000_5000.
    const t = build(riscv(3), [
      { va: 0x40200000n, pa: 0x80600000n, shift: 21 },
      { va: 0x1000n, pa: 0x80005000n, shift: 12 },
    ]);
    const dump = join(dir, "sv39.json");
    writeFileSync(dump, JSON.stringify(Object.fromEntries([...t.memory].map(([pa, e]) => [hex(pa), [hex(e)]]))));
    const r = await runCli(["decode", "riscv.sv39", "--walk", "0x40212345", "--root", hex(t.root), "--dump", dump]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe(" => 0000000080612345 (2 MiB page, sv39_l1_leaf)");
    const j = JSON.parse((await runCli(["decode", "riscv.sv39", "--walk", "0x1abc", "--root", hex(t.root), "--dump", dump, "--json"])).stdout);
    expect(j.translation).toEqual({ pa: "0x80005abc", pageSize: "0x1000", level: "L0", format: "sv39_l0_leaf" });
    // The PTE of the 4 KiB page: PPN 0x80005 at bits 53:10 = 0x20001400, plus V R W X A D = 0xcf.
    expect(j.steps[2].entry).toBe("0x200014cf");
  });
});
