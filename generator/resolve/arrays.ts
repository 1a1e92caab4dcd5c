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
  return { count: json.count, stride };
}
