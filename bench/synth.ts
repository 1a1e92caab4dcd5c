/**
 * Synthetic register specs for the generator scaling benchmark: `registers` registers of 16 fields
 * each, split into files of at most 100 registers (DESIGN.md: prettier's cost grows faster than file
 * size, so generated files are kept small). Deterministic: same arguments, same files.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const FIELDS = 16;
export const PER_FILE = 100;

/** The text of synthetic spec file `k` holding registers [first, first + count). */
export function synthSpec(k: number, first: number, count: number, edit = 0): string {
  const registers: Record<string, unknown> = {};
  for (let r = first; r < first + count; r++) {
    const fields: Record<string, unknown> = {};
    for (let f = 0; f < FIELDS; f++) {
      fields[`f${f}`] = {
        bits: `${f * 2 + 1}:${f * 2}`,
        ...(f % 4 === 3 ? { access: "ro" } : {}),
        ...(f === 0 ? { enum: { OFF: 0, ON: 1, AUTO: 2 } } : {}),
        doc: `Field ${f} of synthetic register ${r}${edit ? ` (edit ${edit})` : ""}.`,
      };
    }
    registers[`R${r}`] = {
      index: `0x${(0x10000 + r).toString(16)}`,
      width: 32,
      access: "rw",
      doc: `Synthetic register ${r}.`,
      fields,
    };
  }
  return (
    JSON.stringify(
      {
        $schema: "../schema/registers.schema.json",
        kind: "registers",
        name: `bench.s${String(k).padStart(4, "0")}`,
        doc: `Synthetic spec ${k} for the generator scaling benchmark.`,
        registers,
      },
      null,
      2,
    ) + "\n"
  );
}

/** Writes a spec tree of `total` registers under `dir`/bench/; returns the file paths. */
export function writeSynthTree(dir: string, total: number, perFile = PER_FILE): string[] {
  const out: string[] = [];
  mkdirSync(join(dir, "bench"), { recursive: true });
  for (let k = 0, first = 0; first < total; k++, first += perFile) {
    const path = join(dir, "bench", `s${String(k).padStart(4, "0")}.json`);
    writeFileSync(path, synthSpec(k, first, Math.min(perFile, total - first)));
    out.push(path);
  }
  return out;
}
