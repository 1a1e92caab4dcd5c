import type { SpecSource } from "../load/source.ts";
import { summaryOf } from "./summary.ts";

/**
 * For every spec file (by `rel`), the spec files whose text its output may depend on: itself and,
 * transitively, every spec it names. A spec reaches another only by name (an overlay's `extends`,
 * a field's qualified `layout`), so a spec "names" another when its text holds that spec's name as
 * a whole string value (`"arm.pl011"`) or as the namespace of one (`"x86.cr.cr0_bits"`), wherever
 * in the document: reading every value rather than the two known properties over-approximates, and
 * a false dependency costs one cache miss where a missed one would serve stale output. A doc that
 * mentions a name inside a sentence is not a reference (the schemas take names only as whole values).
 */
const memo = new WeakMap<readonly SpecSource[], Map<string, string[]>>();

/** The front end's groups and the emit cache's keys ask for the same tree's references in one run: found once. */
export function specDependencies(sources: readonly SpecSource[]): Map<string, string[]> {
  let found = memo.get(sources);
  if (!found) memo.set(sources, (found = findDependencies(sources)));
  return found;
}

function findDependencies(sources: readonly SpecSource[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const s of sources) {
    const { name } = summaryOf(s);
    if (name) byName.set(name, [...(byName.get(name) ?? []), s.rel]);
  }
  const direct = new Map<string, Set<string>>();
  for (const s of sources) {
    const named = new Set<string>();
    // A reference is a whole value: the name itself or a qualified name under it.
    for (const v of summaryOf(s).refs) for (let cut = v.length; cut > 0; cut = v.lastIndexOf(".", cut - 1)) byName.get(v.slice(0, cut))?.forEach((r) => named.add(r));
    named.delete(s.rel);
    direct.set(s.rel, named);
  }
  const out = new Map<string, string[]>();
  for (const s of sources) {
    const seen = new Set<string>([s.rel]);
    const todo = [s.rel];
    while (todo.length) for (const d of direct.get(todo.pop()!) ?? []) if (!seen.has(d)) (seen.add(d), todo.push(d));
    out.set(s.rel, [...seen].sort());
  }
  return out;
}
