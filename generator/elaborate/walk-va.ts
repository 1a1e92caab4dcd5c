import type { ElabEntriesSpec } from "./model.ts";

/**
 * What the bits of a virtual address above the translated ones must hold. No entries spec states
 * it yet: the entries vocabulary has no key for it, so every spec walks with sign extension
 * (x86-64, RISC-V). VMSAv8-64 needs `uniform` (bits 63:48 all 0 for TTBR0, all 1 for TTBR1,
 * whatever bit 47 is); a spec-level `vaUpper` is read here as soon as the schema carries it.
 */
export function vaUpperOf(spec: ElabEntriesSpec): "sign-extend" | "uniform" {
  const stated = (spec as { vaUpper?: unknown }).vaUpper;
  return stated === "uniform" ? "uniform" : "sign-extend";
}
