import type { ElabEntriesSpec } from "../../elaborate/model.ts";
import type { EntriesSpec } from "../../model/index.ts";
import type { KindPlugin } from "../plugin.ts";
import { checkEntries } from "./check/index.ts";
import { diffEntries } from "./diff.ts";
import { entriesPage } from "./docs.ts";
import { resolveEntriesSpec } from "./resolve.ts";
import { elaborateEntries } from "../../elaborate/entries.ts";

/** Page-table entry formats per level, flag packing and conversions. */
export const entriesKind: KindPlugin<EntriesSpec, ElabEntriesSpec> = {
  kind: "entries",
  schema: "entries.schema.json",
  reaches: ["TypeScript", "C"],
  resolve: resolveEntriesSpec,
  shapes: (s) => s.levels.flatMap((l) => l.formats),
  elaborate: elaborateEntries,
  check: (model, _lookup, d) => checkEntries(model, d),
  diff: diffEntries,
  docsPage: entriesPage,
};
