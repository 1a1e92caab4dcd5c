/**
 * Stops a process at a chosen file-system step of a write, for the crash tests. Loaded with
 * `node --import tsx --import ./test/reliability/fs-trap.ts …` (configured by environment
 * variables) or called from crash-child.ts. It counts the mutating calls (create, write, mkdir,
 * rename, remove, link) on paths under one folder and, right before the chosen one, either sends
 * the process SIGKILL or pauses it for good, so the test can look at the disk with the writer
 * stopped half way (and a reader run meanwhile) before killing it.
 *
 *   HWSPEC_TRAP_DIR   the folder whose writes are counted (the output folder)
 *   HWSPEC_TRAP_AT    K: the K-th such call (0: never); or "<fn>:<path suffix>[+n]": n calls after
 *                     the first call of fn on a path ending so (+0: that call itself)
 *   HWSPEC_TRAP       "kill" (default) or "pause" (prints "trap paused" on stderr, then waits)
 */
import { createRequire, syncBuiltinESMExports } from "node:module";

export interface Trap {
  dir: string;
  at: string;
  mode: "kill" | "pause";
}

const MUTATING = ["openSync", "writeFileSync", "mkdirSync", "renameSync", "rmSync", "unlinkSync", "linkSync", "rmdirSync"];

/** Installs the trap; returns a function giving the number of counted calls so far. */
export function installTrap(trap: Trap): () => number {
  const require = createRequire(import.meta.url);
  const fs = require("node:fs") as Record<string, (...args: unknown[]) => unknown>;
  const named = /^(\w+):(.+?)(?:\+(\d+))?$/.exec(trap.at);
  const k = named ? Infinity : Number(trap.at);
  let calls = 0;
  let armedAt: number | undefined; // the count at which a named trap fires
  const under = (a: unknown) => typeof a === "string" && (a === trap.dir || a.startsWith(trap.dir + "/"));
  const fire = () => {
    if (trap.mode === "kill") process.kill(process.pid, "SIGKILL");
    process.stderr.write("trap paused\n");
    for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  };
  for (const name of MUTATING) {
    const real = fs[name]!;
    fs[name] = function (this: unknown, ...args: unknown[]) {
      if (under(args[0]) || (name === "renameSync" || name === "linkSync" ? under(args[1]) : false)) {
        calls++;
        if (named && armedAt === undefined && name === named[1] && [args[0], args[1]].some((a) => typeof a === "string" && a.endsWith(named[2]!)))
          armedAt = calls + Number(named[3] ?? 0);
        if (calls === k || calls === armedAt) fire();
      }
      return real.apply(this, args);
    };
  }
  syncBuiltinESMExports();
  return () => calls;
}

if (process.env.HWSPEC_TRAP_DIR && process.env.HWSPEC_TRAP_AT) {
  installTrap({ dir: process.env.HWSPEC_TRAP_DIR, at: process.env.HWSPEC_TRAP_AT, mode: process.env.HWSPEC_TRAP === "pause" ? "pause" : "kill" });
}
