import type { Diagnostics } from "../diagnostics.ts";
import type { SpecSource } from "../load/source.ts";
import type { RegisterArray } from "../model/index.ts";
import { parseValue } from "./values.ts";

/** `count`/`stride` of a register to its array, or undefined for a plain register. */
export function resolveArray(
  json: { count?: number; stride?: string | number },
  ptr: string,
  defaultStride: bigint,
  src: SpecSource,
  d: Diagnostics,
): RegisterArray | undefined {
  if (json.count === undefined) {
    if (json.stride !== undefined) d.error(src.at(`${ptr}/stride`), `"stride" needs "count": only an array has a stride`);
    return undefined;
  }
  const stride = json.stride === undefined ? defaultStride : parseValue(json.stride)!;
  if (stride === 0n && json.count > 1) d.error(src.at(`${ptr}/stride`), `an array of ${json.count} elements needs a stride above 0`);
  return { count: json.count, stride, loc: src.at(json.stride === undefined ? `${ptr}/count` : `${ptr}/stride`) };
}

/**
 * The repetition a cluster gives each of its registers. Every register of the cluster becomes an
 * array with this count and stride; a cluster of one element still makes arrays (of one), so the
 * names and the API do not change when a second element is added.
 */
export function resolveCluster(
  cname: string,
  json: { count?: number; stride?: string | number; registers: Record<string, unknown> },
  cptr: string,
  src: SpecSource,
  d: Diagnostics,
): Omit<RegisterArray, "cluster"> {
  const count = json.count ?? 1;
  if (!Object.keys(json.registers).length) d.error(src.keyAt(cptr), `cluster "${cname}" has no registers`);
  if (count > 1 && json.stride === undefined) {
    d.error(src.keyAt(cptr), `cluster "${cname}" repeats ${count} times but has no "stride" (the distance from one element of the cluster to the next)`);
  }
  const stride = json.stride === undefined ? 0n : parseValue(json.stride)!;
  if (json.stride !== undefined && stride === 0n && count > 1) d.error(src.at(`${cptr}/stride`), `cluster "${cname}" repeats ${count} times, so its stride must be above 0`);
  return { count, stride, loc: src.at(json.stride !== undefined ? `${cptr}/stride` : json.count !== undefined ? `${cptr}/count` : cptr) };
}

/** A register inside a cluster repeats with the cluster, so it may not repeat on its own. */
export function checkClusterMember(cname: string, name: string, json: { count?: number; stride?: string | number }, ptr: string, src: SpecSource, d: Diagnostics): void {
  if (json.count !== undefined) d.error(src.at(`${ptr}/count`), `register "${name}" of cluster "${cname}" cannot itself be an array; make the cluster the array`);
  else if (json.stride !== undefined) d.error(src.at(`${ptr}/stride`), `register "${name}" of cluster "${cname}" cannot have a stride of its own; the cluster's "stride" repeats it`);
}
