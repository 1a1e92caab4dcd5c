import type { Register } from "../model/index.ts";
import { hex } from "../resolve/values.ts";

/**
 * Every place that prints where a register lives (CLI, docs, diff) goes through this module, so
 * the way an address space is named is decided once.
 */

/** The address space of a register: the JSON key it is written under and the label docs show. */
export interface Space {
  key: "index" | "offset";
  /** Short label (`index`, `offset`), as `layout` prints it. */
  label: string;
  /** Label of a docs table or meta entry (`MSR index`, `offset`). */
  title: string;
  /** What one stride unit is (`index units`, `bytes`). */
  unit: string;
}

const INDEX: Space = { key: "index", label: "index", title: "MSR index", unit: "index units" };
const OFFSET: Space = { key: "offset", label: "offset", title: "offset", unit: "bytes" };

export function spaceOf(r: Pick<Register, "index" | "offset">): Space | undefined {
  return r.index !== undefined ? INDEX : r.offset !== undefined ? OFFSET : undefined;
}

/** Address of element `i` (element 0, or the register itself when it is no array). */
export function elementAddress(r: Pick<Register, "index" | "offset" | "array">, i = 0): bigint | undefined {
  const base = r.index ?? r.offset;
  if (base === undefined) return undefined;
  return base + BigInt(i) * (r.array?.stride ?? 0n);
}

/** `index 0x187`, `offset 0x104`: where element `i` (or the register) lives; "" for a layout. */
export function addressText(r: Pick<Register, "index" | "offset" | "array">, i = 0): string {
  const space = spaceOf(r);
  const a = elementAddress(r, i);
  return space && a !== undefined ? `${space.label} ${hex(a)}` : "";
}

/** Addresses of the first and last element of an array (the register's own for a plain register). */
export function addressRange(r: Pick<Register, "index" | "offset" | "array">): { first: bigint; last: bigint } | undefined {
  const first = elementAddress(r, 0);
  if (first === undefined) return undefined;
  return { first, last: elementAddress(r, (r.array?.count ?? 1) - 1)! };
}

/** `4 × stride 0x1`: an array's count and stride as diff and docs print them. */
export function arrayText(r: Pick<Register, "array">): string {
  return r.array ? `${r.array.count} × stride ${hex(r.array.stride)}` : "single";
}

/** The canonical name of element `i` of an array register (`IA32_PMC[2]`). */
export function elementName(name: string, i: number): string {
  return `${name}[${i}]`;
}

/** The JSON facts of an array for `layout` and `decode`: count, stride and the first and last element's address. */
export function arrayJson(r: Pick<Register, "index" | "offset" | "array">): Record<string, unknown> | undefined {
  if (!r.array) return undefined;
  const range = addressRange(r);
  return {
    count: r.array.count,
    stride: hex(r.array.stride),
    ...(range ? { first: hex(range.first), last: hex(range.last) } : {}),
    ...(r.array.cluster ? { cluster: { ...r.array.cluster } } : {}),
  };
}
