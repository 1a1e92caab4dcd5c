import type { ElabSpec } from "../elaborate/model.ts";

export type Severity = "breaking" | "compatible";

/** One difference between two resolved models. Pure data; sorted before anyone sees it. */
export interface Change {
  /** Namespace of the spec the change belongs to, e.g. "x86.vmx". */
  spec: string;
  /** What changed, qualified: "register IA32_VMX_BASIC", "layout cr0_bits", "machine dpci". */
  subject: string;
  /** Field path, step name, ... inside the subject ("" for the subject itself). */
  path: string;
  /** Short machine-readable change name: "added", "removed", "moved", "resized", "renamed", "reset", ... */
  change: string;
  severity: Severity;
  /** Why it is breaking or compatible, in words a reviewer can check. */
  reason: string;
  old?: string;
  new?: string;
}

/** A per-kind differ: both specs have the same kind and namespace. */
export type KindDiffer = (oldSpec: ElabSpec, newSpec: ElabSpec) => Change[];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareChanges(a: Change, b: Change): number {
  return (
    cmp(a.spec, b.spec) ||
    cmp(a.subject, b.subject) ||
    cmp(a.path, b.path) ||
    cmp(a.change, b.change) ||
    cmp(a.old ?? "", b.old ?? "") ||
    cmp(a.new ?? "", b.new ?? "")
  );
}

/** Collects changes for one spec with the namespace filled in. */
export class ChangeList {
  readonly items: Change[] = [];
  constructor(readonly spec: string) {}

  add(subject: string, path: string, change: string, severity: Severity, reason: string, oldValue?: string, newValue?: string): void {
    this.items.push({
      spec: this.spec,
      subject,
      path,
      change,
      severity,
      reason,
      ...(oldValue !== undefined ? { old: oldValue } : {}),
      ...(newValue !== undefined ? { new: newValue } : {}),
    });
  }
}

/** Matches two lists by key; returns pairs present in both plus the leftovers of each side, in key order. */
export function matchBy<T>(oldItems: readonly T[], newItems: readonly T[], key: (t: T) => string) {
  const o = new Map(oldItems.map((t) => [key(t), t]));
  const n = new Map(newItems.map((t) => [key(t), t]));
  const both: [T, T][] = [];
  const removed: T[] = [];
  const added: T[] = [];
  for (const k of [...o.keys()].sort(cmp)) {
    const nv = n.get(k);
    if (nv) both.push([o.get(k)!, nv]);
    else removed.push(o.get(k)!);
  }
  for (const k of [...n.keys()].sort(cmp)) if (!o.has(k)) added.push(n.get(k)!);
  return { both, removed, added };
}
