import type { ElabDeviceSpec } from "../../elaborate/model.ts";
import type { UnmappedPolicy } from "../../model/index.ts";
import type { Front } from "../../pipeline.ts";
import { hex } from "../../resolve/values.ts";
import type { OutFile } from "../types.ts";
import { cDeviceNames, cShapeNames } from "../../elaborate/names/c.ts";
import { cAddressMacro } from "../../elaborate/spaces.ts";
import { blockComment, commentLines } from "./comment.ts";
import { generateHeader, headerPathOf, registersView } from "./header.ts";
import { cIdent, cTypeTag } from "./names.ts";
import { render } from "./templates.ts";

/**
 * generated/c headers for `device` specs through the registers header emitter: a device's
 * registers are Registers with MMIO offsets, so the emitter sees a registers spec with no groups
 * or asserts and writes the same unions, field macros, `<REG>_OFFSET` defines and apply
 * functions. The block comes first (its size and unmapped-offset policy), and each array's
 * last element is a compile-time fact against the block size.
 */
export function deviceC(spec: ElabDeviceSpec, { lookup }: Front): OutFile {
  const view = registersView(spec, spec.layouts, spec.registers);
  // An instance that keeps its base's block has the base's block macros (its header includes the base's).
  const sameBlock = spec.inherits?.sameRest === true;
  const facts = sameBlock ? undefined : blockFacts(spec);
  return {
    path: `c/${headerPathOf(spec.rel)}`,
    lang: "c",
    source: `specs/${spec.rel}`,
    content: generateHeader(view, lookup, () => undefined, sameBlock ? [] : [blockSection(spec)], facts ? [facts] : [], spec.block.size),
  };
}

/** Adjacent ranges of one policy are one test; the docs keep every range. */
function mergedRanges(spec: ElabDeviceSpec, policy: UnmappedPolicy): { first: bigint; last: bigint }[] {
  const out: { first: bigint; last: bigint }[] = [];
  for (const u of spec.block.unmappedRanges) {
    if (u.policy !== policy) continue;
    const prev = out[out.length - 1];
    if (prev && prev.last + 1n === u.first) prev.last = u.last;
    else out.push({ first: u.first, last: u.last });
  }
  return out;
}

function blockSection(spec: ElabDeviceSpec): string {
  const n = cDeviceNames(spec);
  const wide = spec.block.size > 0x100000000n;
  const suffix = wide ? "ULL" : "U";
  const range = (r: { first: bigint; last: bigint }) =>
    r.first === 0n ? `offset <= ${hex(r.last, 12)}${suffix}` : `(offset >= ${hex(r.first, 12)}${suffix} && offset <= ${hex(r.last, 12)}${suffix})`;
  const fallback = spec.block.unmapped;
  // The ranges that differ from the block's own policy decide; the rest of the block follows it.
  const other = mergedRanges(spec, fallback === "raz-wi" ? "fault" : "raz-wi");
  let test: string;
  if (fallback === "fault") test = other.length ? other.map(range).join(" || ") : "false";
  else test = [`offset < ${n.BLOCK_SIZE}`, ...other.map((r) => `!${r.first === 0n ? `(${range(r)})` : range(r)}`)].join(" && ");
  const policy = [
    "Whether an access at `offset` that no register covers reads as zero and ignores writes (raz-wi)",
    `instead of faulting. Unmapped offsets ${fallback === "raz-wi" ? "inside the block are raz-wi" : "fault"}${spec.block.unmappedRanges.length ? ", except:" : "."}`,
    ...spec.block.unmappedRanges.map((u) => `${hex(u.first, 12)}..${hex(u.last, 12)} ${u.policy}${u.doc.trim() ? `: ${u.doc.trim()}` : ""}`),
  ];
  const about = `The MMIO block of ${spec.name}: ${hex(spec.block.size)} bytes, ${spec.block.accessWidths.join("/")}-bit accesses.`;
  return render("block", {
    comment: blockComment([...commentLines(about), ...commentLines(spec.block.doc)]),
    sizeMacro: cIdent(n.BLOCK_SIZE, "macro"),
    size: hex(spec.block.size),
    policy: blockComment(policy.flatMap((l) => commentLines(l))),
    razWi: cIdent(n.unmappedRazWi, "function"),
    offsetType: wide ? "uint64_t" : "uint32_t",
    unused: test === "false",
    test,
  }).trimEnd();
}

/** The last element of every array lies inside the block. */
function blockFacts(spec: ElabDeviceSpec): string | undefined {
  const size = cDeviceNames(spec).BLOCK_SIZE;
  const lines = spec.registers
    .filter((r) => r.array)
    .map((r) => {
      const s = cShapeNames(r);
      return `HWSPEC_STATIC_ASSERT(${cAddressMacro(r)}(${s.COUNT} - 1) + sizeof(union ${cTypeTag(r)}) <= ${size}, "${r.name}: the last element lies inside the block");`;
    });
  if (!lines.length) return undefined;
  return [blockComment(commentLines(`Every array of ${spec.name} ends inside its block.`)), ...lines].join("\n");
}
