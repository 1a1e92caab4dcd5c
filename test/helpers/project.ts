import { cpSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { loadFiles, loadTree } from "../../generator/load/tree.ts";
import { runBack, runFront, type Front } from "../../generator/pipeline.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SPECS = join(ROOT, "specs");
export const GENERATED = join(ROOT, "generated");
export { tempDir } from "./temp.ts";

/** The project's own specs through the front end; throws with the diagnostics if they are bad. */
export function projectFront(): Front {
  const d = new Diagnostics();
  const r = runFront(loadTree(SPECS, d), d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  return r.front;
}

/** Front end over in-memory spec files (paths relative to a virtual specs/). */
export function frontOf(files: Record<string, string>) {
  const d = new Diagnostics();
  return runFront(loadFiles(files, d), d);
}

export async function generateInMemory(front = projectFront()) {
  return runBack(front);
}

/** Every file under dir, relative path → bytes as text. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const f = join(d, n);
      if (statSync(f).isDirectory()) walk(f);
      else out.set(relative(dir, f).split(sep).join("/"), readFileSync(f, "utf8"));
    }
  };
  walk(dir);
  return out;
}

export function copyTree(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
}
