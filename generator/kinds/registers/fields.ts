import { childPointer, type Diagnostics } from "../../diagnostics.ts";
import type { SpecSource } from "../../load/source.ts";
import type { Access, EnumMember, Field, ReservedPolicy, ReservedRange } from "../../model/index.ts";
import type { Field as FieldJson, Fields, Reserved } from "../../../generated/schema/registers.ts";
import { parseBits, parseValue } from "../../resolve/values.ts";

export function resolveFields(
  json: Fields | undefined,
  pointer: string,
  spec: string,
  defaultAccess: Access,
  src: SpecSource,
  d: Diagnostics,
): Field[] {
  const out: Field[] = [];
  for (const [name, f] of Object.entries(json ?? {})) {
    const field = resolveField(name, f!, childPointer(pointer, name), spec, defaultAccess, src, d);
    if (field) out.push(field);
  }
  return out.sort((a, b) => a.lsb - b.lsb || a.width - b.width);
}

function resolveField(
  name: string,
  f: FieldJson,
  ptr: string,
  spec: string,
  defaultAccess: Access,
  src: SpecSource,
  d: Diagnostics,
): Field | undefined {
  const bits = parseBits(f.bits);
  if ("error" in bits) {
    d.error(src.at(`${ptr}/bits`), bits.error);
    return undefined;
  }
  const enumMembers: EnumMember[] = Object.entries(f.enum ?? {}).map(([n, v]) =>
    typeof v === "object" && v !== null
      ? { name: n, value: parseValue(v.value)!, ...(v.doc !== undefined ? { doc: v.doc } : {}), ...(v.source !== undefined ? { source: v.source } : {}), loc: src.keyAt(childPointer(`${ptr}/enum`, n)) }
      : { name: n, value: parseValue(v!)!, loc: src.keyAt(childPointer(`${ptr}/enum`, n)) },
  );
  const constValue = f.const === undefined ? undefined : parseValue(f.const);
  if (constValue !== undefined && f.access !== undefined && f.access !== "const") {
    d.error(src.at(`${ptr}/access`), `field "${name}" has a "const" value but access "${f.access}"; use access "const" or drop it`);
  }
  const access: Access = constValue !== undefined ? "const" : (f.access ?? defaultAccess);
  if (access === "const" && constValue === undefined) {
    d.error(src.at(ptr), `field "${name}" has access "const" but no "const" value`);
  }
  const layout = f.layout === undefined ? undefined : f.layout.includes(".") ? f.layout : `${spec}.${f.layout}`;
  return {
    name,
    lsb: bits.lsb,
    width: bits.width,
    access,
    doc: f.doc ?? "",
    ...(f.reset !== undefined ? { reset: parseValue(f.reset)! } : {}),
    ...(constValue !== undefined ? { constValue } : {}),
    enum: enumMembers,
    ...(layout ? { layout } : {}),
    ...(f.signed !== undefined ? { signed: f.signed } : {}),
    ...(f.source !== undefined ? { source: f.source } : {}),
    loc: src.keyAt(ptr),
  };
}

/** Reserved ranges: an explicit list as written, or the gaps between fields under one policy. */
export function resolveReserved(
  json: Reserved | undefined,
  pointer: string,
  width: number,
  fields: Field[],
  src: SpecSource,
  d: Diagnostics,
): ReservedRange[] {
  if (json === undefined) return [];
  if (typeof json === "string") return gaps(width, fields).map((g) => Object.assign({}, g, { policy: json, doc: "", loc: src.at(pointer) }));
  const out: ReservedRange[] = [];
  json.forEach((r, i) => {
    const bits = parseBits(r.bits);
    const ptr = childPointer(pointer, i);
    if ("error" in bits) d.error(src.at(`${ptr}/bits`), bits.error);
    else out.push({ ...bits, policy: (r.policy ?? "res0") as ReservedPolicy, doc: r.doc ?? "", ...(r.source !== undefined ? { source: r.source } : {}), loc: src.at(ptr) });
  });
  return out.sort((a, b) => a.lsb - b.lsb);
}

export function gaps(width: number, taken: { lsb: number; width: number }[]): { lsb: number; width: number }[] {
  const used = new Array<boolean>(width).fill(false);
  for (const t of taken) for (let b = t.lsb; b < Math.min(width, t.lsb + t.width); b++) used[b] = true;
  const out: { lsb: number; width: number }[] = [];
  for (let b = 0; b < width; ) {
    if (used[b]) {
      b++;
      continue;
    }
    const lsb = b;
    while (b < width && !used[b]) b++;
    out.push({ lsb, width: b - lsb });
  }
  return out;
}
