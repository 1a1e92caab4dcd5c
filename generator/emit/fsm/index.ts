import { readFileSync } from "node:fs";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import { GENERATED_HEADER } from "../escape.ts";
import type { OutFile } from "../types.ts";
import { generateMachineFile } from "./ts.ts";

const FSM_STATIC = new URL("./static/fsm.ts", import.meta.url);

/** generated/ts/fsm.ts: the types every machine module and runtime/fsm share. */
export function emitFsmSupport(): OutFile {
  const body = readFileSync(FSM_STATIC, "utf8");
  return { path: "ts/fsm.ts", lang: "ts", source: "generator/emit/fsm/static/fsm.ts", content: `// ${GENERATED_HEADER}\n// Source: generator/emit/fsm/static/fsm.ts\n\n${body}` };
}

/** The TS module of one machine, importing the shared types from `fsmPath` (relative to generated/ts). */
export function emitMachineTs(spec: ElabMachineSpec, ext: ".ts" | ".js" = ".ts"): OutFile {
  const file = generateMachineFile(spec);
  return { path: `ts/${file.path}`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(new Set(), ext) };
}


