import { EXIT, json, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export function checkCommand(opts: ProjectOptions & { json?: boolean; quiet?: boolean }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const n = front.model.specs.length;
  if (opts.json) io.out(json({ ok: true, specs: front.model.specs.map((s) => ({ name: s.name, kind: s.kind, file: `specs/${s.rel}` })) }));
  else if (!opts.quiet) io.out(`${n} spec${n === 1 ? "" : "s"} OK`);
  return EXIT.ok;
}
