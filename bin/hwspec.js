#!/usr/bin/env node
// Runs the CLI bundled into dist/cli/main.cjs by `npm run build` (the prepare step of `npm
// install`, and shipped in the package), compiled with a V8 code cache kept beside it
// (docs/packaging.md, "The CLI is one bundled script").
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

// `hwspec list | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const file = fileURLToPath(new URL("../dist/cli/main.cjs", import.meta.url));
let source;
try {
  source = readFileSync(file, "utf8");
} catch (e) {
  if (e?.code !== "ENOENT") throw e;
  process.stderr.write("hwspec: the CLI is not built (no dist/); run `npm run build` in the hwspec checkout\n");
  process.exit(2);
}

// One cache per node version and command: V8 stores the functions a run compiled, and each
// command compiles its own. V8 checks a cache against the source and its own version and flags
// and refuses one that does not match; a refused or missing cache is written after the run.
const command = /^[a-z][a-z0-9-]{0,31}$/.test(process.argv[2] ?? "") ? process.argv[2] : "none";
const cacheFile = join(dirname(file), "code-cache", `${process.version}-${process.arch}-${command}.bin`);
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  /* none yet */
}
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
const code = await module.exports.main(process.argv.slice(2));
// Only after a command that ran (not a typo's usage error), so the cache holds what it compiled.
if ((cachedData === undefined || script.cachedDataRejected) && (code === 0 || code === 1)) {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, cacheFile);
  } catch {
    /* a read-only install starts without one */
  }
}
process.exitCode = code;
