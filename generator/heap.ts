/**
 * A full collection between two stages of a large run. The front end of a 10,000-register tree
 * leaves about 350 MB of garbage in the old generation, which V8 on a roomy machine does not
 * collect before emit allocates as much again, so peak RSS was live set plus both stages' garbage
 * (BENCHMARKS.md, issue 17). Small trees never pay for it.
 */
import { createRequire } from "node:module";
import { runInNewContext } from "node:vm";

/** Heap in use above which a stage boundary collects: far above any hand-written tree. */
const LARGE = 256 * 2 ** 20;

let collect: (() => void) | undefined;

export function collectIfLarge(): void {
  if (process.memoryUsage().heapUsed < LARGE) return;
  if (!collect) {
    // `gc` is only defined in contexts created after the flag is set, hence the fresh context.
    // Required here: node:v8 is only needed by a large run, and loading it is time every start would pay.
    (createRequire(import.meta.url)("node:v8") as typeof import("node:v8")).setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}
