/**
 * Enums on the command line: `encode` takes members' names (with a did-you-mean for a wrong one),
 * `decode` names values and flags the rest, `--strict` fails on them, `--json` carries both.
 * Expected bits come from the fixture spec's JSON.
 */
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { bitsOf, FIXTURE_SPECS, fixtureSpec } from "./fixture.ts";

const run = (...args: string[]) => runCli(["--specs", FIXTURE_SPECS, ...args]);
const field = (layout: string, name: string) => fixtureSpec().layouts[layout]!.fields[name]!;
const shifted = (layout: string, name: string, member: string) => BigInt(field(layout, name).enum![member]!) << BigInt(bitsOf(field(layout, name).bits).lsb);
const hex64 = (v: bigint) => `0x${v.toString(16).padStart(16, "0")}`;

describe("encode by name", () => {
  it("sets enum fields by member name, mixed with numbers and booleans", async () => {
    const r = await run("encode", "mstatus", "mpp=M", "fs=Dirty", "spp=S", "mie=1", "uxl=XLEN64");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const want = shifted("mstatus", "mpp", "M") | shifted("mstatus", "fs", "Dirty") | shifted("mstatus", "spp", "S") | (1n << 3n) | shifted("mstatus", "uxl", "XLEN64");
    expect(r.stdout.trim()).toBe(hex64(want));
    // The same value given as numbers encodes the same.
    const n = await run("encode", "mstatus", "mpp=3", "fs=0x3", "spp=true", "mie=1", "uxl=2");
    expect(n.stdout).toBe(r.stdout);
  });

  it("--json shows the member each field now holds", async () => {
    const r = await run("encode", "satp", "mode=Sv48", "asid=7", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { raw: string; fields: { path: string; meaning?: string }[] };
    expect(BigInt(j.raw)).toBe(shifted("satp", "mode", "Sv48") | (7n << 44n));
    expect(j.fields.find((f) => f.path === "mode")!.meaning).toBe("Sv48");
  });

  it("takes names of fields wider than 32 bits and of read-only fields", async () => {
    expect((await run("encode", "wide_key", "key=ALL")).stdout.trim()).toBe(hex64(0xffffffffffffn));
    expect((await run("encode", "mstatus", "sxl=XLEN128")).stdout.trim()).toBe(hex64(shifted("mstatus", "sxl", "XLEN128")));
    // Shipped specs: the PL011 word length and the VMCS memory type.
    const lcr = await runCli(["encode", "LCR_H", "WLEN=BITS8", "FEN=1"]);
    expect(lcr.stdout.trim()).toBe("0x00000070");
    const basic = await runCli(["encode", "IA32_VMX_BASIC", "memory_type=WB", "--json"]);
    expect(BigInt(JSON.parse(basic.stdout).raw) >> 50n).toBe(6n);
  });

  it("a wrong name is a usage error with the nearest members and the list of values", async () => {
    const slip = await run("encode", "mstatus", "mpp=m");
    expect(slip.code).toBe(2);
    expect(slip.stdout).toBe("");
    expect(slip.stderr.trim()).toBe(`hwspec encode: "m" is not a named value of "mpp" (did you mean "M"?) (values: U=0x0, S=0x1, M=0x3)`);
    const typo = await run("encode", "mstatus", "fs=Drity");
    expect(typo.stderr).toContain(`(did you mean "Dirty"?)`);
    const far = await run("encode", "mstatus", "fs=Q");
    expect(far.code).toBe(2);
    expect(far.stderr).not.toContain("did you mean");
    expect(far.stderr).toContain("(values: Off=0x0, Initial=0x1, Clean=0x2, Dirty=0x3)");
    // --json: the same message as a diagnostic on stdout.
    const j = await run("encode", "mstatus", "mpp=H", "--json");
    expect(j.code).toBe(2);
    expect(JSON.parse(j.stdout).diagnostics[0].message).toMatch(/"H" is not a named value of "mpp"/);
  });

  it("a name for a field without an enum, or an unknown field, is refused as such", async () => {
    const r = await run("encode", "mstatus", "mie=ON");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`field "mie" has no named values; give a number`);
    const unknown = await run("encode", "mstatus", "mpx=M");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`has no field "mpx" (did you mean "mpp"?)`);
    const junk = await run("encode", "mstatus", "mpp=M-mode");
    expect(junk.code).toBe(2);
    expect(junk.stderr).toContain("is not path=value");
  });
});

describe("decode names values and flags the others", () => {
  const value = (members: [string, string, string][]) => hex64(members.reduce((v, [l, f, m]) => v | shifted(l, f, m), 0n));

  it("prints each enum field's member, and passes --strict when every value is named", async () => {
    const raw = value([["mstatus", "mpp", "M"], ["mstatus", "fs", "Clean"], ["mstatus", "uxl", "XLEN64"], ["mstatus", "sxl", "XLEN64"]]);
    const r = await run("decode", "mstatus", raw, "--strict");
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/12:11 +mpp +0x3 \(M\)/);
    expect(r.stdout).toMatch(/14:13 +fs +0x2 \(Clean\)/);
    expect(r.stdout).toMatch(/8 +spp +0x0 \(U\)/);
  });

  it("flags a value outside the enum; --strict exits 1; --json lists the violation", async () => {
    // mpp = 2 is reserved (no member); uxl and sxl hold named values.
    const raw = hex64((2n << 11n) | shifted("mstatus", "uxl", "XLEN32") | shifted("mstatus", "sxl", "XLEN32"));
    const text = await run("decode", "mstatus", raw);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/12:11 +mpp +0x2 \(not a named value\)/);
    expect(text.stderr).toContain("warning: 1 violation: mpp = 0x2 is not a named value (U, S, M)");
    const strict = await run("decode", "mstatus", raw, "--strict");
    expect(strict.code).toBe(1);
    const j = await run("decode", "mstatus", raw, "--strict", "--json");
    expect(j.code).toBe(1);
    const out = JSON.parse(j.stdout) as { fields: { path: string; meaning?: string }[]; violations: object[] };
    expect(out.violations).toEqual([{ kind: "enum", path: "mpp", lsb: 11, width: 2, value: "0x2", message: "mpp = 0x2 is not a named value (U, S, M)" }]);
    expect(out.fields.find((f) => f.path === "mpp")!.meaning).toBeUndefined();
    expect(out.fields.find((f) => f.path === "uxl")!.meaning).toBe("XLEN32");
  });

  it("flags unnamed values of wide, straddling and 1-bit fields too", async () => {
    const r = await run("decode", "window", hex64(5n << 28n), "--json");
    const v = (JSON.parse(r.stdout) as { violations: { path: string }[] }).violations.map((x) => x.path);
    // size 5 has no name; lock 0 has none either (only LOCKED = 1 is named).
    expect(v).toEqual(["size", "lock"]);
    const k = await run("decode", "wide_key", "0x1234", "--strict", "--json");
    expect(k.code).toBe(1);
    expect((JSON.parse(k.stdout) as { violations: { path: string; value: string }[] }).violations).toEqual([expect.objectContaining({ path: "key", value: "0x1234" })]);
  });
});
