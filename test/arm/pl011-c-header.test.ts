import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED, tempDir } from "../helpers/project.ts";

describe("generated/c/arm/pl011.h", () => {
  it("compiles with gcc and agrees with the spec on offsets, resets and interrupt bits", () => {
    const dir = tempDir("hwspec-pl011-c-");
    const probe = join(dir, "probe.c");
    writeFileSync(
      probe,
      [
        `#include "${join(GENERATED, "c/arm/pl011.h")}"`,
        "_Static_assert(DR_OFFSET == 0x000, \"DR\");",
        "_Static_assert(FR_OFFSET == 0x018, \"FR\");",
        "_Static_assert(IMSC_OFFSET == 0x038 && RIS_OFFSET == 0x03c && MIS_OFFSET == 0x040 && ICR_OFFSET == 0x044, \"int\");",
        "_Static_assert(PCELLID3_OFFSET == 0xffc, \"id\");",
        "_Static_assert(ECR_OFFSET == RSR_OFFSET && ECR_OFFSET == 0x004, \"ECR is the other name of RSR\");",
        "_Static_assert(FR_RESET == 0x90 && CR_RESET == 0x300 && IFLS_RESET == 0x12, \"reset\");",
        "_Static_assert(FR_TXFF_MASK == (1u << 5) && FR_RXFF_MASK == (1u << 6), \"flags\");",
        "int main(void) { return 0; }",
        "",
      ].join("\n"),
    );
    expect(() => execFileSync("gcc", ["-std=c11", "-Wall", "-Wextra", "-Werror", "-o", join(dir, "probe"), probe], { stdio: "pipe" })).not.toThrow();
  });
});
