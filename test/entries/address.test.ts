import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { ElabEntriesSpec, ElabEntryFormat } from "../../generator/elaborate/model.ts";
import { HwspecRangeError, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";
import { projectFront, ROOT, tempDir } from "../helpers/project.ts";

/**
 * Address from entry and entry from address, for every format of every entries spec of the tree:
 * the generated TS round-trips, agrees with the meaning address = field << shift computed here
 * from the field's bits, and the C helpers (all headers in one translation unit) agree with TS.
 */
type AddressModule = Record<string, (x: unknown) => unknown>;

const front = projectFront();
const specs = front.model.specs.filter((s): s is ElabEntriesSpec => s.kind === "entries");
const formats = specs.flatMap((s) => s.levels.flatMap((l) => l.formats.filter((f) => f.address).map((f) => ({ spec: s, f }))));
const modules = new Map<string, AddressModule>();
const moduleOf = async (s: ElabEntriesSpec) => {
  if (!modules.has(s.name)) modules.set(s.name, (await import(join(ROOT, "generated/ts", s.rel.replace(/\.json$/, ".ts")))) as AddressModule);
  return modules.get(s.name)!;
};
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A field value of the format's address width, as the test's own arithmetic sees it. */
const fieldValue = (f: ElabEntryFormat) => fc.bigInt({ min: 0n, max: (1n << BigInt(f.address!.width)) - 1n });

describe("entry formats: address = field << shift", () => {
  it("covers the RISC-V frame numbers and the x86 in-place addresses", () => {
    const byName = new Map(formats.map(({ f }) => [f.name, f.address!]));
    expect(byName.get("sv39_l0_leaf")).toMatchObject({ lsb: 10, shift: 12, inPlace: false });
    expect(byName.get("l2e_superpage")).toMatchObject({ lsb: 21, shift: 21, inPlace: true });
  });

  for (const { spec, f } of formats) {
    it(`${spec.name}.${f.name}: from_address then address round-trips`, async () => {
      const m = await moduleOf(spec);
      const a = f.address!;
      fc.assert(
        fc.property(fieldValue(f), (v) => {
          const pa = v << BigInt(a.shift);
          const entry = m[`${f.ids.ts}_from_address`]!(pa) as U64;
          // The field sits at bits lsb.. of the entry and nothing else is set.
          expect(u64ToBigInt(entry)).toBe(v << BigInt(a.lsb));
          expect(m[`${f.ids.ts}_address`]!(entry)).toBe(pa);
        }),
        { numRuns: 200, seed: 15 },
      );
      // An address with a bit the field cannot hold is refused, not truncated.
      const outside = a.shift > 0 ? 1n : 1n << BigInt(a.shift + a.width);
      expect(() => m[`${f.ids.ts}_from_address`]!(outside)).toThrow(HwspecRangeError);
    });
  }

  it("the C helpers agree with TS (every entries header in one translation unit, gcc -Werror)", async () => {
    const samples = formats.map(({ f }) => fc.sample(fieldValue(f), { numRuns: 20, seed: 3 }).map((v) => v << BigInt(f.address!.shift)));
    const dir = tempDir();
    dirs.push(dir);
    const includes = specs.map((s) => `#include "${join(ROOT, "generated/c", s.rel.replace(/\.json$/, ".h"))}"`).join("\n");
    const body = formats
      .map(({ f }, i) => samples[i]!.map((pa) => `  { uint64_t e = ${f.ids.cTag}_from_address(UINT64_C(${pa})); printf("%llx %llx\\n", (unsigned long long)e, (unsigned long long)${f.ids.cTag}_address(e)); }`).join("\n"))
      .join("\n");
    writeFileSync(join(dir, "probe.c"), `#include <stdio.h>\n#include <stdint.h>\n${includes}\nint main(void) {\n${body}\n  return 0;\n}\n`);
    execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", join(dir, "probe"), join(dir, "probe.c")]);
    const lines = execFileSync(join(dir, "probe"), { encoding: "utf8" }).trim().split("\n");
    const expected: string[] = [];
    for (const [i, { spec, f }] of formats.entries()) {
      const m = await moduleOf(spec);
      for (const pa of samples[i]!) {
        const entry = m[`${f.ids.ts}_from_address`]!(pa) as U64;
        expected.push(`${u64ToBigInt(entry).toString(16)} ${(m[`${f.ids.ts}_address`]!(entry) as bigint).toString(16)}`);
      }
    }
    expect(lines).toEqual(expected);
  });
});
