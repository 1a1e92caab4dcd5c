import { childPointer, type Diagnostics } from "../../diagnostics.ts";
import type { SpecSource } from "../../load/source.ts";
import type { Access, Group, Layout, Register, RegistersSpec } from "../../model/index.ts";
import type { Layout as LayoutJson, Register as RegisterJson, RegistersSpec as Json } from "../../../generated/schema/registers.ts";
import { resolveAsserts, resolveExpr } from "../../resolve/expr.ts";
import { parseValue } from "../../resolve/values.ts";
import { resolveFields, resolveReserved } from "./fields.ts";
import { specBase } from "../../resolve/spec-base.ts";
import { resolveArray } from "../../resolve/arrays.ts";

/** JSON (already schema-valid) to model. Cross-spec references are checked later, not here. */
export function resolveRegistersSpec(src: SpecSource, d: Diagnostics): RegistersSpec {
  const json = src.json as Json;
  const spec = json.name;
  const layouts = Object.entries(json.layouts ?? {}).map(([name, l]) =>
    resolveShape(name, l!, `/layouts/${name}`, spec, "rw", src, d),
  );
  const registers = Object.entries(json.registers ?? {}).map(([name, r]) => resolveRegister(name, childPointer("/registers", name), r!, spec, src, d));
  // Clusters are flattened into arrays here, so nothing downstream knows them.
  for (const [cname, c] of Object.entries(json.clusters ?? {})) {
    const cptr = childPointer("/clusters", cname);
    const count = c!.count ?? 1;
    if ((c!.index === undefined) === (c!.offset === undefined)) d.error(src.keyAt(cptr), `cluster "${cname}" needs exactly one of "index" or "offset"`);
    if (count > 1 && c!.stride === undefined) d.error(src.keyAt(cptr), `cluster "${cname}" repeats ${count} times but has no "stride"`);
    const base = parseValue(c!.index ?? c!.offset ?? 0)!;
    const stride = c!.stride === undefined ? 0n : parseValue(c!.stride)!;
    for (const [name, r] of Object.entries(c!.registers)) {
      const ptr = childPointer(`${cptr}/registers`, name);
      if (r!.count !== undefined) d.error(src.at(`${ptr}/count`), `register "${name}" of cluster "${cname}" cannot itself be an array; make the cluster the array`);
      if (c!.index !== undefined && r!.offset !== undefined) d.error(src.at(`${ptr}/offset`), `cluster "${cname}" is placed by "index", so its register "${name}" needs an "index" too`);
      if (c!.offset !== undefined && r!.index !== undefined) d.error(src.at(`${ptr}/index`), `cluster "${cname}" is placed by "offset", so its register "${name}" needs an "offset" too`);
      const reg = resolveRegister(`${cname}_${name}`, ptr, { ...r!, count: undefined, stride: undefined }, spec, src, d);
      if (reg.index !== undefined) reg.index += base;
      if (reg.offset !== undefined) reg.offset += base;
      reg.array = { count, stride, cluster: { name: cname, register: name } };
      registers.push(reg);
    }
  }
  const groups: Group[] = [];
  for (const [name, g] of Object.entries(json.groups ?? {})) {
    const ptr = childPointer("/groups", name);
    const available = resolveExpr(g!.available, src.at(`${ptr}/available`), d);
    if (!available) continue;
    const members = registers.filter((r) => g!.registers.includes(r.name));
    const indices = members.map((r) => r.index ?? r.offset ?? 0n);
    groups.push({
      name,
      qname: `${spec}.${name}`,
      doc: g!.doc ?? "",
      ...(g!.c_name ? { cName: g!.c_name } : {}),
      registers: [...g!.registers],
      first: indices.length ? indices.reduce((a, b) => (a < b ? a : b)) : 0n,
      last: indices.length ? indices.reduce((a, b) => (a > b ? a : b)) : 0n,
      available,
      loc: src.keyAt(ptr),
    });
  }
  const asserts = resolveAsserts(json.assert, src, d);
  return {
    ...specBase("registers", json, src),
    layouts,
    registers,
    groups,
    asserts,
  };
}

function resolveShape(
  name: string,
  json: LayoutJson | RegisterJson,
  ptr: string,
  spec: string,
  access: Access,
  src: SpecSource,
  d: Diagnostics,
): Layout {
  const fields = resolveFields(json.fields, `${ptr}/fields`, spec, access, src, d);
  return {
    name,
    qname: `${spec}.${name}`,
    spec,
    width: json.width,
    doc: json.doc ?? "",
    ...(json.c_name ? { cName: json.c_name } : {}),
    fields,
    reserved: resolveReserved(json.reserved, `${ptr}/reserved`, json.width, fields, src, d),
    loc: src.keyAt(ptr),
  };
}

function resolveRegister(name: string, ptr: string, json: RegisterJson, spec: string, src: SpecSource, d: Diagnostics): Register {
  const access = json.access ?? "rw";
  const shape = resolveShape(name, json, ptr, spec, access, src, d);
  if ((json.index === undefined) === (json.offset === undefined)) {
    d.error(src.keyAt(ptr), `register "${name}" needs exactly one of "index" (MSR) or "offset" (MMIO)`);
  }
  const reg: Register = { ...shape, access };
  if (json.index !== undefined) reg.index = parseValue(json.index)!;
  if (json.offset !== undefined) reg.offset = parseValue(json.offset)!;
  if (json.reset !== undefined) reg.reset = parseValue(json.reset)!;
  const array = resolveArray(json, ptr, json.offset !== undefined ? BigInt(json.width / 8) : 1n, src, d);
  if (array) reg.array = array;
  return reg;
}
