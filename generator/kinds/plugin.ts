import type { Diagnostics } from "../diagnostics.ts";
import type { Change } from "../diff/types.ts";
import type { ShapeContext } from "../docs/shapes.ts";
import type { PageView } from "../docs/view.ts";
import type { Lookup } from "../elaborate/lookup.ts";
import type { ElabModel, ElabShape } from "../elaborate/model.ts";
import type { SpecSource } from "../load/source.ts";
import type { Layout, Spec } from "../model/index.ts";
import type { TargetLanguage } from "../elaborate/names/reserved-words.ts";

/** What elaboration offers a kind: shapes elaborated the one way, nested layouts found across the tree. */
export interface ElaborateContext {
  shape<T extends Layout>(layout: T): ElabShape<T>;
}

/**
 * Everything one spec kind contributes to the front end and to the kind-aware back ends
 * (diff, docs). Targets (TS, C, Promela, ...) are plugins of their own, in generator/emit/.
 */
export interface KindPlugin<S extends Spec = Spec, E extends { kind: S["kind"] } = { kind: S["kind"] }> {
  kind: S["kind"];
  /** Its JSON Schema: specs/schema/<kind>.schema.json. */
  schema: string;
  /**
   * The languages its specs are turned into: the one statement of which targets a kind reaches.
   * Elaboration names identifiers for these only, and a name is measured only against their
   * reserved words (a registers spec may name a field `len`, a Promela keyword). A target of
   * emit/targets.ts emits a kind only if the kind reaches its language (test/elaborate/reserved-words.test.ts).
   */
  reaches: readonly TargetLanguage[];
  resolve(src: SpecSource, d: Diagnostics): S;
  /** Its bit layouts (layouts, registers, entry formats), resolved or elaborated alike; none for a kind without any. */
  shapes?(spec: S | E): Layout[];
  /** Shapes and derived facts; total on any resolved spec. */
  elaborate(spec: S, ctx: ElaborateContext): E;
  /** Facts that need the whole tree's name tables (run once they exist). */
  finish?(spec: E, lookup: Lookup): void;
  /** Semantic checks over every spec of this kind in the tree. */
  check(model: ElabModel, lookup: Lookup, d: Diagnostics): void;
  diff(oldSpec: E, newSpec: E): Change[];
  docsPage(spec: E, ctx: ShapeContext): PageView;
}
