import { posix } from "node:path";
import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { Lookup } from "../../elaborate/lookup.ts";
import { GENERATED_HEADER } from "../escape.ts";
import { generateAssertions } from "./assertions.ts";
import { blockComment, commentLines } from "./comment.ts";
import { generateGroup } from "./groups.ts";
import { generateLayouts } from "./layout.ts";
import { instanceSection } from "./instance.ts";
import { includeGuard } from "./names.ts";
import { render } from "./templates.ts";

import { headerPath as headerPathOf } from "../../elaborate/names/c.ts";

export { headerPathOf };

/** Headers of other specs whose layouts this spec nests, as paths relative to this header, sorted. */
export function generateIncludes(spec: ElabRegistersSpec, lookup: Lookup, specOf: (ns: string) => ElabRegistersSpec | undefined): string[] {
  const here = posix.dirname(headerPathOf(spec.rel));
  const out = new Set<string>();
  for (const shape of [...spec.layouts, ...spec.registers]) {
    for (const f of shape.fields) {
      const nested = f.layout ? lookup.layouts.get(f.layout) : undefined;
      if (!nested || nested.spec === spec.name) continue;
      const other = specOf(nested.spec);
      if (!other) throw new Error(`internal: ${f.layout} belongs to unknown spec ${nested.spec}`);
      out.add(posix.relative(here, headerPathOf(other.rel)));
    }
  }
  return [...out].sort();
}

/** One header per registers spec: layouts, registers, groups, then the size facts. */
export function generateHeader(
  spec: ElabRegistersSpec,
  lookup: Lookup,
  specOf: (ns: string) => ElabRegistersSpec | undefined,
  extra: string[] = [],
  after: string[] = [],
  /** A device's block size, for its instance section. */
  blockSize?: bigint,
): string {
  const path = headerPathOf(spec.rel);
  // An overlay's header includes its base's and defines only what differs: its own shapes, and
  // its groups and asserts when they changed (elaborate/inherit.ts decides which).
  const inherits = spec.inherits;
  const own = (s: { name: string }) => !inherits?.inherited.has(s.name);
  const rest = !inherits?.sameRest;
  const sections = [...extra, ...generateLayouts([...spec.layouts.filter(own), ...spec.registers.filter(own)], lookup), ...(rest ? spec.groups.map((g) => generateGroup(g, spec)) : [])];
  if (rest && spec.asserts.length) sections.push(generateAssertions(spec, lookup));
  sections.push(...after);
  const instance = instanceSection(spec, blockSize);
  if (instance) sections.push(instance);
  const includes = generateIncludes(spec, lookup, specOf);
  if (inherits) {
    const baseHeader = posix.relative(posix.dirname(path), headerPathOf(inherits.baseRel));
    if (!includes.includes(baseHeader)) includes.unshift(baseHeader);
  }
  const about = [...commentLines(`${spec.name}: ${spec.doc}`), ...(spec.source ? ["", ...commentLines(`From: ${spec.source}`)] : [])];
  return render("header", {
    generated: GENERATED_HEADER,
    source: commentLines(`specs/${spec.rel}`).join(" "),
    comment: blockComment(about),
    guard: includeGuard(path),
    includes,
    // File-scope facts (array bounds) need an assertion that works outside a function, where
    // Xen's expression-style BUILD_BUG_ON does not.
    staticAssert: spec.registers.filter(own).some((r) => r.array !== undefined),
    sections,
  });
}

/**
 * Another kind's spec seen as a registers spec without groups or asserts, so its layouts and
 * registers go through the same header emitter.
 */
export function registersView(
  spec: Pick<ElabRegistersSpec, "name" | "doc" | "source" | "rel" | "loc" | "instance" | "inherits">,
  layouts: ElabRegistersSpec["layouts"],
  registers: ElabRegistersSpec["registers"],
): ElabRegistersSpec {
  return {
    kind: "registers",
    // Only device blocks are seen this way, and they are memory-mapped.
    space: "mmio",
    name: spec.name,
    doc: spec.doc,
    ...(spec.source ? { source: spec.source } : {}),
    rel: spec.rel,
    loc: spec.loc,
    layouts,
    registers,
    groups: [],
    asserts: [],
    ...(spec.instance ? { instance: spec.instance } : {}),
    ...(spec.inherits ? { inherits: spec.inherits } : {}),
  };
}
