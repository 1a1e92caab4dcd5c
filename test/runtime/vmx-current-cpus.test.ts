/**
 * Real VMX capability MSR dumps (test/fixtures/msr-dumps/, each citing where it was published)
 * decoded with `hwspec decode --strict` and read through the raw-policy runtime.
 *
 * The SDM facts this file checks against are written out here, not taken from the spec, so a bit
 * the spec forgot to name fails the test instead of being excused by the spec itself.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as vmx from "../../generated/ts/x86/vmx-msrs.ts";
import { calculateRawVmxPolicy } from "../../runtime/x86/vmx-policy.ts";
import { runCli } from "../helpers/cli.ts";
import { ROOT } from "../helpers/project.ts";

interface Dump {
  cpu: string;
  source: string;
  msrs: Record<string, string>;
}

const DUMPS = join(ROOT, "test/fixtures/msr-dumps");
const dumps = readdirSync(DUMPS)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(DUMPS, f), "utf8")) as Dump) }));
const value = (d: Dump, index: number) => BigInt(d.msrs[`0x${index.toString(16)}`]!);

const range = (lo: number, hi: number) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
/** The default1 class of each control field (SDM Vol. 3D A.2): reserved bits that read as 1 in allowed_0. */
const DEFAULT1 = {
  pin: [1, 2, 4],
  primary: [1, 4, 5, 6, 8, 13, 14, 15, 16, 26],
  exit: [...range(0, 8), 10, 11, 13, 14, 16, 17],
  entry: [...range(0, 8), 12],
};
const bothHalves = (bits: number[]) => [...bits, ...bits.map((b) => b + 32)];
/** CR0 bits the SDM defines (Vol. 3A 2.5): PE MP EM TS ET NE, WP, AM, NW CD PG. */
const CR0_DEFINED = new Set([0, 1, 2, 3, 4, 5, 16, 18, 29, 30, 31]);

/**
 * Bits a real CPU may set although no source defines them, per MSR index, with the reason.
 * Anything else set outside a named field is a defined bit the spec fails to name.
 */
const UNDEFINED_BUT_SET: Record<number, { bits: number[]; why: string }> = {
  0x480: { bits: [57], why: "IA32_VMX_BASIC bit 57: reserved in SDM Appendix A, Linux, QEMU, Bochs and VirtualBox; Arrow Lake and Wildcat Lake set it" },
  0x48b: { bits: [29 + 32], why: "secondary control bit 29: reserved in the SDM, Linux, QEMU and Bochs; Ice Lake-U allows it to be 1" },
  0x481: { bits: bothHalves(DEFAULT1.pin), why: "pin-based default1 controls" },
  0x48d: { bits: bothHalves(DEFAULT1.pin), why: "pin-based default1 controls" },
  0x482: { bits: bothHalves(DEFAULT1.primary), why: "primary processor-based default1 controls" },
  0x48e: { bits: bothHalves(DEFAULT1.primary), why: "primary processor-based default1 controls" },
  0x483: { bits: bothHalves(DEFAULT1.exit), why: "VM-exit default1 controls" },
  0x48f: { bits: bothHalves(DEFAULT1.exit), why: "VM-exit default1 controls" },
  0x484: { bits: bothHalves(DEFAULT1.entry), why: "VM-entry default1 controls" },
  0x490: { bits: bothHalves(DEFAULT1.entry), why: "VM-entry default1 controls" },
  0x487: { bits: range(0, 31).filter((b) => !CR0_DEFINED.has(b)), why: "IA32_VMX_CR0_FIXED1 reports reserved CR0 bits as not fixed to 0" },
};

interface Decoded {
  fields: { path: string; lsb: number; width: number; value: string }[];
  reserved: { lsb: number; width: number; policy: string; value: string; violation?: boolean }[];
  violations: { kind: string; lsb: number; width: number }[];
}

async function decode(name: string, raw: bigint): Promise<{ code: number; r: Decoded }> {
  const out = await runCli(["decode", name, `0x${raw.toString(16)}`, "--strict", "--json"]);
  return { code: out.code, r: JSON.parse(out.stdout) as Decoded };
}

/** Absolute positions of the 1 bits that fall in reserved ranges. */
function setReservedBits(r: Decoded): number[] {
  const out: number[] = [];
  for (const res of r.reserved) {
    const v = BigInt(res.value);
    for (let i = 0; i < res.width; i++) if ((v >> BigInt(i)) & 1n) out.push(res.lsb + i);
  }
  return out;
}

const byIndex = new Map<number, string>(vmx.registers.map((r) => [r.index, r.name]));
const field = (r: Decoded, path: string) => r.fields.find((f) => f.path === path)?.value;

describe("real current-CPU VMX MSR dumps", () => {
  it("cover CPUs from before and after the tertiary and secondary VM-exit controls", () => {
    expect(dumps.map((d) => d.file)).toEqual([
      "arrowlake-s-core-ultra-5-245k.json",
      "icelake-u-i7-1065g7.json",
      "tigerlake-up3-i5-1135g7.json",
      "wildcatlake-core-5-320.json",
    ]);
    for (const d of dumps) expect(d.source).toMatch(/github\.com\/bochs-emu\/Bochs, bochs\/cpu\/cpudb\/intel\/\S+\.txt, commit [0-9a-f]{12}/);
  });

  for (const d of dumps) {
    describe(d.cpu, () => {
      for (const [hex, raw] of Object.entries(d.msrs)) {
        const index = Number(hex);
        const name = byIndex.get(index)!;
        it(`${hex} ${name}: every set bit outside a named field is one no source defines`, async () => {
          expect(name, `the spec has a register at ${hex}`).toBeDefined();
          const { code, r } = await decode(name, BigInt(raw));
          const excused = new Set(UNDEFINED_BUT_SET[index]?.bits ?? []);
          const unnamed = setReservedBits(r).filter((b) => !excused.has(b));
          expect(unnamed, `${name} = ${raw}: set bits in unnamed ranges`).toEqual([]);
          // --strict fails only where a res0 range is set, which only CR0_FIXED1's reserved CR0 bits do.
          if (index === 0x487) {
            expect(code).toBe(1);
            expect(r.violations.every((v) => v.kind === "reserved" && range(v.lsb, v.lsb + v.width - 1).every((b) => !CR0_DEFINED.has(b)))).toBe(true);
          } else {
            expect(r.violations).toEqual([]);
            expect(code).toBe(0);
          }
        });
      }
    });
  }

  it("bits defined after the 2018 patch decode under their SDM names", async () => {
    const arrow = dumps.find((d) => d.cpu.includes("245K"))!;
    const wildcat = dumps.find((d) => d.cpu.includes("Wildcat"))!;
    const at = async (d: Dump, index: number) => (await decode(byIndex.get(index)!, value(d, index))).r;

    // Primary bit 17, secondary bit 26 (TPAUSE/UMWAIT), exit bits 28 and 31, EPT bit 23.
    expect(field(await at(arrow, 0x482), "allowed_1.activate_tertiary_controls")).toBe("0x1");
    expect(field(await at(arrow, 0x48b), "allowed_1.enable_user_wait_and_pause")).toBe("0x1");
    expect(field(await at(arrow, 0x48b), "allowed_1.vmm_bus_lock_detection")).toBe("0x1");
    expect(field(await at(arrow, 0x48b), "allowed_1.instruction_timeout")).toBe("0x1");
    const exit = await at(arrow, 0x483);
    expect(field(exit, "allowed_1.load_cet_state")).toBe("0x1");
    expect(field(exit, "allowed_1.activate_secondary_controls")).toBe("0x1");
    expect(field(await at(arrow, 0x48c), "supervisor_shadow_stack_control")).toBe("0x1");
    // BASIC bit 56, and FRED: BASIC bit 58, entry bit 23, CR4 bit 32; HLAT prefix size in EPT bits 53:48.
    expect(field(await at(arrow, 0x480), "no_hw_error_code_cc")).toBe("0x1");
    expect(field(await at(wildcat, 0x480), "nested_exception")).toBe("0x1");
    expect(field(await at(wildcat, 0x484), "allowed_1.load_fred")).toBe("0x1");
    expect(field(await at(wildcat, 0x484), "allowed_1.load_ia32_spec_ctrl")).toBe("0x1");
    expect(field(await at(wildcat, 0x489), "allowed_1.fred")).toBe("0x1");
    expect(field(await at(wildcat, 0x48c), "max_hlat_prefix_size")).toBe("0x1");
  });

  it("5-level EPT (IA32_VMX_EPT_VPID_CAP bit 7) has a name", async () => {
    // None of the client dumps has it; the SDM position is enough to check the name is there.
    const { code, r } = await decode("IA32_VMX_EPT_VPID_CAP", 1n << 7n);
    expect(code).toBe(0);
    expect(field(r, "walk_length_5_supported")).toBe("0x1");
  });
});

describe("the raw-policy runtime on real dumps", () => {
  /** Reads the dump; an MSR the dump did not capture reads as 0 and is recorded, so nothing is made up. */
  function dumpReader(d: Dump) {
    const reads: number[] = [];
    const uncaptured: number[] = [];
    const read = (index: number) => {
      reads.push(index);
      const v = d.msrs[`0x${index.toString(16)}`];
      if (v === undefined) uncaptured.push(index);
      return v === undefined ? 0n : BigInt(v);
    };
    return { read, reads, uncaptured };
  }

  for (const d of dumps) {
    it(`${d.cpu}: 0x492 iff primary bit 17 may be 1, 0x493 iff exit bit 31 may be 1`, () => {
      const tertiary = ((value(d, 0x482) >> 49n) & 1n) === 1n;
      const exit2 = ((value(d, 0x483) >> 63n) & 1n) === 1n;
      const r = dumpReader(d);
      const p = calculateRawVmxPolicy(r.read);
      expect(r.reads.includes(0x492)).toBe(tertiary);
      expect(r.reads.includes(0x493)).toBe(exit2);
      expect(p.available.vmx_procbased_ctls3).toBe(tertiary);
      expect(p.available.vmx_exit_ctls2).toBe(exit2);
      // Only MSRs past the end of the dump were missing, and only because a rule asked for them.
      expect(r.uncaptured.every((i) => i >= 0x491)).toBe(true);
    });
  }

  it("between them the dumps take both outcomes of both rules", () => {
    const outcomes = dumps.map((d) => [(value(d, 0x482) >> 49n) & 1n, (value(d, 0x483) >> 63n) & 1n].join(""));
    // Ice Lake: neither; Tiger Lake: tertiary only; Arrow Lake and Wildcat Lake: both.
    expect(new Set(outcomes)).toEqual(new Set(["00", "10", "11"]));
  });
});
