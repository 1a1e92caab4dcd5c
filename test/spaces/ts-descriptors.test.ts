/**
 * Index spaces in TypeScript: every register descriptor says its space and its address under that
 * space's key, system registers add their five encoding fields and generic name, and the doc
 * comment names the space. Expected values are read from the spec JSON, not from the model.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { GENERATED, ROOT, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";

const FIXTURE = join(ROOT, "test/fixtures/spaces/specs");

interface Encoding {
  op0: number;
  op1: number;
  crn: number;
  crm: number;
  op2: number;
}
interface Descriptor {
  kind: string;
  space?: string;
  index?: number;
  offset?: number;
  encoding?: Encoding;
  encodingName?: string;
}
type Json = { registers: Record<string, { encoding?: Encoding; index?: string; offset?: string }> };

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Json;
const load = async (file: string) => (await import(pathToFileURL(file).href)) as Record<string, Descriptor>;

let out: string;
beforeAll(async () => {
  out = tempDir("hwspec-spaces-ts-");
  const r = await runCli(["generate", "--specs", FIXTURE, "--out", join(out, "generated")]);
  if (r.code !== 0) throw new Error(`generate failed: ${r.stderr}`);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("index spaces in TS descriptors", () => {
  it("system registers: space, sys_reg() number, the five fields and S<op0>_<op1>_C<n>_C<m>_<op2>", async () => {
    const mod = await load(join(out, "generated/ts/arm/aarch64-sysregs.ts"));
    for (const [name, { encoding: e }] of Object.entries(readJson(join(FIXTURE, "arm/aarch64-sysregs.json")).registers)) {
      const d = mod[name]!;
      const packed = (e!.op0 << 19) | (e!.op1 << 16) | (e!.crn << 12) | (e!.crm << 8) | (e!.op2 << 5);
      expect(d, name).toMatchObject({ kind: "register", space: "sysreg", index: packed, encoding: e, encodingName: `S${e!.op0}_${e!.op1}_C${e!.crn}_C${e!.crm}_${e!.op2}` });
      expect(d.offset, name).toBeUndefined();
    }
    const group = mod.ttbr_group as unknown as { first: number; last: number; rawBytes: number };
    expect(group).toMatchObject({ first: mod.TTBR0_EL1!.index, last: mod.TTBR1_EL1!.index, rawBytes: 16 });
  });

  it("ports, CSRs, MSRs and MMIO offsets each under their space", async () => {
    const cases: [string, string, string, "index" | "offset"][] = [
      [join(out, "generated/ts/x86/pc-ports.ts"), join(FIXTURE, "x86/pc-ports.json"), "port", "index"],
      [join(GENERATED, "ts/riscv/machine-csrs.ts"), join(ROOT, "specs/riscv/machine-csrs.json"), "csr", "index"],
      [join(GENERATED, "ts/x86/vmx-msrs.ts"), join(ROOT, "specs/x86/vmx-msrs.json"), "msr", "index"],
      [join(GENERATED, "ts/arm/pl011.ts"), join(ROOT, "specs/arm/pl011.json"), "mmio", "offset"],
    ];
    for (const [ts, spec, space, key] of cases) {
      const mod = await load(ts);
      const regs = Object.entries(readJson(spec).registers);
      expect(regs.length, spec).toBeGreaterThan(0);
      for (const [name, r] of regs) {
        expect(mod[name], `${space} ${name}`).toMatchObject({ space, [key]: Number(BigInt(r[key]!)) });
        expect(mod[name]!.encoding).toBeUndefined();
      }
    }
  });

  it("doc comments name the space instead of calling every register an MSR", () => {
    const sys = readFileSync(join(out, "generated/ts/arm/aarch64-sysregs.ts"), "utf8");
    expect(sys).toContain("* System register S3_0_C1_C0_0.");
    expect(sys).not.toContain("MSR index");
    const csr = readFileSync(join(GENERATED, "ts/riscv/machine-csrs.ts"), "utf8");
    expect(csr).toContain("* CSR number 0x300.");
    expect(csr).not.toContain("MSR index");
    expect(readFileSync(join(out, "generated/ts/x86/pc-ports.ts"), "utf8")).toContain("* I/O port 0xcf8.");
    expect(readFileSync(join(GENERATED, "ts/x86/vmx-msrs.ts"), "utf8")).toContain("* MSR index 0x480.");
  });

  it("the generated modules pass strict tsc", () => {
    expect(strictTsc(join(out, "generated"), ["ts/**/*.ts"])).toBe("");
  });
});
