import type { Register } from "../model/index.ts";
import { addressJson, addressPhrase, rangePhrase, rangeText } from "../elaborate/spaces.ts";
import { hex } from "../resolve/values.ts";

/**
 * Where an array's elements live, for the CLI, docs and diff. How an address is written in its
 * space (`MSR 0x480`, `S3_0_C1_C0_0`) is decided by elaborate/spaces.ts; this module only adds
 * element i's place, base + i × stride, so array printing has one home too.
 */

type Placed = Pick<Register, "space" | "address" | "array">;

/** Address of element `i` (element 0, or the register itself when it is no array). */
export function elementAddress(r: Placed, i = 0): bigint {
  return r.address + BigInt(i) * (r.array?.stride ?? 0n);
}

/** Element `i` as a register of its own place, for the space printers. */
export function elementAt(r: Placed, i = 0): { space: Register["space"]; address: bigint } {
  return { space: r.space, address: elementAddress(r, i) };
}

/** `MSR 0xc3`, `offset 0x108`: where element `i` lives. */
export function elementPhrase(r: Placed, i = 0): string {
  return addressPhrase(elementAt(r, i));
}

/** Addresses of the first and last element (the register's own for a plain register). */
export function addressRange(r: Placed): { first: bigint; last: bigint } {
  return { first: r.address, last: elementAddress(r, (r.array?.count ?? 1) - 1) };
}

/** `0xc1..0xc4`: the element addresses of an array, in its space's notation. */
export function elementsRange(r: Placed): string {
  const { first, last } = addressRange(r);
  return rangeText(r.space, first, last);
}

/** `MSRs 0xc1..0xc4`. */
export function elementsPhrase(r: Placed): string {
  const { first, last } = addressRange(r);
  return rangePhrase(r.space, first, last);
}

/** `4 × stride 0x1`: an array's count and stride as diff, list and docs print them. */
export function arrayText(r: Pick<Register, "array">): string {
  return r.array ? `${r.array.count} × stride ${hex(r.array.stride)}` : "single";
}

/** The canonical name of element `i` of an array register (`IA32_PMC[2]`). */
export function elementName(name: string, i: number): string {
  return `${name}[${i}]`;
}

/** `MSR 0xc1`, or `MSR 0xc1, 4 × stride 0x1` for an array: a register's place in one phrase. */
export function placeText(r: Placed): string {
  return r.array ? `${addressPhrase(r)}, ${arrayText(r)}` : addressPhrase(r);
}

/** The JSON facts of an array: count, stride and the first and last element's address numbers. */
export function arrayJson(r: Placed): Record<string, unknown> | undefined {
  if (!r.array) return undefined;
  const { first, last } = addressRange(r);
  return {
    count: r.array.count,
    stride: hex(r.array.stride),
    first: hex(first),
    last: hex(last),
    ...(r.array.cluster ? { cluster: { ...r.array.cluster } } : {}),
  };
}

/** The space and number of element `i` under the space's JSON key (`index`, `offset`, with a system register's encoding). */
export function elementJson(r: Placed, i = 0): Record<string, unknown> {
  return addressJson(elementAt(r, i));
}
