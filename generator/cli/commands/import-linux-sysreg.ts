import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { importLinuxSysreg, sysregSourceName } from "../../import/linux-sysreg/index.ts";
import { usageError, type Io } from "../output.ts";
import { importFinish, importRefused, problemsIn } from "../import-output.ts";
import { schemaRef } from "../../import/output.ts";

export interface ImportSysregOptions {
  out?: string;
  namespace: string;
  sourceName?: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

const NAMESPACE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/;

/** `hwspec import linux-sysreg <file> --out <dir>`: Linux's arch/arm64/tools/sysreg as registers specs. */
export function importLinuxSysregCommand(file: string, opts: ImportSysregOptions, io: Io): number {
  if (!opts.out) return usageError(io, opts.json, "hwspec import linux-sysreg: --out <dir> is required (the folder the specs are written to, e.g. specs/linux)");
  if (!NAMESPACE.test(opts.namespace)) return usageError(io, opts.json, `hwspec import linux-sysreg: --namespace "${opts.namespace}" is not a dotted lower-case namespace like linux.sysreg`);
  let text: string;
  try {
    if (!statSync(file).isFile()) throw new Error("not a file");
    text = readFileSync(file, "utf8");
  } catch {
    return usageError(io, opts.json, `hwspec import linux-sysreg: cannot read ${file} (give the path of arch/arm64/tools/sysreg)`);
  }
  const outDir = resolve(opts.out);
  const source = opts.sourceName ?? sysregSourceName(file);
  const r = importLinuxSysreg(text, source, { namespace: opts.namespace, schema: (path) => schemaRef(outDir, path, "registers") });
  if (r.problems.length) return importRefused(io, { importer: "linux-sysreg", source, json: opts.json, errors: problemsIn(file, r.problems) });
  // The importer writes only what check accepts: a refusal is its own bug.
  return importFinish(io, "linux-sysreg", { outDir, out: opts.out, force: opts.force, json: opts.json, quiet: opts.quiet, source, specs: r.specs, counts: { ...r.counts! }, refusedByCheck: "internal" });
}

/** The importer entry point in the shape `hwspec import`'s registry of importers calls (file, resolved --out and flags). */
export function run(file: string, opts: { out: string; force?: boolean; json?: boolean; quiet?: boolean; namespace?: string; sourceName?: string }, io: Io): number {
  return importLinuxSysregCommand(file, { ...opts, namespace: opts.namespace ?? "linux.sysreg" }, io);
}
