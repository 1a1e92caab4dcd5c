import type { ElabModel, ElabSpec } from "../elaborate/model.ts";
import { pluginOf } from "../kinds/index.ts";
import { compareChanges, matchBy, type Change } from "./types.ts";

export type { Change, Severity } from "./types.ts";

export interface DiffResult {
  changes: Change[];
  breaking: number;
  compatible: number;
}

/** Compares two resolved models; the result is sorted and depends only on the models. */
export function diffModels(oldModel: ElabModel, newModel: ElabModel): DiffResult {
  const changes: Change[] = [];
  const m = matchBy(oldModel.specs, newModel.specs, (s) => s.name);
  for (const s of m.removed) changes.push(specChange(s, "removed"));
  for (const s of m.added) changes.push(specChange(s, "added"));
  for (const [a, b] of m.both) {
    if (a.kind !== b.kind) {
      changes.push({ spec: b.name, subject: `spec ${b.name}`, path: "", change: "kind", severity: "breaking", reason: "the spec describes a different kind of thing", old: a.kind, new: b.kind });
      continue;
    }
    const differ = pluginOf(b.kind)?.diff;
    if (differ) changes.push(...differ(a, b));
    else {
      changes.push({
        spec: b.name,
        subject: `spec ${b.name}`,
        path: "",
        change: "unsupported",
        severity: "compatible",
        reason: `hwspec diff has no differ for kind "${b.kind}" yet; only presence was compared`,
      });
    }
  }
  changes.sort(compareChanges);
  const breaking = changes.filter((c) => c.severity === "breaking").length;
  return { changes, breaking, compatible: changes.length - breaking };
}

function specChange(s: ElabSpec, change: "added" | "removed"): Change {
  return {
    spec: s.name,
    subject: `spec ${s.name}`,
    path: "",
    change,
    severity: change === "added" ? "compatible" : "breaking",
    reason: change === "added" ? `new ${s.kind} spec; nothing existing refers to it` : `the whole ${s.kind} spec is gone: code generated from it no longer exists`,
    ...(change === "added" ? { new: `specs/${s.rel}` } : { old: `specs/${s.rel}` }),
  };
}
