import type { Front } from "../../../pipeline.ts";
import { deviceSpecs } from "../../../elaborate/lookup.ts";
import type { OutFile } from "../../types.ts";
import { moduleOf } from "../spec-file.ts";
import { SUPPORT_TYPES } from "../support.ts";
import { generateDeviceFile } from "./file.ts";

/** generated/ts/<spec path>.ts for every `device` spec; they import the shared support module. */
export function emitDeviceTypeScript({ model, lookup, tsNames }: Front): OutFile[] {
  return deviceSpecs(model).map((spec) => {
    const file = generateDeviceFile(spec, lookup, tsNames.get(spec.name)!);
    return { path: `ts/${moduleOf(spec.rel)}.ts`, lang: "ts", source: `specs/${spec.rel}`, content: file.render(SUPPORT_TYPES) };
  });
}
