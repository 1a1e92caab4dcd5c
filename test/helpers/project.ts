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

/** Bits `from`..31 reserved (res0), so a register or layout needs fields only below them. */
export const reservedAbove = (from: number) => (from > 31 ? [] : [{ bits: `31:${from}`, policy: "res0", doc: "Unused." }]);

/** The two fields most cache tests' registers hold: a bit and an enum over bits 3:1. */
export const enMode = (doc = "Enable.") => ({ en: { bits: "0", doc }, mode: { bits: "3:1", enum: { A: 0, B: 1 }, doc: "Mode." } });

/**
 * A registers spec of one 32-bit rw register `R_<name>` at 0x100 (a spec file under a folder of
 * specs/, so its `$schema` is one level up): `fields` below bit `used`, the rest reserved, and
 * `extra` merged into the spec (layouts, say).
 */
export function oneRegisterSpec(name: string, o: { doc?: string; fields?: Record<string, unknown>; used?: number; extra?: Record<string, unknown> } = {}): string {
  const { doc = "A register.", fields = enMode(), used = 4, extra = {} } = o;
  return JSON.stringify(
    {
      $schema: "../schema/registers.schema.json",
      kind: "registers",
      name,
      doc: `Spec ${name}.`,
      ...extra,
      registers: { [`R_${name.replace(/\./g, "_")}`]: { index: "0x100", width: 32, access: "rw", doc, fields, reserved: reservedAbove(used) } },
    },
    null,
    2,
  );
}
