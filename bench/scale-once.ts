/**
 * One generator-scaling point on demand: `node --import tsx bench/scale-once.ts 10000` writes a
 * synthetic tree of that many registers and generates it in a child process, printing seconds,
 * output size and peak RSS. The full `npm run bench` does the same for 100, 1,000 and 10,000.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSynthTree } from "./synth.ts";

const n = Number(process.argv[2] ?? 1000);
if (!Number.isInteger(n) || n < 1) {
  console.error("usage: node --import tsx bench/scale-once.ts <registers>");
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), "hwspec-scale-"));
try {
  writeSynthTree(dir, n);
  const out = execFileSync(process.execPath, ["--import", "tsx", join(import.meta.dirname, "generator.ts"), "--child", dir], { encoding: "utf8" });
  console.log(`${n} registers: ${out.trim().split("\n").pop()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
