#!/usr/bin/env node
// Runs the CLI precompiled to dist/ by `npm run build` (the prepare step of `npm install`, and
// shipped in the package), so a start costs no TypeScript compilation.
import { fileURLToPath } from "node:url";

// `hwspec list | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const entry = new URL("../dist/generator/cli/main.js", import.meta.url);
let main;
try {
  ({ main } = await import(entry.href));
} catch (e) {
  if (e?.code !== "ERR_MODULE_NOT_FOUND" || !String(e.message).includes(fileURLToPath(entry))) throw e;
  process.stderr.write("hwspec: the CLI is not built (no dist/); run `npm run build` in the hwspec checkout\n");
  process.exit(2);
}
process.exitCode = await main(process.argv.slice(2));
