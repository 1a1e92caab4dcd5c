import { posix } from "node:path";
import type { ElabModel } from "../../../elaborate/model.ts";
import type { Lookup } from "../../../elaborate/lookup.ts";
import { deviceSpecs } from "../../../elaborate/lookup.ts";
import type { OutFile } from "../../types.ts";
import { moduleOf } from "../spec-file.ts";
import { SUPPORT_TYPES } from "../support.ts";
import { generateDeviceFile } from "./file.ts";

/** generated/ts/<spec path>.ts for every `device` spec; they import the shared support module. */
export function emitDeviceTypeScript(model: ElabModel, lookup: Lookup): OutFile[] {
  return deviceSpecs(model).map((spec) => {
    const file = generateDeviceFile(spec, lookup);
    const dir = posix.dirname(file.path);
    const rel = (module: string) => {
      const r = posix.relative(dir, module === "support" ? "support.ts" : `${module}.ts`);
      return r.startsWith(".") ? r : `./${r}`;
    };
    return { path: `ts/${moduleOf(spec.rel)}.ts`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(rel, SUPPORT_TYPES) };
  });
}
