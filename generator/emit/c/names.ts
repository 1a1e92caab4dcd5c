import type { ElabLayout, ElabRegister } from "../../elaborate/model.ts";
import { cUnionTag } from "../../elaborate/names/c.ts";

const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * An identifier the elaborated names gave (reserved words already renamed there, see
 * elaborate/names/rename.ts), checked once more as the emitter's own guard, so nothing that is
 * not a plain identifier can ever reach a header.
 */
export function cIdent(name: string, what: string): string {
  if (!C_IDENT.test(name) || name.length > 200) throw new Error(`internal: ${what} "${name}" is not a C identifier`);
  return name;
}


/** Tag of the union emitted for a layout (`cr0_bits`) or register (`ia32_vmx_basic`), as elaborated; checked here as the emitter's own guard. */
export const cTypeTag = (shape: ElabLayout | ElabRegister): string => cIdent(cUnionTag(shape), "C tag");

/** Unsigned storage type able to hold `width` bits. */
export function storageType(width: number): "uint8_t" | "uint16_t" | "uint32_t" | "uint64_t" {
  if (width <= 8) return "uint8_t";
  if (width <= 16) return "uint16_t";
  if (width <= 32) return "uint32_t";
  if (width <= 64) return "uint64_t";
  throw new Error(`internal: no C storage type holds ${width} bits`);
}

/** Bits of the storage type. */
export const storageBits = (width: number): number => Number(storageType(width).slice(4, -2));

/** Typed integer constant, e.g. `UINT64_C(0x0000000000000480)`, padded to the storage width. */
export function cConst(value: bigint, width: number): string {
  const bits = storageBits(width);
  const digits = value.toString(16).padStart(bits / 4, "0");
  return `UINT${bits}_C(0x${digits})`;
}

export { cIncludeGuard as includeGuard } from "../../elaborate/names/c.ts";
