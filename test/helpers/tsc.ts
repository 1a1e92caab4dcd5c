import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./project.ts";

const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

/** The compiler options generated code is written for (what `tsc --strict --noEmit` over it means here). */
export const STRICT_TSC_OPTIONS = {
  strict: true,
  noEmit: true,
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  allowImportingTsExtensions: true,
  skipLibCheck: true,
  types: [] as string[],
};

/**
 * Compiles `include` (globs relative to `dir`) with strict tsc and the options generated code is
 * written for; returns the compiler's output, "" when it compiled cleanly.
 */
export function strictTsc(dir: string, include: string[]): string {
  const config = { compilerOptions: STRICT_TSC_OPTIONS, include };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
  try {
    execFileSync(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
    return "";
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}` || "tsc failed";
  }
}
