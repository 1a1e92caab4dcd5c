import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as pt from "../../generated/ts/x86/pagetable.ts";
import { ROOT, tempDir } from "../helpers/project.ts";

const HEADER = join(ROOT, "generated/c/x86/pagetable.h");
const NAMES = ["PAGE_SIZE", "L4_PAGETABLE_ENTRIES", "_PAGE_PRESENT", "_PAGE_PSE", "_PAGE_NX", "PAGE_CACHE_ATTRS", "__PAGE_HYPERVISOR", "PAGE_HYPERVISOR", "MAP_SMALL_PAGES"] as const;

/** The page-table header compiles cleanly and its constants and conversions match the TS side. */
describe("generated/c/x86/pagetable.h", () => {
  it("agrees with the generated TS on constants, flag sets and both conversions", () => {
    const flags = fc.sample(fc.nat({ max: 0xffffff }), { numRuns: 500, seed: 7 });
    const dir = tempDir();
    const prog = join(dir, "probe.c");
    writeFileSync(
      prog,
      `#include <stdio.h>\n#include "${HEADER}"\nstatic const uint32_t in[] = {${flags.join(",")}};\nint main(void) {\n` +
        NAMES.map((n) => `  printf("${n} %llu\\n", (unsigned long long)(${n}));`).join("\n") +
        `\n  for (unsigned i = 0; i < sizeof in / sizeof in[0]; i++) printf("%u %u\\n", l1f_to_lNf(in[i]), lNf_to_l1f(in[i]));\n  x86_pagetable_build_assertions();\n  return 0;\n}\n`,
    );
    execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic", "-o", join(dir, "probe"), prog]);
    const lines = execFileSync(join(dir, "probe"), { encoding: "utf8" }).trim().split("\n");
    NAMES.forEach((n, i) => expect(lines[i], n).toBe(`${n} ${pt[n]}`));
    flags.forEach((f, i) => expect(lines[NAMES.length + i]).toBe(`${pt.l1f_to_lNf(f)} ${pt.lNf_to_l1f(f)}`));
  });
});
