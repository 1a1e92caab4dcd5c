import { join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { u64FromBigInt, type WalkDescriptor } from "../../generated/ts/support.ts";
import { entriesSpecs } from "../../generator/elaborate/lookup.ts";
import { walkDescriptorOf } from "../../generator/inspect/walk.ts";
import { moduleOf } from "../../generator/emit/ts/spec-file.ts";
import { GENERATED, projectFront } from "../helpers/project.ts";

const front = projectFront();
const specs = entriesSpecs(front.model);

/** Strips the compiled conditions so the data of two descriptors can be compared. */
const data = (d: WalkDescriptor) => ({ ...d, levels: d.levels.map((l) => ({ ...l, valid: undefined, formats: l.formats.map((f) => ({ ...f, when: undefined })) })) });

describe("the generated walk descriptor and the one decode --walk evaluates agree", () => {
  it("covers every entries spec of the tree", () => {
    expect(specs.map((s) => s.name)).toContain("x86.pagetable");
  });
  for (const spec of specs) {
    it(`${spec.name}: same data, and the same validity and format conditions on random entries`, async () => {
      const generated = ((await import(/* @vite-ignore */ pathToFileURL(join(GENERATED, "ts", `${moduleOf(spec.rel)}.ts`)).href)) as { walk: WalkDescriptor }).walk;
      const evaluated = walkDescriptorOf(spec);
      expect(data(evaluated)).toEqual(data(generated));
      // Entries biased to few set bits, so both sides of each condition occur.
      const entry = fc.oneof(fc.bigInt({ min: 0n, max: (1n << BigInt(generated.entryWidth)) - 1n }), fc.array(fc.nat({ max: generated.entryWidth - 1 }), { maxLength: 4 }).map((bits) => bits.reduce((e, b) => e | (1n << BigInt(b)), 0n)));
      fc.assert(
        fc.property(entry, (e) => {
          const u = u64FromBigInt(e);
          generated.levels.forEach((l, i) => {
            const o = evaluated.levels[i]!;
            expect(o.valid(u)).toBe(l.valid(u));
            l.formats.forEach((f, j) => expect(o.formats[j]!.when(u), `${l.name} ${f.name} 0x${e.toString(16)}`).toBe(f.when(u)));
          });
        }),
        { numRuns: 300 },
      );
    });
  }
});
