import { checkModel } from "./check/check.ts";
import { Diagnostics, type Diagnostic } from "./diagnostics.ts";
import type { OutFile } from "./emit/types.ts";
import type { LoadedTree } from "./load/tree.ts";
import { elaborate, type Elaborated, type TreeClaims } from "./elaborate/index.ts";
import { resolveModel } from "./resolve/resolve.ts";
import { validateSpec } from "./validate/validate.ts";
import { applyOverlays } from "./load/overlay.ts";
import { collectIfLarge } from "./heap.ts";
import { DEFAULT_GENERATE_OPTIONS, type GenerateOptions } from "./options.ts";

/** The front end's product: the elaborated model, its name tables and per-target identifiers. */
export type Front = Omit<Elaborated, "nameErrors" | "claims">;

export type FrontResult = { ok: true; front: Front; warnings: Diagnostic[]; claims?: TreeClaims } | { ok: false; diagnostics: Diagnostic[] };

/**
 * load → overlays → validate → resolve → elaborate → check. Stops before a stage whose input
 * already has errors. With `keepClaims`, also what the tree claims in the shared namespaces.
 */
export function runFront(tree: LoadedTree, d: Diagnostics, keepClaims = false): FrontResult {
  const valid = [];
  for (const src of applyOverlays(tree.sources, d)) {
    const kind = validateSpec(src, d);
    if (kind) valid.push({ src, kind });
  }
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  const model = resolveModel(valid, d);
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  const { nameErrors, claims, ...front } = elaborate(model, keepClaims);
  checkModel(front, d);
  if (!d.count) for (const e of nameErrors) d.error(e, e.message);
  if (d.count) return { ok: false, diagnostics: d.sorted() };
  return { ok: true, front, warnings: d.sortedWarnings(), ...(claims ? { claims } : {}) };
}

/** emit → format: the files of generated/, in memory, for the targets and TS output `options` ask for. */
export async function runBack(front: Front, options: GenerateOptions = DEFAULT_GENERATE_OPTIONS): Promise<OutFile[]> {
  // Loaded here, not at the top: ts-morph and prettier are most of a cold start and only generation needs them.
  const [{ emitAll }, { formatFiles }] = await Promise.all([import("./emit/emit.ts"), import("./emit/format.ts")]);
  collectIfLarge();
  return formatFiles(await emitAll(front, options));
}
