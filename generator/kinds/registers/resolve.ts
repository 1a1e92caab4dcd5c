import { childPointer, type Diagnostics } from "../../diagnostics.ts";
import type { SpecSource } from "../../load/source.ts";
import type { Access, Group, IndexSpace, Layout, Register, RegistersSpec } from "../../model/index.ts";
import type { Layout as LayoutJson, Register as RegisterJson, RegistersSpec as Json } from "../../../generated/schema/registers.ts";
import { resolveAsserts, resolveExpr } from "../../resolve/expr.ts";
import { hex, parseValue } from "../../resolve/values.ts";
import { resolveFields, resolveReserved } from "./fields.ts";
import { specBase } from "../../resolve/spec-base.ts";
import { resolveInstance } from "../../resolve/instance.ts";
import { checkClusterMember, resolveArray, resolveCluster } from "../../resolve/arrays.ts";
import { packSysreg, SPACES } from "../../elaborate/spaces.ts";

type AddressKey = "index" | "offset" | "encoding";
const ADDRESS_KEYS: readonly AddressKey[] = ["index", "offset", "encoding"];
const SPACE_OF_KEY: Record<AddressKey, IndexSpace> = { index: "msr", offset: "mmio", encoding: "sysreg" };

/** Declared, or (for specs written before index spaces) what the first addressed register says. */
interface SpaceChoice {
  space: IndexSpace;
  declared: boolean;
  /** The register the inference came from. */
  from?: { name: string; key: AddressKey };
}

function chooseSpace(json: Json): SpaceChoice {
  if (json.index_space) return { space: json.index_space, declared: true };
  for (const [name, r] of Object.entries(json.registers ?? {})) {
    const key = ADDRESS_KEYS.find((k) => r![k] !== undefined);
    if (key) return { space: SPACE_OF_KEY[key], declared: false, from: { name, key } };
  }
  return { space: "msr", declared: false };
}

/** JSON (already schema-valid) to model. Cross-spec references are checked later, not here. */
export function resolveRegistersSpec(src: SpecSource, d: Diagnostics): RegistersSpec {
  const json = src.json as Json;
  const spec = json.name;
  const choice = chooseSpace(json);
  const layouts = Object.entries(json.layouts ?? {}).map(([name, l]) =>
    resolveShape(name, l!, `/layouts/${name}`, spec, "rw", src, d),
  );
  const registers = Object.entries(json.registers ?? {}).map(([name, r]) => resolveRegister(name, childPointer("/registers", name), r!, spec, choice, src, d));
  // Clusters are flattened into arrays here, so nothing downstream knows them.
  for (const [cname, c] of Object.entries(json.clusters ?? {})) {
    const cptr = childPointer("/clusters", cname);
    const key = SPACES[choice.space].specKey;
    if (key === "encoding") d.error(src.keyAt(cptr), `cluster "${cname}": system registers have no cluster form (their encodings do not repeat at a stride)`);
    else if (c![key] === undefined || c![key === "index" ? "offset" : "index"] !== undefined) {
      d.error(src.keyAt(cptr), `cluster "${cname}" needs "${key}": this spec's registers are ${SPACES[choice.space].plural}`);
    }
    const repeat = resolveCluster(cname, c!, cptr, src, d);
    const base = parseValue(c!.index ?? c!.offset ?? 0)!;
    for (const [name, r] of Object.entries(c!.registers)) {
      const ptr = childPointer(`${cptr}/registers`, name);
      checkClusterMember(cname, name, r!, ptr, src, d);
      const reg = resolveRegister(`${cname}_${name}`, ptr, { ...r!, count: undefined, stride: undefined }, spec, choice, src, d);
      reg.address += base;
      reg.array = { ...repeat, cluster: { name: cname, register: name } };
      registers.push(reg);
    }
  }
  const groups: Group[] = [];
  for (const [name, g] of Object.entries(json.groups ?? {})) {
    const ptr = childPointer("/groups", name);
    const available = resolveExpr(g!.available, src.at(`${ptr}/available`), d);
    if (!available) continue;
    const members = registers.filter((r) => g!.registers.includes(r.name));
    const indices = members.map((r) => r.address);
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
    space: choice.space,
    layouts,
    registers,
    groups,
    asserts,
    ...resolveInstance(json.instance, src),
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
    ...(json.source !== undefined ? { source: json.source } : {}),
    loc: src.keyAt(ptr),
  };
}

function resolveRegister(name: string, ptr: string, json: RegisterJson, spec: string, choice: SpaceChoice, src: SpecSource, d: Diagnostics): Register {
  const access = json.access ?? "rw";
  const shape = resolveShape(name, json, ptr, spec, access, src, d);
  // Object.assign, not a spread followed by members: V8's slow path for that form (elaborate/shapes.ts).
  const reg: Register = Object.assign({}, shape, { space: choice.space, address: resolveAddress(name, json, ptr, choice, src, d), access });
  if (json.encoding && choice.space === "sysreg") reg.encoding = { ...json.encoding };
  if (json.reset !== undefined) reg.reset = parseValue(json.reset)!;
  const array = resolveArray(json, ptr, SPACES[choice.space].step(json.width), src, d);
  if (array) reg.array = array;
  return reg;
}

/** The address under the key the spec's index space uses; the other keys, or none, are located errors. */
function resolveAddress(name: string, json: RegisterJson, ptr: string, choice: SpaceChoice, src: SpecSource, d: Diagnostics): bigint {
  const rules = SPACES[choice.space];
  const want = rules.specKey;
  let misplaced = false;
  for (const k of ADDRESS_KEYS) {
    if (k === want || json[k] === undefined) continue;
    const why = choice.declared
      ? `index space "${choice.space}" addresses registers by "${want}"`
      : `register "${choice.from!.name}" has "${choice.from!.key}", so this spec's registers are ${rules.plural}; a spec has one index space (split it, or declare "index_space")`;
    d.error(src.keyAt(`${ptr}/${k}`), `register "${name}" has "${k}", but ${why}`);
    misplaced = true;
  }
  // An address under the wrong key was reported just now; saying it is also missing adds nothing.
  const absent = () => (misplaced ? 0n : missing(name, ptr, choice, src, d));
  if (want === "encoding") return json.encoding ? packSysreg(json.encoding) : absent();
  const raw = json[want];
  if (raw === undefined) return absent();
  const address = parseValue(raw)!;
  if (rules.limit !== undefined && address >= rules.limit) {
    d.error(src.at(`${ptr}/${want}`), `${rules.noun} ${hex(address)} of register "${name}" is out of range: ${rules.plural} are below ${hex(rules.limit)} (${rules.limitWhy})`);
    return 0n;
  }
  return address;
}

function missing(name: string, ptr: string, choice: SpaceChoice, src: SpecSource, d: Diagnostics): bigint {
  const want = SPACES[choice.space].specKey;
  const hint = choice.declared ? "" : ` ("offset" for MMIO, "encoding" for an AArch64 system register; "index_space" says which)`;
  d.error(src.keyAt(ptr), `register "${name}" has no address: ${SPACES[choice.space].plural} are addressed by "${want}"${hint}`);
  return 0n;
}
