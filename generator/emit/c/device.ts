import type { ElabDeviceSpec } from "../../elaborate/model.ts";
import type { Front } from "../../pipeline.ts";
import type { OutFile } from "../types.ts";
import { generateHeader, headerPathOf, registersView } from "./header.ts";

/**
 * generated/c headers for `device` specs through the registers header emitter: a device's
 * registers are Registers with MMIO offsets, so the emitter sees a registers spec with no groups
 * or asserts and writes the same unions, field macros and `<REG>_OFFSET` defines.
 */
export function deviceC(spec: ElabDeviceSpec, { lookup }: Front): OutFile {
  const view = registersView(spec, spec.layouts, spec.registers);
  return { path: `c/${headerPathOf(spec.rel)}`, lang: "c", source: `specs/${spec.rel}`, content: generateHeader(view, lookup, () => undefined) };
}
