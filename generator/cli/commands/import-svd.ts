import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { importSvd } from "../../import/svd/index.ts";
import { toDisplay } from "../../load/tree.ts";
import type { ImportOptions } from "../import-group.ts";
import { importFinish, importRefused } from "../import-output.ts";
import { usageError, type Io } from "../output.ts";

export function run(file: string, opts: ImportOptions, io: Io): number {
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error("not a file");
    text = readFileSync(file, "utf8");
  } catch {
    return usageError(io, opts.json, `hwspec import svd: cannot read ${file}`);
  }
  const shown = toDisplay(resolve(file));
  const result = importSvd(text, shown);
  const { errors, warnings } = result.report;
  if (errors.length) return importRefused(io, { importer: "svd", source: shown, json: opts.json, errors, warnings });
  // Names, overlaps and values of the SVD are left to the front end: what it refuses is the SVD's problem, located in it.
  const counts = { peripherals: result.peripherals, registers: result.registers, fields: result.fields };
  return importFinish(io, "svd", { outDir: resolve(opts.out), out: opts.out, force: !!opts.force, json: opts.json, quiet: opts.quiet, source: shown, specs: result.files, counts, warnings, refusedByCheck: "input" });
}
