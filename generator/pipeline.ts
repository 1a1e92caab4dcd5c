import { checkModel } from "./check/check.ts";
import { Diagnostics, type Diagnostic } from "./diagnostics.ts";
import type { OutFile } from "./emit/types.ts";
import type { LoadedTree } from "./load/tree.ts";
import type { Model } from "./model/index.ts";
import { buildLookup, type Lookup } from "./model/lookup.ts";
import { resolveModel } from "./resolve/resolve.ts";
import { validateSpec } from "./validate/validate.ts";

export interface Front {
  model: Model;
  lookup: Lookup;
}

export type FrontResult = { ok: true; front: Front } | { ok: false; diagnostics: Diagnostic[] };

/** load → validate → resolve → check. Stops before a stage whose input already has errors. */
export function runFront(tree: LoadedTree, d: Diagnostics): FrontResult {
  const valid = [];
  for (const src of tree.sources) {
    const kind = validateSpec(src, d);
    if (kind) valid.push({ src, kind });
  }
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  const model = resolveModel(valid, d);
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  const lookup = buildLookup(model);
  checkModel(model, lookup, d);
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  return { ok: true, front: { model, lookup } };
}

/** emit → format: the files of generated/, in memory. */
export async function runBack(front: Front): Promise<OutFile[]> {
  // Loaded here, not at the top: ts-morph and prettier are most of a cold start and only generation needs them.
  const [{ emitAll }, { formatFiles }] = await Promise.all([import("./emit/emit.ts"), import("./emit/format.ts")]);
  return formatFiles(await emitAll(front.model, front.lookup));
}
