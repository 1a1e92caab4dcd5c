import type { ElabEntriesSpec } from "./model.ts";

/**
 * What the bits of a virtual address above the translated ones must hold. The entries vocabulary
 * has no key for it yet, so a rule answers: a walk of 32 bits (32-bit x86 paging, PAE, Sv32) has
 * nothing above its address (`zero`); a wider one has the sign-extended canonical form of x86-64
 * and RISC-V. VMSAv8-64 stage 1 needs `uniform` (bits 63:48 all 0 for TTBR0, all 1 for TTBR1,
 * whatever bit 47 is) and stage 2 `zero`; a spec-level `vaUpper` is read here as soon as the
 * schema carries it.
 */
export function vaUpperOf(spec: ElabEntriesSpec, vaBits: number): "sign-extend" | "uniform" | "zero" {
  const stated = (spec as { vaUpper?: unknown }).vaUpper;
  if (stated === "sign-extend" || stated === "uniform" || stated === "zero") return stated;
  return vaBits <= 32 ? "zero" : "sign-extend";
}
