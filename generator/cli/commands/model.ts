import { modelToJson } from "../../elaborate/to-json.ts";
import type { ElabRegister } from "../../elaborate/model.ts";
import { addressPhrase } from "../../elaborate/spaces.ts";
import { cUnionTag } from "../../elaborate/names/c.ts";
import { EXIT, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

/** `hwspec model`: the elaborated model of the tree, for other tools (--json) or a person (summary). */
export function modelCommand(opts: ProjectOptions & { json?: boolean; spec?: string }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const specs = opts.spec ? front.model.specs.filter((s) => s.name === opts.spec) : front.model.specs;
  if (opts.spec && !specs.length) {
    io.err(`hwspec model: no spec named "${opts.spec}" (specs: ${front.model.specs.map((s) => s.name).join(", ")})`);
    return EXIT.usage;
  }
  if (opts.json) {
    io.out(json(modelToJson({ specs })));
    return EXIT.ok;
  }
  for (const s of specs) {
    io.out(`${paint(io, "bold", s.name)} (${s.kind}, specs/${s.rel})`);
    if (s.kind === "machine") {
      io.out(`  ${s.lowered.slots.length} shared slots; ${s.lowered.processes.map((p) => `${p.name}: ${p.steps.length} steps`).join(", ")}`);
      continue;
    }
    const shapes = s.kind === "entries" ? s.levels.flatMap((l) => l.formats) : [...s.layouts, ...s.registers];
    if (s.kind === "registers") io.out(`  index space ${s.space}`);
    for (const x of shapes) {
      const where = x.role === "register" ? `${addressPhrase(x as ElabRegister)}, ` : "";
      io.out(`  ${x.role.padEnd(8)} ${x.qname}  ${where}${x.width} bits, ${x.fields.length} fields (${x.flat.length} with nested), res0 0x${x.res0Mask.toString(16)}, res1 0x${x.res1Mask.toString(16)}, C ${cUnionTag(x)}`);
    }
  }
  return EXIT.ok;
}
