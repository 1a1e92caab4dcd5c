import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ts } from "ts-morph";
import { emitFsmSupport, emitMachineTs } from "../emit/fsm/index.ts";
import { machineSpecs } from "../elaborate/lookup.ts";
import type { ElabMachineSpec, ElabModel } from "../elaborate/model.ts";
import { didYouMean } from "../suggest.ts";
import type { MachineDef } from "../../generated/ts/fsm.ts";

/** A machine by qualified name (`xen.dpci_softirq`), unambiguous last segment, or spec file (`xen/dpci-softirq.json`). */
export function findMachine(model: ElabModel, name: string): ElabMachineSpec | { error: string } {
  const specs = machineSpecs(model);
  const exact = specs.find((s) => s.name === name || s.rel === name || s.rel === `${name}.json`);
  if (exact) return exact;
  const short = specs.filter((s) => s.name.split(".").pop() === name || s.rel.split("/").pop()?.replace(/\.json$/, "") === name);
  if (short.length === 1) return short[0]!;
  const known = specs.map((s) => s.name).join(", ") || "(none)";
  if (short.length > 1) return { error: `"${name}" is ambiguous: ${short.map((s) => s.name).join(", ")}` };
  const close = didYouMean(name, name.includes(".") ? specs.map((s) => s.name) : specs.map((s) => s.name.split(".").pop()!));
  return { error: `no machine "${name}"${close || ` (machines: ${known})`}` };
}

/**
 * The machine's generated module, emitted exactly as `generate` would and loaded from a private
 * temporary folder, so the specs given with --specs (fixtures included) run through the same
 * compiled step functions as generated/. Node cannot import TypeScript, so each file is transpiled
 * on its own (types erased, `.ts` specifiers rewritten to `.js`) with the compiler ts-morph ships.
 */
export async function loadMachineDef(spec: ElabMachineSpec): Promise<MachineDef> {
  const m = await openMachineModule(spec);
  m.close();
  return m.def;
}

/** A loaded machine module whose folder stays until `close()`: worker threads import it by `url`. */
export interface MachineModule {
  def: MachineDef;
  /** file: URL of the module (it exports `machine`). */
  url: string;
  /** Removes the temporary folder (idempotent). */
  close(): void;
}

/** As loadMachineDef, keeping the module's folder so other threads can load the same code. */
export async function openMachineModule(spec: ElabMachineSpec): Promise<MachineModule> {
  const dir = mkdtempSync(join(tmpdir(), "hwspec-machine-"));
  const close = () => rmSync(dir, { recursive: true, force: true });
  try {
    // The folder is outside the project, so it needs its own marker that .js files are ES modules.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    const files = [emitFsmSupport(), emitMachineTs(spec)].map((f) => ({ path: f.path.replace(/\.ts$/, ".js"), content: toJs(f.path, f.content) }));
    for (const f of files) {
      const p = join(dir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
    }
    const url = pathToFileURL(join(dir, files[1]!.path)).href;
    const mod = (await importModule(url)) as { machine: MachineDef };
    return { def: mod.machine, url, close };
  } catch (e) {
    close();
    throw e;
  }
}

/** `import(url)`, through a module node compiles itself (import-module.cjs says why). */
const importModule = createRequire(import.meta.url)("./import-module.cjs") as (url: string) => Promise<unknown>;

function toJs(fileName: string, source: string): string {
  const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, rewriteRelativeImportExtensions: true, verbatimModuleSyntax: true, sourceMap: false };
  return ts.transpileModule(source, { fileName, compilerOptions: options }).outputText;
}

/** `p=n,q=m` → counts; undefined with a message on bad input. */
export function parseInstances(text: string | undefined): Record<string, number> | { error: string } {
  const out: Record<string, number> = {};
  if (!text) return out;
  for (const part of text.split(",")) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([0-9]+)\s*$/.exec(part);
    if (!m) return { error: `"${part}" is not process=count` };
    out[m[1]!] = Number(m[2]);
  }
  return out;
}
