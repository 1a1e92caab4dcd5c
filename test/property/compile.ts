/**
 * Compiling many generated trees at once: one in-process TypeScript program over every tree's
 * generated TS (strict, the options generated code is written for), and one gcc run over a
 * translation unit per header. Results are mapped back to the tree that produced them.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import ts from "typescript";
import type { OutFile } from "../../generator/emit/types.ts";
import { STRICT_TSC_OPTIONS } from "../helpers/tsc.ts";

export const GCC_STRICT = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"];

/** The options of test/helpers/tsc.ts strictTsc, as `tsc --strict --noEmit` sees them. */
const TS_OPTIONS: ts.CompilerOptions = ts.convertCompilerOptionsFromJson(STRICT_TSC_OPTIONS, "/").options;

/** The standard library is the same for every program: parse it once per process. */
const libCache = new Map<string, ts.SourceFile | undefined>();

export function writeFiles(dir: string, files: readonly { path: string; content: string }[]): void {
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}

/** Generated TS files of an output folder, absolute. */
export function tsFilesOf(outDir: string, files: readonly OutFile[]): string[] {
  return files.filter((f) => f.path.endsWith(".ts")).map((f) => join(outDir, f.path));
}

export interface TsError {
  file: string;
  line: number;
  code: number;
  message: string;
}

/** Type-checks `rootNames` as one strict program; errors by file. A folder of roots needs a package.json saying ESM. */
export function typecheck(rootNames: string[]): TsError[] {
  const host = ts.createCompilerHost(TS_OPTIONS);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, lang, onError, fresh) => {
    if (!fileName.includes("/node_modules/typescript/lib/")) return read(fileName, lang, onError, fresh);
    if (!libCache.has(fileName)) libCache.set(fileName, read(fileName, lang, onError, fresh));
    return libCache.get(fileName);
  };
  const program = ts.createProgram({ rootNames, options: TS_OPTIONS, host });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    return { file: d.file?.fileName ?? "", line: (pos?.line ?? -1) + 1, code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") };
  });
}

export const formatTsError = (e: TsError) => `${e.file}:${e.line}: error TS${e.code}: ${e.message}`;

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (b: Buffer) => (out += b.toString()));
    p.stderr.on("data", (b: Buffer) => (out += b.toString()));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Whether gcc can be run at all (CI must have it; elsewhere its absence is reported, not hidden). */
export async function haveGcc(): Promise<boolean> {
  try {
    return (await run("gcc", ["--version"], "/")).code === 0;
  } catch {
    return false;
  }
}

/**
 * Compiles each `.c` source (strict, to an object file so code generation warnings count) in two
 * concurrent gcc runs; returns gcc's output for the sources that failed, by path. gcc names the
 * source in every message, so output lines are attributed to the nearest source named before them.
 */
export async function compileC(sources: string[], objDir: string): Promise<Map<string, string>> {
  mkdirSync(objDir, { recursive: true });
  const failed = new Map<string, string>();
  const halves = [sources.filter((_, i) => i % 2 === 0), sources.filter((_, i) => i % 2 === 1)].filter((h) => h.length);
  await Promise.all(
    halves.map(async (half, k) => {
      const dir = join(objDir, String(k));
      mkdirSync(dir, { recursive: true });
      // Object files are named after the source's basename: make those unique per run.
      const r = await run("gcc", [...GCC_STRICT, "-c", ...half], dir);
      if (r.code === 0) return;
      let current = "";
      for (const line of r.out.split("\n")) {
        const owner = half.find((s) => line.startsWith(`${s}:`) || line.includes(`from ${s}:`));
        if (owner) current = owner;
        if (!current || !line) continue;
        failed.set(current, (failed.get(current) ?? "") + line + "\n");
      }
      if (!failed.size) throw new Error(`gcc failed without naming a source:\n${r.out}`);
    }),
  );
  return failed;
}
