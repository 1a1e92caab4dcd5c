import { Diagnostics, type Diagnostic } from "../diagnostics.ts";
import type { Layout, Model } from "../model/index.ts";
import { buildLookup, type Lookup } from "./lookup.ts";
import type { ElabModel, ElabShape, ElabSpec } from "./model.ts";
import { checkCNames, type CTreeClaims } from "./names/c.ts";
import type { IdentifierScope } from "./names/scope.ts";
import { moduleOf, tsMachineNames, tsModuleNames, tsTreeNames, type TsModuleNames } from "./names/ts.ts";
import { elaborateShape } from "./shapes.ts";
import { inherit } from "./inherit.ts";
import { kindReaches, pluginOf } from "../kinds/index.ts";
import { checkPromelaNames } from "./names/promela.ts";
import type { TargetLanguage } from "./names/reserved-words.ts";

export type * from "./model.ts";

/** The elaborated model plus what was found while naming it. */
export interface Elaborated {
  model: ElabModel;
  lookup: Lookup;
  /** TS identifiers of each shape-bearing spec's module, by namespace. */
  tsNames: Map<string, TsModuleNames>;
  /**
   * Identifier collisions in some target. Reported by check only when the spec is otherwise
   * clean, since most collisions of a broken spec are echoes of errors check already names.
   */
  nameErrors: Diagnostic[];
  /** With `keepClaims`: the identifiers claimed in the namespaces every spec shares. */
  claims?: TreeClaims;
}

/** The namespaces the whole tree shares, as claimed (cache/front.ts checks part of a tree against the rest with them). */
export interface TreeClaims {
  c: CTreeClaims;
  modules: IdentifierScope;
  barrel: IdentifierScope;
}

/** resolve → elaborate: every derived fact computed once. Total on any resolved model; never reports. */
export function elaborate(model: Model, keepClaims = false): Elaborated {
  const raw = new Map<string, Layout>();
  for (const s of model.specs) for (const l of pluginOf(s.kind)!.shapes?.(s) ?? []) raw.set(l.qname, l);
  const nestedOf = (q: string) => raw.get(q);
  const shape = <T extends Layout>(l: T) => elaborateShape(l, nestedOf);
  const specs = model.specs.map((s) => pluginOf(s.kind)!.elaborate(s, { shape }) as ElabSpec);
  // Overlays of register blocks and devices learn what they share with their base before anything is named.
  // A base that is an overlay itself settles its identifiers first, since its heirs copy them.
  const byName = new Map(specs.map((s) => [s.name, s]));
  const settled = new Set<ElabSpec>();
  const settle = (s: ElabSpec): void => {
    if (settled.has(s)) return;
    settled.add(s);
    const base = s.extends !== undefined ? byName.get(s.extends) : undefined;
    if (!base || base.kind !== s.kind || (s.kind !== "registers" && s.kind !== "device")) return;
    settle(base);
    s.inherits = inherit(s, base as typeof s);
  };
  specs.forEach(settle);
  const elab: ElabModel = { specs };
  const lookup = buildLookup(elab);
  for (const s of specs) pluginOf(s.kind)!.finish?.(s, lookup);
  const d = new Diagnostics();
  // Identifiers are named for the languages each kind reaches, and only those.
  const reaching = (lang: TargetLanguage) => specs.filter((s) => kindReaches(s.kind).includes(lang));
  const shapeSpecs = specs.filter((s) => s.kind !== "machine");
  const moduleOfSpec = new Map(shapeSpecs.map((s) => [s.name, moduleOf(s.rel)]));
  const tsNames = new Map<string, TsModuleNames>();
  for (const s of reaching("TypeScript")) {
    if (s.kind === "machine") tsMachineNames(s, d);
    else {
      const base = s.kind !== "entries" && s.inherits ? (byName.get(s.inherits.base) as Parameters<typeof tsModuleNames>[0]) : undefined;
      tsNames.set(s.name, tsModuleNames(s, (q) => lookup.layouts.get(q) as ElabShape | undefined, (ns) => moduleOfSpec.get(ns), d, base));
    }
  }
  const c = checkCNames(reaching("C").filter((s) => s.kind !== "machine"), d, keepClaims);
  for (const s of reaching("Promela")) if (s.kind === "machine") checkPromelaNames(s, d);
  const ts = tsTreeNames(reaching("TypeScript"), d);
  return { model: elab, lookup, tsNames, nameErrors: d.sorted(), ...(c ? { claims: { c, ...ts } } : {}) };
}
