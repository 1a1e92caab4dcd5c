import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { WalkDescriptor } from "../../generated/ts/support.ts";
import { entriesSpecs } from "../../generator/elaborate/lookup.ts";
import { moduleOf } from "../../generator/emit/ts/spec-file.ts";
import { walk } from "../../runtime/walk/index.ts";
import { GENERATED, projectFront } from "../helpers/project.ts";
import { build, riscv, signExtend, vmsa4k, type Mapping } from "./builders.ts";

/** Each architecture's builder with its VA and PA widths (Sv39/Sv48: 56-bit PA; VMSAv8-64 here: 48-bit OA). */
const ARCHES = {
  "riscv.sv39": { arch: riscv(3), vaBits: 39, paBits: 56, shifts: [12, 21, 30] },
  "riscv.sv48": { arch: riscv(4), vaBits: 48, paBits: 56, shifts: [12, 21, 30, 39] },
  "arm.vmsav8_64_4k": { arch: vmsa4k(), vaBits: 48, paBits: 48, shifts: [12, 21, 30] },
} as const;

const specs = entriesSpecs(projectFront().model);
const present = specs.filter((s) => s.name in ARCHES);

const descriptorOf = async (rel: string) => ((await import(/* @vite-ignore */ pathToFileURL(join(GENERATED, "ts", `${moduleOf(rel)}.ts`)).href)) as { walk: WalkDescriptor }).walk;

describe("walk over tables built from each architecture's rules", () => {
  it("the tree has the RISC-V and Arm entries specs", () => {
    expect(present.map((s) => s.name).sort()).toEqual(Object.keys(ARCHES).sort());
  });

  for (const spec of present) {
    const { arch, vaBits, paBits, shifts } = ARCHES[spec.name as keyof typeof ARCHES];
    it(`${spec.name}: mapped addresses reach their frames at the mapped page size, others fault not-present`, async () => {
      const desc = await descriptorOf(spec.rel);
      expect(desc.vaBits).toBe(vaBits);
      const request = fc.constantFrom(...shifts).chain((shift) =>
        fc.record({
          shift: fc.constant(shift),
          va: fc.bigInt({ min: 0n, max: (1n << BigInt(vaBits - shift)) - 1n }).map((p) => p << BigInt(shift)),
          pa: fc.bigInt({ min: 0n, max: (1n << BigInt(paBits - shift)) - 1n }).map((p) => p << BigInt(shift)),
        }),
      );
      fc.assert(
        fc.property(fc.array(request, { minLength: 1, maxLength: 10 }), fc.array(fc.bigInt({ min: 0n, max: (1n << BigInt(vaBits)) - 1n }), { maxLength: 10 }), (requests, strays) => {
          const t = build(arch, requests as Mapping[]);
          for (const m of t.mappings) {
            const size = 1n << BigInt(m.shift);
            for (const off of [0n, size - 1n, (m.va * 7n + 0x123n) % size]) {
              const r = walk(desc, { root: t.root, va: signExtend(m.va + off, vaBits), read: t.read });
              expect(r.fault).toBeUndefined();
              expect(r.translation!.pa).toBe(m.pa + off);
              expect(r.translation!.pageSize).toBe(size);
            }
          }
          for (const va of strays) {
            const m = t.mappings.find((x) => va >= x.va && va < x.va + (1n << BigInt(x.shift)));
            const r = walk(desc, { root: t.root, va: signExtend(va, vaBits), read: t.read });
            if (m) expect(r.translation!.pa).toBe(m.pa + (va - m.va));
            else expect(r.fault?.kind).toBe("not-present");
          }
        }),
        { numRuns: 100 },
      );
    });
  }
});
