#!/usr/bin/env node
// The CLI is written in TypeScript; tsx compiles it on load so `npx hwspec` needs no build step.
import { register } from "tsx/esm/api";

register();
// `hwspec list | head` closes the pipe early; that is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
}
const { main } = await import("../generator/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
