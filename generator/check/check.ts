import type { Diagnostics } from "../diagnostics.ts";
import { KIND_PLUGINS } from "../kinds/index.ts";
import type { Front } from "../pipeline.ts";

/** Semantic checks over the whole elaborated model; each kind contributes its own. */
export function checkModel({ model, lookup }: Front, d: Diagnostics): void {
  for (const plugin of Object.values(KIND_PLUGINS)) plugin.check(model, lookup, d);
}
