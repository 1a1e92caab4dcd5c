import { EXIT, json, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";

export function checkCommand(opts: ProjectOptions & { json?: boolean; quiet?: boolean }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const n = front.model.specs.length;
  const warnings = front.warnings.map(({ file, line, col, pointer, message }) => ({ file, line, col, pointer, message }));
  const w = warnings.length ? `, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : "";
  if (opts.json) io.out(json({ ok: true, specs: front.model.specs.map((s) => ({ name: s.name, kind: s.kind, file: `specs/${s.rel}` })), warnings }));
  else if (!opts.quiet) io.out(`${n} spec${n === 1 ? "" : "s"} OK${w}`);
  return EXIT.ok;
}
