import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { u64FromBigInt, type WalkDescriptor } from "../../generated/ts/support.ts";
import { evaluate, type Expr } from "../../generator/expr/index.ts";
import { entriesSpecs } from "../../generator/elaborate/lookup.ts";
import { entryValues, valueOf } from "../../generator/elaborate/entry-values.ts";
import type { ElabEntriesSpec } from "../../generator/elaborate/model.ts";
import { walkDescriptorOf } from "../../generator/inspect/walk.ts";
import { moduleOf } from "../../generator/emit/ts/spec-file.ts";
import { GENERATED, projectFront } from "../helpers/project.ts";

const front = projectFront();
const specs = entriesSpecs(front.model);

/** Strips the compiled conditions so the data of two descriptors can be compared. */
const data = (d: WalkDescriptor) => ({ ...d, levels: d.levels.map((l) => ({ ...l, valid: undefined, formats: l.formats.map((f) => ({ ...f, when: undefined })) })) });

/** The spec's own expression on one entry, evaluated directly (`flags` through the spec's packing). */
function holds(spec: ElabEntriesSpec, e: Expr | undefined, entry: bigint): boolean {
  if (!e) return true;
  const values = entryValues(spec);
  const flags = (spec.flags?.packing ?? []).reduce((f, p) => f | (((entry >> BigInt(p.entryLsb)) & ((1n << BigInt(p.width)) - 1n)) << BigInt(p.flagsLsb)), 0n);
  const v = evaluate(e, { ref: ([n]) => (n === "entry" ? entry : n === "flags" ? flags : valueOf(values, n!)!) });
  return typeof v === "boolean" ? v : v !== 0n;
}

describe("walk descriptors", () => {
  it("cover every entries spec of the tree", () => {
    expect(specs.map((s) => s.name)).toContain("x86.pagetable");
  });
  for (const spec of specs) {
    it(`${spec.name}: the generated and the decode --walk descriptor hold the same data, and their tests agree with the spec's expressions`, async () => {
      const generated = ((await import(/* @vite-ignore */ pathToFileURL(join(GENERATED, "ts", `${moduleOf(spec.rel)}.ts`)).href)) as { walk: WalkDescriptor }).walk;
      const evaluated = walkDescriptorOf(spec);
      expect(data(evaluated)).toEqual(data(generated));
      const byName = new Map(spec.levels.map((l) => [l.name, l]));
      // Entries biased to few set bits, so both sides of each condition occur.
      const entry = fc.oneof(
        fc.bigInt({ min: 0n, max: (1n << BigInt(generated.entryWidth)) - 1n }),
        fc.array(fc.nat({ max: generated.entryWidth - 1 }), { maxLength: 4 }).map((bits) => bits.reduce((e, b) => e | (1n << BigInt(b)), 0n)),
      );
      fc.assert(
        fc.property(entry, (e) => {
          const u = u64FromBigInt(e, generated.entryWidth);
          generated.levels.forEach((l, i) => {
            const level = byName.get(l.name)!;
            const valid = holds(spec, level.valid?.ast, e);
            expect(l.valid(u), `${l.name} valid 0x${e.toString(16)}`).toBe(valid);
            expect(evaluated.levels[i]!.valid(u)).toBe(valid);
            if (!valid) return;
            const want = level.formats.find((f) => holds(spec, f.when.ast, e))?.name;
            expect(l.formats.find((f) => f.when(u))?.name, `${l.name} format of 0x${e.toString(16)}`).toBe(want);
            expect(evaluated.levels[i]!.formats.find((f) => f.when(u))?.name).toBe(want);
          });
        }),
        { numRuns: 300 },
      );
    });
  }
});
