/**
 * Child process for the crash tests: runs writeTree(out, files) and stops right before its K-th
 * mutating file-system call inside `out` (K from argv; see fs-trap.ts, HWSPEC_TRAP=pause pauses
 * instead of SIGKILL), so every crash point of a write is reached deterministically. Prints
 * `calls <n>` when it finishes without reaching K.
 */
import { readFileSync } from "node:fs";
import type { OutFile } from "../../generator/emit/types.ts";
import { installTrap } from "./fs-trap.ts";

const [out, filesJson, killAtText, force] = process.argv.slice(2);
const files = JSON.parse(readFileSync(filesJson!, "utf8")) as OutFile[];
const calls = installTrap({ dir: out!, at: killAtText!, mode: process.env.HWSPEC_TRAP === "pause" ? "pause" : "kill" });

const { writeTree } = await import("../../generator/write/atomic.ts");
writeTree(out!, files, { force: force === "force" });
process.stdout.write(`calls ${calls()}\n`);
