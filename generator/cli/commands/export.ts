import { didYouMean } from "../../suggest.ts";
import type { TargetLanguage } from "../../elaborate/names/reserved-words.ts";
import { emitDot, emitMermaid } from "../../emit/fsm/graph.ts";
import { emitPromelaModel } from "../../emit/fsm/promela.ts";
import { findMachine, parseInstances } from "../machines.ts";
import { EXIT, usageError, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export const EXPORT_FORMATS = ["mermaid", "dot", "promela"] as const;

/** The language of each export; a machine `reaches` every one of them (kinds/machine/index.ts). */
export const EXPORT_LANGUAGES: Readonly<Record<(typeof EXPORT_FORMATS)[number], TargetLanguage>> = { mermaid: "Mermaid", dot: "DOT", promela: "Promela" };

export function exportCommand(name: string, opts: ProjectOptions & { format?: string; instances?: string; liveness?: string }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const spec = findMachine(front.model, name);
  if ("error" in spec) {
    return usageError(io, opts.json, `hwspec export: ${spec.error}`);
  }
  const instances = parseInstances(opts.instances);
  if ("error" in instances) {
    return usageError(io, opts.json, `hwspec export: --instances: ${instances.error}`);
  }
  for (const p of Object.keys(instances)) {
    if (!spec.processes.some((x) => x.name === p)) {
      return usageError(io, opts.json, `hwspec export: unknown process "${p}" in ${spec.name}${didYouMean(p, spec.processes.map((x) => x.name))}`);
    }
  }
  const live = opts.liveness === undefined ? undefined : spec.lowered.liveness.find((l) => l.name === opts.liveness);
  if (opts.liveness !== undefined) {
    if (opts.format !== "promela") return usageError(io, opts.json, `hwspec export: --liveness needs --format promela`);
    if (!live) {
      const known = spec.lowered.liveness.map((l) => l.name);
      return usageError(io, opts.json, `hwspec export: no liveness property "${opts.liveness}" in ${spec.name}${didYouMean(opts.liveness, known) || ` (properties: ${known.join(", ") || "none"})`}`);
    }
  }
  switch (opts.format) {
    case "mermaid":
      io.out(emitMermaid(spec));
      return EXIT.ok;
    case "dot":
      io.out(emitDot(spec));
      return EXIT.ok;
    case "promela":
      io.out(emitPromelaModel(spec, instances, live ? { liveness: live } : {}));
      return EXIT.ok;
    default:
      return usageError(io, opts.json, `hwspec export: --format must be one of ${EXPORT_FORMATS.join(", ")}`);
  }
}
