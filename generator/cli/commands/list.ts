import { registersSpecs } from "../../elaborate/lookup.ts";
import { addressJson } from "../../elaborate/spaces.ts";
import { arrayJson, placeText } from "../../inspect/address.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export function listCommand(opts: ProjectOptions & { json?: boolean }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  // Shapes come from the lookup, so every kind that registers layouts there (devices, entry formats) is listed.
  const layoutsOf = (ns: string) => [...front.lookup.layouts.values()].filter((l) => l.spec === ns);
  const registersOf = (ns: string) => [...front.lookup.registers.values()].filter((r) => r.spec === ns);
  const groupsOf = (ns: string) => registersSpecs(front.model).find((s) => s.name === ns)?.groups ?? [];
  const specs = front.model.specs.map((s) => ({
    name: s.name,
    kind: s.kind,
    file: `specs/${s.rel}`,
    ...(s.kind === "registers" ? { space: s.space } : {}),
    layouts: layoutsOf(s.name).map((l) => ({ name: l.qname, width: l.width })),
    registers: registersOf(s.name).map((r) => ({
      name: r.qname,
      width: r.width,
      ...addressJson(r),
      ...(r.array ? { array: arrayJson(r) } : {}),
    })),
    groups: groupsOf(s.name).map((g) => ({ name: g.qname, registers: g.registers, available: g.available.text })),
  }));
  if (opts.json) {
    io.out(json({ specs }));
    return EXIT.ok;
  }
  for (const s of specs) {
    io.out(`${paint(io, "bold", s.name)} (${s.kind}, ${s.file})`);
    for (const l of s.layouts) io.out(`  layout   ${l.name}  ${l.width} bits`);
    for (const r of registersOf(s.name)) io.out(`  register ${r.array ? `${r.qname}[0..${r.array.count - 1}]` : r.qname}  ${r.width} bits  ${placeText(r)}`);
    for (const g of s.groups) io.out(`  group    ${g.name}  [${g.registers.join(", ")}] when ${g.available}`);
  }
  return EXIT.ok;
}
