import type { SpecSource } from "../load/source.ts";

/**
 * For every spec file (by `rel`), the spec files whose text its output may depend on: itself and,
 * transitively, every spec it names. A spec reaches another only by name (an overlay's `extends`,
 * a field's qualified `layout`), so a spec "names" another when its text holds that spec's name as
 * a whole string (`"arm.pl011"`) or as the namespace of a qualified name (`"x86.cr.cr0_bits"`).
 * Reading the text rather than the model over-approximates (a doc string quoting a name counts
 * too): a false dependency costs one cache miss, a missed one would serve stale output.
 */
export function specDependencies(sources: readonly SpecSource[]): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const s of sources) {
    const name = (s.json as { name?: unknown } | null)?.name;
    if (typeof name === "string") byName.set(name, [...(byName.get(name) ?? []), s.rel]);
  }
  const direct = new Map<string, Set<string>>();
  for (const s of sources) {
    const named = new Set<string>();
    const add = (name: string) => byName.get(name)?.forEach((r) => named.add(r));
    // A dotted word anywhere (a key, a string, inside an expression) names every spec whose name is one of its prefixes.
    const words = new Set(s.text.match(/[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g) ?? []);
    for (const w of words) for (let cut = w.length; cut > 0; cut = w.lastIndexOf(".", cut - 1)) add(w.slice(0, cut));
    // A spec name without a dot is named only as a whole string.
    for (const name of byName.keys()) if (!name.includes(".") && s.text.includes(`"${name}"`)) add(name);
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
