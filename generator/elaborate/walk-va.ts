import type { ElabEntriesSpec } from "./model.ts";

/**
 * What the bits of a virtual address above the translated ones must hold: the spec's `vaUpper`
 * (VMSAv8-64 stage 1 says `uniform`: bits 63:48 all 0 for TTBR0, all 1 for TTBR1, whatever bit 47
 * is; stage 2 `zero`), else the rule that fits the specs written before the key existed: a walk of
 * 32 bits (32-bit x86 paging, PAE, Sv32) has nothing above its address, a wider one has the
 * sign-extended canonical form of x86-64 and RISC-V.
 */
export function vaUpperOf(spec: ElabEntriesSpec, vaBits: number): "sign-extend" | "uniform" | "zero" {
  return spec.vaUpper ?? (vaBits <= 32 ? "zero" : "sign-extend");
}
