import type { GenerateOptions } from "../../../options.ts";
import type { Front } from "../../../pipeline.ts";
import type { ElabDeviceSpec } from "../../../elaborate/model.ts";
import type { OutFile } from "../../types.ts";
import { moduleOf } from "../spec-file.ts";
import { SUPPORT_TYPES } from "../support.ts";
import { generateDeviceFile } from "./file.ts";

/** generated/ts/<spec path>.ts of one `device` spec; it imports the shared support module. */
export function deviceTs(spec: ElabDeviceSpec, { model, lookup, tsNames }: Front, options: GenerateOptions): OutFile {
  const base = spec.inherits ? model.specs.find((s): s is ElabDeviceSpec => s.kind === "device" && s.name === spec.inherits!.base) : undefined;
  const file = generateDeviceFile(spec, lookup, tsNames.get(spec.name)!, base);
  return { path: `ts/${moduleOf(spec.rel)}.ts`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(SUPPORT_TYPES, options.ts.importExtension) };
}
