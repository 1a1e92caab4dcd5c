/**
 * `with`/`patch`/`encode` are compiled per layout at run time where the host allows it. Where it
 * does not (a Content-Security-Policy without 'unsafe-eval'; node's
 * --disallow-code-generation-from-strings is the same refusal), the generic path must give the
 * same values and the same typed errors.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/project.ts";
import { run } from "../reliability/spawn.ts";
import { evalAllowed, transcript } from "./applier-transcript.ts";

const SCRIPT = join(ROOT, "test/accessors/applier-transcript.ts");

describe("accessors without run-time code generation", () => {
  it("give the same values and errors as with it", async () => {
    const exit = await run(["--disallow-code-generation-from-strings", "--import", "tsx", SCRIPT], { cwd: ROOT });
    expect(exit.stderr).toBe("");
    expect(exit.code).toBe(0);
    const child = JSON.parse(exit.stdout) as { evalAllowed: boolean; transcript: string[] };
    // The child really was refused, and this process really compiles: two different paths.
    expect(child.evalAllowed).toBe(false);
    expect(evalAllowed()).toBe(true);
    const here = transcript();
    expect(child.transcript).toEqual(here);
    // Both paths share the error reporting, so what it must say is pinned here as well.
    expect(here).toEqual(
      expect.arrayContaining([
        'cr0_bits.with(0x0, {"pg":true,"wp":true}) = 0x0000000080010000',
        'cr0_bits.with(0x0, {"pg":true,"bogus":1}) throws HwspecFieldError: cr0_bits: field "bogus" does not exist',
        "l1e.with(0x0, {\"frame\":{\"lo\":0,\"hi\":256}}) throws HwspecRangeError: l1e.frame: 0x10000000000 is not a valid 40-bit value",
        'LCR_H.with(0x0, {"WLEN":"bits8"}) throws HwspecEnumError: LCR_H.WLEN: "bits8" is not a member of its enum (BITS5, BITS6, BITS7, BITS8) (did you mean "BITS8"?)',
        'IA32_VMX_PROCBASED_CTLS.with(0x0, {"allowed_1":1}) throws HwspecFieldError: IA32_VMX_PROCBASED_CTLS: field "allowed_1" is not writable',
        'IA32_VMX_PROCBASED_CTLS.patch(0x0, {"allowed_0":4660,"allowed_1":{"hlt_exiting":true}}) = 0x0000008000001234',
      ]),
    );
  });
});
