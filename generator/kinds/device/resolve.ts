import { childPointer, Diagnostics } from "../../diagnostics.ts";
import type { SpecSource } from "../../load/source.ts";
import type {
  AccessWidth,
  Constant,
  DeviceRegister,
  DeviceSpec,
  Hook,
  Interrupt,
  Layout,
  ReadSemantics,
  UnmappedRange,
  WriteSemantics,
} from "../../model/index.ts";
import type { DeviceSpec as Json, Layout as LayoutJson, Register as RegisterJson } from "../../../generated/schema/device.ts";
import { resolveExpr } from "../../resolve/expr.ts";
import { resolveFields, resolveReserved } from "../registers/fields.ts";
import { parseValue } from "../../resolve/values.ts";
import { specBase } from "../../resolve/spec-base.ts";
import { resolveInstance } from "../../resolve/instance.ts";
import { checkClusterMember, resolveArray, resolveCluster } from "../../resolve/arrays.ts";

const sortWidths = (ws: readonly number[]) => [...ws].sort((a, b) => a - b) as AccessWidth[];

/** JSON (already schema-valid) to the device model. Name references are checked later, in check/device. */
export function resolveDeviceSpec(src: SpecSource, d: Diagnostics): DeviceSpec {
  const json = src.json as Json;
  const spec = json.name;
  const layoutsJson = json.layouts ?? {};
  const layouts: Layout[] = Object.entries(layoutsJson).map(([name, l]) => {
    const ptr = childPointer("/layouts", name);
    const fields = resolveFields(l!.fields, `${ptr}/fields`, spec, "rw", src, d);
    return {
      name,
      qname: `${spec}.${name}`,
      spec,
      width: l!.width ?? 32,
      doc: l!.doc ?? "",
      ...(l!.c_name ? { cName: l!.c_name } : {}),
      fields,
      reserved: resolveReserved(l!.reserved, `${ptr}/reserved`, l!.width ?? 32, fields, src, d),
      loc: src.keyAt(ptr),
    };
  });
  const blockWidths = sortWidths(json.block.access_widths);
  const direct = Object.entries(json.registers).map(([name, r]) =>
    resolveRegister(name, childPointer("/registers", name), r!, spec, layoutsJson, blockWidths, src, d),
  );
  // A cluster is flattened here into one array per member register: the rest of the pipeline
  // knows only arrays, so no back end learns clusters.
  const clustered = Object.entries(json.clusters ?? {}).flatMap(([cname, c]) => {
    const cptr = childPointer("/clusters", cname);
    const repeat = resolveCluster(cname, c!, cptr, src, d);
    const base = parseValue(c!.offset)!;
    return Object.entries(c!.registers).map(([name, r]) => {
      const ptr = childPointer(`${cptr}/registers`, name);
      checkClusterMember(cname, name, r!, ptr, src, d);
      const reg = resolveRegister(`${cname}_${name}`, ptr, { ...r!, count: undefined, stride: undefined }, spec, layoutsJson, blockWidths, src, d);
      // Both spellings of the place move with the cluster: `address` is what every space-aware consumer reads.
      reg.offset += base;
      reg.address += base;
      reg.array = { ...repeat, cluster: { name: cname, register: name } };
      return reg;
    });
  });
  const registers = [...direct, ...clustered].sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : a.name < b.name ? -1 : 1));
  const hooks: Hook[] = Object.entries(json.hooks ?? {}).map(([name, h]) => ({
    name,
    on: h!.on,
    doc: h!.doc,
    loc: src.keyAt(childPointer("/hooks", name)),
  }));
  const interrupts: Interrupt[] = [];
  for (const [name, i] of Object.entries(json.interrupts ?? {})) {
    const ptr = childPointer("/interrupts", name);
    const expr = resolveExpr(i!.expr, src.at(`${ptr}/expr`), d);
    if (expr) interrupts.push({ name, expr, doc: i!.doc ?? "", loc: src.keyAt(ptr) });
  }
  const constants: Constant[] = Object.entries(json.constants ?? {}).map(([name, c]) => ({
    name,
    value: parseValue(c!.value)!,
    doc: c!.doc ?? "",
    loc: src.keyAt(childPointer("/constants", name)),
  }));
  return {
    ...specBase("device", json, src),
    block: {
      size: parseValue(json.block.size)!,
      accessWidths: blockWidths,
      doc: json.block.doc ?? "",
      unmapped: json.block.unmapped ?? "fault",
      unmappedRanges: (json.block.unmapped_ranges ?? [])
        .map(
          (u, i): UnmappedRange => ({
            first: parseValue(u.first)!,
            last: parseValue(u.last)!,
            policy: u.policy,
            doc: u.doc ?? "",
            loc: src.at(childPointer("/block/unmapped_ranges", i)),
          }),
        )
        .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)),
      loc: src.keyAt("/block"),
    },
    layouts,
    registers,
    hooks,
    interrupts,
    constants,
    ...resolveInstance(json.instance, src),
  };
}

function resolveRegister(
  name: string,
  ptr: string,
  json: RegisterJson,
  spec: string,
  layouts: Record<string, LayoutJson | undefined>,
  blockWidths: AccessWidth[],
  src: SpecSource,
  d: Diagnostics,
): DeviceRegister {
  const access = json.access ?? "rw";
  const width = json.width ?? 32;
  let fieldsJson = json.fields;
  let reservedJson = json.reserved;
  let fieldsPtr = `${ptr}/fields`;
  let sink = d;
  let sharedLayout: string | undefined;
  if (json.layout !== undefined) {
    const shared = layouts[json.layout];
    if (json.fields !== undefined || json.reserved !== undefined) {
      d.error(src.at(`${ptr}/layout`), `register "${name}" takes its fields from layout "${json.layout}", so it cannot also have "fields" or "reserved"`);
    }
    if (!shared) {
      const known = Object.keys(layouts).sort();
      d.error(src.at(`${ptr}/layout`), `register "${name}" refers to unknown layout "${json.layout}"${known.length ? ` (layouts: ${known.join(", ")})` : ""}`);
    } else {
      if ((shared.width ?? 32) !== width) {
        d.error(src.at(`${ptr}/layout`), `register "${name}" is ${width} bits wide but layout "${json.layout}" is ${shared.width ?? 32} bits`);
      }
      // The layout's own problems are reported once, where it is defined.
      fieldsJson = shared.fields;
      reservedJson = shared.reserved;
      fieldsPtr = `${childPointer("/layouts", json.layout)}/fields`;
      sink = new Diagnostics();
      sharedLayout = `${spec}.${json.layout}`;
    }
  }
  const fields = resolveFields(fieldsJson, fieldsPtr, spec, access, src, sink);
  const reservedPtr = sharedLayout ? `${childPointer("/layouts", json.layout!)}/reserved` : `${ptr}/reserved`;
  const reserved = resolveReserved(reservedJson, reservedPtr, width, fields, src, sink);

  let read: ReadSemantics;
  if (json.value !== undefined) {
    const expr = resolveExpr(json.value, src.at(`${ptr}/value`), d);
    read = expr ? { kind: "value", expr } : { kind: "fault" };
  } else if (json.onRead !== undefined) read = { kind: "hook", hook: json.onRead, loc: src.at(`${ptr}/onRead`) };
  else if (access === "wo" || json.read === "fault") read = { kind: "fault" };
  else read = { kind: "store" };
  if (json.value !== undefined && json.onRead !== undefined) {
    d.error(src.at(`${ptr}/onRead`), `register "${name}" has both a derived "value" and an "onRead" hook; a read can only come from one`);
  }
  if (json.read === "fault" && (json.value !== undefined || json.onRead !== undefined)) {
    d.error(src.at(`${ptr}/read`), `register "${name}" refuses reads ("read": "fault") but also says where a read comes from ("${json.value !== undefined ? "value" : "onRead"}")`);
  }

  // A hooked register's writes usually go to the hook (DR pushes a character), so it stores
  // nothing by default; an alias exists to change its target, so it does.
  const ignores = access === "ro" || access === "const" || (json.onWrite !== undefined && json.alias_of === undefined);
  const write: WriteSemantics = json.write !== undefined ? { kind: json.write } : { kind: ignores ? "ignore" : "store" };
  const array = resolveArray(json, ptr, BigInt(width / 8), src, d);

  const reg: DeviceRegister = {
    name,
    qname: `${spec}.${name}`,
    spec,
    width,
    doc: json.doc ?? "",
    fields,
    reserved,
    loc: src.keyAt(ptr),
    access,
    space: "mmio",
    address: parseValue(json.offset)!,
    offset: parseValue(json.offset)!,
    accessWidths: json.access_widths ? sortWidths(json.access_widths) : blockWidths.filter((w) => w <= width),
    accessWidthsLoc: json.access_widths ? src.at(`${ptr}/access_widths`) : src.keyAt(ptr),
    aliases: [...(json.aliases ?? [])],
    ...(sharedLayout ? { sharedLayout } : {}),
    read,
    write,
    ...(json.onWrite !== undefined ? { onWrite: { hook: json.onWrite, loc: src.at(`${ptr}/onWrite`) } } : {}),
    ...(json.alias_of !== undefined ? { aliasOf: { name: json.alias_of, loc: src.at(`${ptr}/alias_of`) } } : {}),
    ...(array ? { array } : {}),
    narrow: json.narrow ?? "low",
    reservedWrites: json.reserved_writes ?? "policy",
    // An alias keeps nothing of its own: its reads and writes reach its target's storage.
    stored: json.alias_of === undefined && (read.kind === "store" || write.kind === "store"),
  };
  if (json.reset !== undefined) reg.reset = parseValue(json.reset)!;
  return reg;
}
