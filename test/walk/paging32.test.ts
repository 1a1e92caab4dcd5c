import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ElabEntriesSpec } from "../../generator/elaborate/model.ts";
import { walkDescriptorOf } from "../../generator/inspect/walk.ts";
import { walk, WalkArgumentError } from "../../runtime/walk/index.ts";
import { parseGuide } from "../docs/guide-blocks.ts";
import { frontOf, ROOT } from "../helpers/project.ts";

// The guide's 32-bit x86 paging spec, with the validity test a walk needs (Intel SDM 4.3: P, bit 0).
const block = parseGuide(readFileSync(join(ROOT, "docs/guide/entries.md"), "utf8")).find((b) => b.kind === "file" && b.path === "specs/x86/paging32.json");
const json = JSON.parse((block as { text: string }).text) as Record<string, unknown>;
json.valid ??= "(flags & _PAGE_PRESENT) != 0";
const r = frontOf({ "x86/paging32.json": JSON.stringify(json) });
if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
const spec = r.front.model.specs.find((s) => s.name === "x86.paging32") as ElabEntriesSpec;
const desc = walkDescriptorOf(spec);

// By hand (Intel SDM 4.3): a PDE or PTE is 4 bytes; PDE index = VA 31:22, PTE index = VA 21:12.
// Root (page directory) at 0x1000.
const memory = new Map<bigint, bigint>([
  [0x1000n, 0x2000n | 0x3n], // PDE 0 -> page table at 0x2000 (P, RW)
  [0x1004n, 0x00c00000n | 0x83n], // PDE 1: 4 MiB page at 0xc00000 (P, RW, PS)
  [0x1008n, 0x00400000n | 0x83n | (1n << 13n)], // PDE 2: 4 MiB page with bit 13 set (res0 without PSE-36)
  [0x2004n, 0x7000n | 0x3n], // PTE 1: page at 0x7000
]);
const read = (pa: bigint) => memory.get(pa) ?? (pa >= 0x1000n && pa < 0x3000n ? 0n : undefined);

describe("walk over 32-bit entries (the guide's x86.paging32)", () => {
  it("has a 32-bit address space of 4-byte entries", () => {
    expect([desc.vaBits, desc.vaUpper, desc.levels.map((l) => l.entryBytes)]).toEqual([32, "zero", [4, 4]]);
  });
  it("translates a 4 KiB page and a 4 MiB page, and faults a reserved bit and a non-present entry", () => {
    expect(walk(desc, { root: 0x1000n, va: 0x1abcn, read }).translation).toMatchObject({ pa: 0x7abcn, pageSize: 0x1000n });
    // VA 0x0040_0000 + 0x12345 (PDE 1): PA 0xc00000 + 0x12345
    expect(walk(desc, { root: 0x1000n, va: 0x412345n, read }).translation).toMatchObject({ pa: 0xc12345n, pageSize: 0x400000n });
    expect(walk(desc, { root: 0x1000n, va: 0x800000n, read }).fault).toMatchObject({ kind: "reserved-bit", bits: 0x2000n });
    expect(walk(desc, { root: 0x1000n, va: 0x2000n, read }).fault).toMatchObject({ kind: "not-present" });
  });
  it("takes addresses with bit 31 set as they are, and refuses any above 32 bits", () => {
    // PDE 0x300 (VA 0xc000_0000) is 0 in the directory: not present, no sign extension demanded.
    expect(walk(desc, { root: 0x1000n, va: 0xc0000000n, read }).fault).toMatchObject({ kind: "not-present", level: "L2" });
    expect(() => walk(desc, { root: 0x1000n, va: 0xffffffffc0000000n, read })).toThrow(WalkArgumentError);
  });
});
