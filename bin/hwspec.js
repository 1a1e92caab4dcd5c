#!/usr/bin/env node
// Runs the CLI bundled into dist/cli/main.cjs by `npm run build` (the prepare step of `npm
// install`, and shipped in the package), compiled with a V8 code cache kept beside it
// (docs/packaging.md, "The CLI is one bundled script"). A CommonJS script (bin/package.json says
// so) because an ES module entry makes node load its ES loader, 3 ms of every start.
"use strict";
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

// `hwspec list | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const file = join(__dirname, "..", "dist", "cli", "main.cjs");
let source;
try {
  // ASCII, as the build checks (generator/build/bundle.mjs), so Latin-1 is the same text, read faster.
  source = readFileSync(file, "latin1");
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
const bundle = { exports: {} };
script.runInThisContext()(bundle.exports, createRequire(file), bundle, file, dirname(file));
void bundle.exports.main(process.argv.slice(2)).then((code) => {
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
});
