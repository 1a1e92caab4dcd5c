/**
 * The VMSAv8-64 4 KiB specs (stage 1 and its stage 2 overlay) decode the hand-encoded
 * descriptors of vmsa-examples.ts exactly, through `hwspec decode`, the generated TS and the
 * generated C header; and the bit positions agree with constants of the real Xen and Linux
 * headers, written down here with their citation (an independent source, not the spec).
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as s1 from "../../generated/ts/arm/vmsav8-64-4k.ts";
import * as s2 from "../../generated/ts/arm/vmsav8-64-4k-stage2.ts";
import { u64FromBigInt, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, projectFront, tempDir } from "../helpers/project.ts";
import { gcc, STRICT } from "../c/harness.ts";
import { EXAMPLES, FAULTING, type Example } from "./vmsa-examples.ts";

interface FieldDesc {
  name: string;
  lsb: number;
  width: number;
}
interface FormatNs {
  qname: string;
  fields: readonly FieldDesc[];
  res0Mask: string;
  decode(v: U64): Record<string, boolean | number | U64>;
}

const MODULES: Record<Example["spec"], Record<string, unknown>> = {
  "arm.vmsav8_64_4k": s1,
  "arm.vmsav8_64_4k_stage2": s2,
};
const HEADERS: Record<Example["spec"], string> = {
  "arm.vmsav8_64_4k": join(GENERATED, "c/arm/vmsav8-64-4k.h"),
  "arm.vmsav8_64_4k_stage2": join(GENERATED, "c/arm/vmsav8-64-4k-stage2.h"),
};

const format = (spec: Example["spec"], name: string) => MODULES[spec][name] as FormatNs;
/** Mask of a field as the generated TS descriptor places it. */
function mask(spec: Example["spec"], fmt: string, field: string): bigint {
  const f = format(spec, fmt).fields.find((x) => x.name === field);
  if (!f) throw new Error(`${fmt} has no field ${field}`);
  return ((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb);
}
/** A decoded field as a bigint: booleans for one bit, numbers up to 32 bits, U64 halves above. */
const asBig = (v: boolean | number | U64) => (typeof v === "boolean" ? (v ? 1n : 0n) : typeof v === "number" ? BigInt(v) : u64ToBigInt(v));

describe("VMSAv8-64 4K descriptors decode as computed by hand", () => {
  for (const ex of EXAMPLES) {
    describe(`${ex.format}: ${ex.what}`, () => {
      const ns = () => format(ex.spec, ex.format);

      it("generated TS decodes every field", () => {
        const got = ns().decode(u64FromBigInt(ex.raw));
        for (const f of ns().fields) expect(asBig(got[f.name]!), f.name).toBe(ex.fields[f.name] ?? 0n);
        // every field named in the example exists in the format
        for (const name of Object.keys(ex.fields)) expect(ns().fields.some((f) => f.name === name), name).toBe(true);
      });

      it("the address field times its granule gives the hand-computed address", () => {
        const oa = ns().fields.find((f) => f.name === "OA" || f.name === "NLTA")!;
        const got = ns().decode(u64FromBigInt(ex.raw));
        // the address is held in place: the field's value shifted back to the field's low bit
        expect(asBig(got[oa.name]!) << BigInt(oa.lsb)).toBe(ex.address);
      });

      it("hwspec decode --json agrees", async () => {
        const r = await runCli(["decode", `${ex.spec}.${ex.format}`, `0x${ex.raw.toString(16)}`, "--json"]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const j = JSON.parse(r.stdout) as { name: string; raw: string; fields: { path: string; value: string }[] };
        expect(j.name).toBe(`${ex.spec}.${ex.format}`);
        expect(BigInt(j.raw)).toBe(ex.raw);
        for (const f of j.fields) expect(BigInt(f.value), f.path).toBe(ex.fields[f.path] ?? 0n);
      });
    });
  }
});

describe("bit positions agree with the Xen and Linux headers", () => {
  // Values as those headers define them, transcribed with their source; masks on our side come
  // from the generated TS descriptors.
  const l3 = (f: string) => mask("arm.vmsav8_64_4k", "l3_page", f);
  const l2 = (f: string) => mask("arm.vmsav8_64_4k", "l2_block", f);
  const tbl = (f: string) => mask("arm.vmsav8_64_4k", "l1_table", f);
  const p2m = (f: string) => mask("arm.vmsav8_64_4k_stage2", "s2_l3_page", f);
  const cases: [string, bigint, () => bigint][] = [
    // Linux arch/arm64/include/asm/pgtable-hwdef.h
    ["Linux PTE_ATTRINDX_MASK (7 << 2)", 7n << 2n, () => l3("AttrIndx")],
    ["Linux PTE_USER | PTE_RDONLY (1 << 6 | 1 << 7)", (1n << 6n) | (1n << 7n), () => l3("AP")],
    ["Linux PTE_SHARED (3 << 8)", 3n << 8n, () => l3("SH")],
    ["Linux PTE_AF (1 << 10)", 1n << 10n, () => l3("AF")],
    ["Linux PTE_NG (1 << 11)", 1n << 11n, () => l3("nG")],
    ["Linux PTE_GP (1 << 50)", 1n << 50n, () => l3("GP")],
    ["Linux PTE_DBM (1 << 51)", 1n << 51n, () => l3("DBM")],
    ["Linux PTE_CONT (1 << 52)", 1n << 52n, () => l3("Contiguous")],
    ["Linux PTE_PXN (1 << 53)", 1n << 53n, () => l3("PXN")],
    ["Linux PTE_UXN (1 << 54)", 1n << 54n, () => l3("UXN")],
    ["Linux PTE_SWBITS_MASK without bit 63 (GENMASK(58, 55))", 0xfn << 55n, () => l3("SW")],
    ["Linux PMD_SECT_AF (1 << 10)", 1n << 10n, () => l2("AF")],
    ["Linux PMD_SECT_CONT (1 << 52)", 1n << 52n, () => l2("Contiguous")],
    ["Linux PMD_SECT_UXN (1 << 54)", 1n << 54n, () => l2("UXN")],
    ["Linux PMD_TABLE_PXN (1 << 59)", 1n << 59n, () => tbl("PXNTable")],
    ["Linux PMD_TABLE_UXN (1 << 60)", 1n << 60n, () => tbl("UXNTable")],
    ["Linux S1_TABLE_AP (3 << 61)", 3n << 61n, () => tbl("APTable")],
    ["Linux PTE_S2_MEMATTR(0xf) (0xf << 2)", 0xfn << 2n, () => p2m("MemAttr")],
    // Linux arch/arm64/include/asm/pgtable-hwdef.h up to v5.x, stage 2 definitions
    ["Linux PTE_S2_RDWR (3 << 6, HAP[2:1])", 3n << 6n, () => p2m("S2AP")],
    ["Linux PTE_S2_SW_RESVD (15 << 55)", 15n << 55n, () => p2m("SW")],
    ["Linux PTE_S2_XN (2 << 53, XN[1:0] = 0b10) is XN = 2", 2n << 53n, () => 2n << BigInt(format("arm.vmsav8_64_4k_stage2", "s2_l3_page").fields.find((f) => f.name === "XN")!.lsb)],
    // Linux arch/arm64/kvm/hyp/pgtable.c
    ["KVM KVM_PTE_ADDR_MASK (GENMASK(47, 12))", 0x0000_ffff_ffff_f000n, () => l3("OA")],
    ["KVM KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R | _W (BIT(6) | BIT(7))", 0xc0n, () => p2m("S2AP")],
    ["KVM KVM_PTE_LEAF_ATTR_LO_S2_SH (GENMASK(9, 8))", 0x300n, () => p2m("SH")],
    ["KVM KVM_PTE_LEAF_ATTR_LO_S2_AF (BIT(10))", 0x400n, () => p2m("AF")],
    // Xen xen/arch/arm/include/asm/lpae.h
    ["Xen lpae_walk_t base:36 after valid:1, table:1, pad2:10 (bits 47:12)", ((1n << 36n) - 1n) << 12n, () => tbl("NLTA")],
    ["Xen P2M_PERM_MASK (0x00400000000000C0: xn, write, read)", 0x0040_0000_0000_00c0n, () => p2m("S2AP") | (p2m("XN") & (1n << 54n))],
    ["Xen lpae_p2m_t type:4 at bit 55 (after xn at 54)", 0xfn << 55n, () => p2m("SW")],
    ["Xen lpae_pt_t nst:1, the last bit (63)", 1n << 63n, () => tbl("NSTable")],
  ];
  for (const [what, theirs, ours] of cases) it(what, () => expect(ours()).toBe(theirs));
});

describe("generated C headers", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("both headers compile together with gcc -Werror and their accessors decode like TS", () => {
    const dir = tempDir();
    dirs.push(dir);
    const lines: string[] = [];
    const expected: string[] = [];
    for (const ex of EXAMPLES) {
      const ns = format(ex.spec, ex.format);
      const decoded = ns.decode(u64FromBigInt(ex.raw));
      for (const f of ns.fields) {
        lines.push(`  printf("%llu\\n", (unsigned long long)${ex.format}_get_${f.name}(UINT64_C(0x${ex.raw.toString(16)})));`);
        expected.push(String(asBig(decoded[f.name]!)));
        // the C mask macro agrees with the TS descriptor
        lines.push(`  printf("%llu\\n", (unsigned long long)${ex.format.toUpperCase()}_${f.name.toUpperCase()}_MASK);`);
        expected.push(String(mask(ex.spec, ex.format, f.name)));
      }
    }
    const prog = join(dir, "probe.c");
    writeFileSync(
      prog,
      `#include <stdio.h>\n#include "${HEADERS["arm.vmsav8_64_4k"]}"\n#include "${HEADERS["arm.vmsav8_64_4k_stage2"]}"\nint main(void) {\n${lines.join("\n")}\n  return 0;\n}\n`,
    );
    const r = gcc([...STRICT, "-o", join(dir, "probe"), prog]);
    expect(r.stderr).toBe("");
    expect(r.ok).toBe(true);
    const out = execFileSync(join(dir, "probe"), { encoding: "utf8" }).trim().split("\n");
    expect(out).toEqual(expected);
  });
});

describe("format selection and roles", () => {
  const selector = (spec: Example["spec"], level: Example["level"]) =>
    MODULES[spec][`${level.toLowerCase()}e_format`] as (e: U64) => string | undefined;

  for (const ex of EXAMPLES) {
    it(`${ex.level} selects ${ex.format} for 0x${ex.raw.toString(16)}`, () => {
      expect(selector(ex.spec, ex.level)(u64FromBigInt(ex.raw))).toBe(ex.format);
    });
  }
  for (const f of FAULTING) {
    it(`${f.what}: ${f.format ?? "no format (invalid)"}`, () => {
      expect(selector(f.spec, f.level)(u64FromBigInt(f.raw))).toBe(f.format);
    });
  }

  it("tables, leaves and reserved encodings have the roles the Arm ARM gives them", () => {
    const front = projectFront();
    const roles: Record<string, string> = {};
    for (const spec of front.model.specs) {
      if (spec.kind !== "entries" || !spec.name.startsWith("arm.vmsav8_64_4k")) continue;
      for (const level of spec.levels) for (const fmt of level.formats) roles[`${level.name}.${fmt.name}`] = fmt.walk.role;
    }
    expect(roles).toEqual({
      "L0.l0_table": "table", "L0.l0_block": "reserved",
      "L1.l1_table": "table", "L1.l1_block": "leaf",
      "L2.l2_table": "table", "L2.l2_block": "leaf",
      "L3.l3_page": "leaf", "L3.l3_reserved": "reserved",
      "L0.s2_l0_table": "table", "L0.s2_l0_block": "reserved",
      "L1.s2_l1_table": "table", "L1.s2_l1_block": "leaf",
      "L2.s2_l2_table": "table", "L2.s2_l2_block": "leaf",
      "L3.s2_l3_page": "leaf", "L3.s2_l3_reserved": "reserved",
    });
  });

  it("RES0 descriptor bits are in the res0 masks but never a walk fault (the Arm ARM defines none)", () => {
    // l2_block: OA 47:21, so bits 20:17 (and 50:48 above a 48-bit OA) are RES0 in a block; setting one
    // is not a fault: the res0 mask keeps them for software, the fault mask the walker reads is empty.
    const front = projectFront();
    for (const spec of front.model.specs) {
      if (spec.kind !== "entries" || !spec.name.startsWith("arm.vmsav8_64_4k")) continue;
      for (const level of spec.levels)
        for (const fmt of level.formats) {
          expect(fmt.walk.faultMask, `${spec.name} ${fmt.name}`).toBe(0n);
        }
    }
    const block = front.model.specs.flatMap((s) => (s.kind === "entries" && s.name === "arm.vmsav8_64_4k" ? s.levels : [])).flatMap((l) => l.formats).find((f) => f.name === "l2_block")!;
    expect(block.res0Mask & 0x1e0000n).toBe(0x1e0000n);
  });
});
