import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { STRICT } from "../c/harness.ts";
import { strictTsc } from "../helpers/tsc.ts";
import { linuxSysregFiles, PACKAGE, type LinuxSysregFiles } from "./linux-source.ts";

/**
 * Agreement with Linux's own generator on the real file: gen-sysreg.awk turns
 * arch/arm64/tools/sysreg into C macros; hwspec imports the same file and generates C. gcc
 * evaluates every macro of both headers, and each of Linux's must have an hwspec counterpart with
 * the same value. The only differences allowed are the ones docs/importers.md explains, each
 * checked against the file itself.
 */

let files: LinuxSysregFiles;
let dir: string;
let importJson: { counts: Record<string, number>; files: string[]; warnings: { message: string; pointer: string }[] };
let linuxHeader: string;

beforeAll(async () => {
  const got = linuxSysregFiles();
  // Never a silent pass: without the real file there is nothing to agree with.
  if ("error" in got) throw new Error(`${got.error}. The agreement test needs ${PACKAGE} (apt-get download; .ci/run installs what it needs).`);
  files = got;
  dir = mkdtempSync(join(tmpdir(), "hwspec-sysreg-"));
  const awk = spawnSync("awk", ["-f", files.awk, files.sysreg], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (awk.status !== 0) throw new Error(`awk -f gen-sysreg.awk failed: ${awk.stderr || awk.error}`);
  linuxHeader = awk.stdout;
  writeFileSync(join(dir, "linux-sysreg-defs.h"), linuxHeader);
  writeFileSync(join(dir, "package.json"), "{}\n");
  const imp = await runCli(["import", "linux-sysreg", files.sysreg, "--out", join(dir, "specs/linux"), "--json"]);
  if (imp.code !== 0) throw new Error(`import failed (${imp.code}): ${imp.stdout}${imp.stderr}`);
  importJson = JSON.parse(imp.stdout);
  const gen = await runCli(["--specs", join(dir, "specs"), "--out", join(dir, "gen"), "generate", "--targets", "ts,c", "--json"]);
  if (gen.code !== 0) throw new Error(`generate failed (${gen.code}): ${gen.stdout}${gen.stderr}`);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const up = (s: string) => s.toUpperCase();

type Kind = "encoding name" | "encoding" | "encoding field" | "reserved mask" | "field" | "signedness" | "enum value";

/** Linux's macro, what it is, and the hwspec macro that must have its value (docs/importers.md, "Linux sysreg"). */
function counterpart(name: string, value: string): { kind: Kind; hw: string; text: boolean } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^REG_(\w+)$/.exec(name)) && /^S\d/.test(value)) return { kind: "encoding name", hw: `REG_${up(m[1]!)}`, text: true };
  if ((m = /^SYS_(\w+)$/.exec(name)) && value.startsWith("sys_reg(")) return { kind: "encoding", hw: `SYS_${up(m[1]!)}`, text: false };
  if ((m = /^SYS_(\w+)_(Op0|Op1|CRn|CRm|Op2)$/.exec(name))) return { kind: "encoding field", hw: `SYS_${up(m[1]!)}_${m[2]}`, text: false };
  if ((m = /^(\w+)_(RES0|RES1|UNKN)$/.exec(name)) && value.startsWith("(")) {
    return { kind: "reserved mask", hw: `${up(m[1]!)}_${m[2] === "UNKN" ? "IGNORE" : m[2]}_MASK`, text: false };
  }
  if (/_SIGNED$/.test(name) && /^(true|false)$/.test(value)) return { kind: "signedness", hw: up(name), text: false };
  if (/_(SHIFT|WIDTH)$/.test(name) && /^\d+$/.test(value)) return { kind: "field", hw: up(name), text: false };
  if (value.startsWith("GENMASK(")) return { kind: "field", hw: /_MASK$/.test(name) ? up(name) : `${up(name)}_MASK`, text: false };
  if (value.startsWith("UL(0b")) return { kind: "enum value", hw: up(name), text: false };
  return undefined;
}

/** Compiles a program printing `key value` for each macro and returns the lines as a map. */
function evaluate(label: string, prelude: string, pairs: { key: string; macro: string; text: boolean }[], flags: string[]): Map<string, string> {
  const body = pairs
    .map((p) => (p.text ? `  printf("%s %s\\n", "${p.key}", STR(${p.macro}));` : `  printf("%s %llu\\n", "${p.key}", (unsigned long long)(${p.macro}));`))
    .join("\n");
  const src = join(dir, `${label}.c`);
  writeFileSync(src, `${prelude}\n#define STR_(x) #x\n#define STR(x) STR_(x)\nint main(void)\n{\n${body}\n  return 0;\n}\n`);
  const exe = join(dir, label);
  const cc = spawnSync("gcc", [...flags, "-I", dir, "-I", join(dir, "gen/c"), src, "-o", exe], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (cc.status !== 0) throw new Error(`gcc ${label}: ${cc.stderr.split("\n").slice(0, 30).join("\n") || cc.error}`);
  const r = spawnSync(exe, [], { encoding: "utf8", maxBuffer: 1 << 26 });
  return new Map(r.stdout.trim().split("\n").map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)] as const));
}

/** Raz ranges of each block, read from the file with a regex of this test's own. */
function razMasks(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  let block = "";
  for (const line of text.split("\n")) {
    const b = /^(?:Sysreg|SysregFields)\s+(\S+)/.exec(line);
    if (b) block = b[1]!;
    const r = /^Raz\s+(\d+)(?::(\d+))?\s*$/.exec(line);
    if (r) {
      const hi = BigInt(r[1]!);
      const lo = BigInt(r[2] ?? r[1]!);
      out.set(block, (out.get(block) ?? 0n) | (((1n << (hi - lo + 1n)) - 1n) << lo));
    }
  }
  return out;
}

describe(`hwspec import linux-sysreg agrees with gen-sysreg.awk on ${PACKAGE}`, () => {
  it("imports every register, field set, field and enum of the file", () => {
    const text = readFileSync(files.sysreg, "utf8");
    const count = (re: RegExp) => text.split("\n").filter((l) => re.test(l)).length;
    const expected = {
      registers: count(/^Sysreg\s/),
      fieldSets: count(/^SysregFields\s/),
      fields: count(/^Field\s/),
      enums: count(/^(Enum|SignedEnum|UnsignedEnum)\s/),
      enumValues: count(/^\s*0b[01]+\s/),
      reserved: count(/^(Res0|Res1|Unkn|Raz)\s/),
    };
    console.log(`${PACKAGE} ${files.version}: ${JSON.stringify(importJson.counts)}`);
    expect(importJson.counts).toEqual(expected);
    // The manifest beside them is hwspec's bookkeeping, not a spec.
    const written = readdirSync(join(dir, "specs/linux")).filter((f) => !f.startsWith(".hwspec-"));
    expect([...importJson.files].sort()).toEqual(written.sort());
  });

  it("every macro gen-sysreg.awk defines has an hwspec macro of the same value", () => {
    const defines = [...linuxHeader.matchAll(/^#define (\S+)\s+(.*)$/gm)].map((m) => ({ name: m[1]!, value: m[2]!.trim() })).filter((d) => d.name !== "__ASM_SYSREG_DEFS_H");
    const unclassified = defines.filter((d) => !counterpart(d.name, d.value)).map((d) => d.name);
    expect(unclassified).toEqual([]);
    const pairs = defines.map((d) => ({ d, c: counterpart(d.name, d.value)! }));
    const linuxPrelude = [
      "#include <stdio.h>",
      "#include <stdbool.h>",
      // What arch/arm64/include/asm/sysreg.h and include/linux/bits.h give these names on arm64 (64-bit long).
      "#define UL(x) (x##UL)",
      "#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))",
      "#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))",
      "#define sys_reg(op0, op1, crn, crm, op2) (((op0) << 19) | ((op1) << 16) | ((crn) << 12) | ((crm) << 8) | ((op2) << 5))",
      '#include "linux-sysreg-defs.h"',
    ].join("\n");
    // Linux's enum values are 0b literals, a GNU C extension its kernel is built with.
    const linux = evaluate("linux", linuxPrelude, pairs.map(({ d, c }) => ({ key: d.name, macro: d.name, text: c.text })), ["-std=gnu11"]);
    const headers = readdirSync(join(dir, "gen/c/linux")).filter((f) => f.endsWith(".h")).sort().map((h) => `linux/${h}`);
    const hwPrelude = ["#include <stdio.h>", ...headers.map((h) => `#include "${h}"`)].join("\n");
    const hw = evaluate("hwspec", hwPrelude, pairs.map(({ d, c }) => ({ key: d.name, macro: c.hw, text: c.text })), STRICT);

    const raz = razMasks(readFileSync(files.sysreg, "utf8"));
    const byKind = new Map<Kind, number>();
    const unexplained: string[] = [];
    const explained: string[] = [];
    for (const { d, c } of pairs) {
      byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1);
      const a = linux.get(d.name);
      const b = hw.get(d.name);
      expect(a, d.name).toBeDefined();
      if (a === b) continue;
      // docs/importers.md: Raz bits read as zero, so hwspec counts them as res0; Linux's RES0 leaves them out.
      const block = /^(\w+)_RES0$/.exec(d.name)?.[1];
      const extra = block ? raz.get(block) : undefined;
      if (extra !== undefined && b !== undefined && BigInt(b) === (BigInt(a!) | extra)) explained.push(`${d.name}: Linux ${a}, hwspec ${b} (+ Raz bits)`);
      else unexplained.push(`${d.name} (${c.hw}): Linux ${a}, hwspec ${b}`);
    }
    console.log(`compared ${pairs.length} macros: ${[...byKind].map(([k, n]) => `${n} ${k}`).join(", ")}; ${explained.length} explained differences: ${explained.join("; ") || "none"}`);
    expect(unexplained).toEqual([]);
    for (const k of ["encoding name", "encoding", "encoding field", "reserved mask", "field", "signedness", "enum value"] as Kind[]) expect(byKind.get(k), k).toBeGreaterThan(0);
  });

  it("warns about enum values Linux's generator lets through twice, at the member, with the source line", () => {
    const text = readFileSync(files.sysreg, "utf8").split("\n");
    const dups = importJson.warnings.filter((w) => /repeats the value of/.test(w.message));
    expect(dups.length).toBeGreaterThan(0);
    for (const w of dups) {
      const lines = [...w.message.matchAll(/sysreg:(\d+)\)/g)].map((m) => Number(m[1]));
      expect(lines).toHaveLength(2);
      // Both cited lines are enum values of the file with the same binary value.
      const values = lines.map((n) => /^\s*(0b[01]+)\s/.exec(text[n - 1]!)?.[1]);
      expect(values[0]).toBeDefined();
      expect(BigInt(values[0]!)).toBe(BigInt(values[1]!));
      expect(w.pointer).toMatch(/^\/registers\/\w+\/fields\/\w+\/enum\/\w+$/);
    }
    const fields = dups.map((w) => /in field "([\w.]+)"/.exec(w.message)?.[1]);
    // The two the issue names for Linux 6.12.
    expect(fields).toEqual(expect.arrayContaining(["ID_PFR1_EL1.Security", "ID_AA64SMFR0_EL1.SMEver"]));
  });

  it("the generated TypeScript passes strict tsc", () => {
    expect(strictTsc(dir, ["gen/ts"])).toBe("");
  }, 600_000);
});
