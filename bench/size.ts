/**
 * Generated TS per register: the bytes of one register's part of its module (from its first
 * declaration, an enum constant or its Fields type, to the end of its namespace constant), split
 * into its declarations, for a synthetic 16-field register (bench/synth.ts, generated in memory)
 * and for IA32_VMX_EPT_VPID_CAP of the shipped specs (19 fields with long docs). JSDoc is counted
 * apart: it is where every field's doc lives in generated TS (docs/architecture.md).
 */
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchConfig, Row, SectionResult } from "./harness.ts";
import { FIELDS, writeSynthTree } from "./synth.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

/** Target of issue 17: ≤ 4 KB of TS for a 16-field register. */
export const SIZE_TARGET_BYTES = 4096;

export interface RegisterSize {
  register: string;
  bytes: number;
  jsdoc_bytes: number;
  /** Bytes per declaration, keyed by what it declares. */
  parts: Record<string, number>;
}

export interface SizeResults {
  fields_per_register: number;
  synthetic: RegisterSize;
  /** The synthetic module's bytes divided by its registers (imports and header included). */
  synthetic_module_bytes_per_register: number;
  ept_vpid_cap: RegisterSize;
  target_ratio: number;
}

const isDocLine = (l: string) => /^\s*(\/\*\*|\*)/.test(l);

/** The part of a generated module that belongs to register `name`, by declaration. */
export function registerPart(text: string, name: string): RegisterSize {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`/** Named values of ${name}.`) || /^\/\*\* Decoded fields of (\S+?)[.:]/.exec(l)?.[1] === name);
  let end = lines.findIndex((l, i) => i > start && l.startsWith(`export const ${name}: `));
  if (start < 0 || end < 0) throw new Error(`no register ${name} in the module`);
  while (!lines[end]!.endsWith(";")) end++;
  const body = lines.slice(start, end + 1);
  const parts: Record<string, number> = {};
  const blocks = body.join("\n").split("\n\n");
  for (const [i, block] of blocks.entries()) {
    const decl = block.split("\n").find((l) => !isDocLine(l)) ?? "";
    const what = /^(?:export )?(?:const|type|interface) (\w+)/.exec(decl)?.[1] ?? decl;
    // Each declaration with its newline and the blank line after it, so the parts add up to the whole.
    parts[what] = (parts[what] ?? 0) + Buffer.byteLength(block) + (i < blocks.length - 1 ? 2 : 1);
  }
  const bytes = Buffer.byteLength(body.join("\n")) + 1;
  const jsdoc = body.filter(isDocLine).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  return { register: name, bytes, jsdoc_bytes: jsdoc, parts };
}

async function generate(specs: string) {
  const { Diagnostics } = await import("../generator/diagnostics.ts");
  const { loadTree } = await import("../generator/load/tree.ts");
  const { runFront, runBack } = await import("../generator/pipeline.ts");
  const d = new Diagnostics();
  const r = runFront(loadTree(specs, d), d);
  if (!r.ok) throw new Error(`spec rejected: ${r.diagnostics[0]?.message}`);
  return runBack(r.front);
}

export async function runSize(cfg: BenchConfig): Promise<SectionResult<SizeResults>> {
  const dir = join(cfg.tmp, "size");
  mkdirSync(dir, { recursive: true });
  const registers = cfg.mode === "smoke" ? 7 : 100;
  writeSynthTree(dir, registers);
  const synthFiles = await generate(dir);
  rmSync(dir, { recursive: true, force: true });
  const module = synthFiles.find((f) => f.path === "ts/bench/s0000.ts")!;
  // A register from the middle of the file: neither the first nor the last declarations.
  const synthetic = registerPart(module.content, "R5");
  const shipped = await generate(join(ROOT, "specs"));
  const ept = registerPart(shipped.find((f) => f.path === "ts/x86/vmx-msrs.ts")!.content, "IA32_VMX_EPT_VPID_CAP");
  const results: SizeResults = {
    fields_per_register: FIELDS,
    synthetic,
    synthetic_module_bytes_per_register: Math.round(Buffer.byteLength(module.content) / registers),
    ept_vpid_cap: ept,
    target_ratio: Math.round((synthetic.bytes / SIZE_TARGET_BYTES) * 100) / 100,
  };
  const note = (s: RegisterSize) => `JSDoc ${s.jsdoc_bytes} B; ${Object.entries(s.parts).map(([k, n]) => `${k.replace(s.register, "") || s.register} ${n}`).join(", ")}`;
  const rows: Row[] = [
    { section: "size", name: `synthetic ${FIELDS}-field register`, value: `${synthetic.bytes} B`, note: `${note(synthetic)}; module ${results.synthetic_module_bytes_per_register} B per register` },
    { section: "size", name: "IA32_VMX_EPT_VPID_CAP (19 fields)", value: `${ept.bytes} B`, note: note(ept) },
  ];
  return { results, rows };
}
