import type { Front } from "../pipeline.ts";
import { emitSchemaTypes } from "./schema-types.ts";
import { emitC } from "./c/index.ts";
import { emitDeviceC } from "./c/device.ts";
import { emitEntriesC } from "./c/entries.ts";
import { emitTypeScript } from "./ts/index.ts";
import { emitDeviceTypeScript } from "./ts/device/index.ts";
import { emitEntriesTypeScript } from "./ts/entries.ts";
import type { OutFile } from "./types.ts";
import { emitBarrel } from "./ts/barrel.ts";
import { emitMachines } from "./fsm/index.ts";

/** Every emitter over the model; output sorted by path so nothing depends on emitter order. */
export async function emitAll(front: Front): Promise<OutFile[]> {
  const { model, lookup } = front;
  const files = [...(await emitSchemaTypes()), ...emitTypeScript(front), ...emitDeviceTypeScript(front), ...emitEntriesTypeScript(front), ...emitC(model, lookup), ...emitDeviceC(model, lookup), ...emitEntriesC(model, lookup), ...emitMachines(model)];
  files.push(emitBarrel(model, files));
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.path)) throw new Error(`internal: two emitters wrote ${f.path}`);
    seen.add(f.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
