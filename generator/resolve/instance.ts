import { childPointer } from "../diagnostics.ts";
import type { SpecSource } from "../load/source.ts";
import type { Instance } from "../model/index.ts";
import { parseValue } from "./values.ts";

interface InstanceJson {
  base: number | string;
  interrupts?: Record<string, { number: number | string; doc?: string } | undefined>;
  doc?: string;
}

/** `instance` of a registers or device spec (already schema-valid); which lines exist is checked later. */
export function resolveInstance(json: InstanceJson | undefined, src: SpecSource): { instance?: Instance } {
  if (!json) return {};
  const interrupts = Object.entries(json.interrupts ?? {})
    .map(([line, i]) => ({ line, number: parseValue(i!.number)!, doc: i!.doc ?? "", loc: src.keyAt(childPointer("/instance/interrupts", line)) }))
    .sort((a, b) => (a.line < b.line ? -1 : a.line > b.line ? 1 : 0));
  return { instance: { base: parseValue(json.base)!, interrupts, doc: json.doc ?? "", loc: src.keyAt("/instance") } };
}
