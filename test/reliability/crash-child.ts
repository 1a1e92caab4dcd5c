/**
 * Child process for the crash tests: runs writeTree(out, files) and SIGKILLs itself right before
 * its K-th mutating file-system call (K from argv), so every crash point of the swap is reached
 * deterministically. Prints `calls <n>` when it finishes without reaching K.
 */
import { readFileSync } from "node:fs";
import type { OutFile } from "../../generator/emit/types.ts";
import { createRequire, syncBuiltinESMExports } from "node:module";

const require = createRequire(import.meta.url);
const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;
const [out, filesJson, killAtText] = process.argv.slice(2);
const killAt = Number(killAtText);
const files = JSON.parse(readFileSync(filesJson!, "utf8")) as OutFile[];

let armed = false;
let calls = 0;
for (const name of ["openSync", "writeFileSync", "closeSync", "mkdirSync", "renameSync", "rmSync", "unlinkSync", "linkSync", "rmdirSync"]) {
  const real = fs[name]!;
  fs[name] = function (this: unknown, ...args: unknown[]) {
    if (armed && ++calls === killAt) process.kill(process.pid, "SIGKILL");
    return real.apply(this, args);
  };
}
syncBuiltinESMExports();

const { writeTree } = await import("../../generator/write/atomic.ts");
armed = true;
writeTree(out!, files);
armed = false;
process.stdout.write(`calls ${calls}\n`);
