import type { ImportReport } from "../report.ts";
import type { XmlElement } from "./xml.ts";

/** Lists whose members a derived element merges by `<name>` (a derived register replaces or adds registers). */
const MERGED_BY_NAME = new Set(["registers", "fields"]);
/** Repeated children where the derived element's own list replaces the base's. */
const REPEATED = new Set(["addressBlock", "interrupt", "enumeratedValues", "enumeratedValue", "register", "cluster", "field"]);

export const childText = (el: XmlElement, name: string): string | undefined => el.children.find((c) => c.name === name)?.text.trim();

/**
 * The element `derived` makes from `base`: the base's children, with the derived element's own
 * children in place of the same-named ones (merged by `<name>` inside `registers` and `fields`).
 * Inherited children keep their positions in the base, so an error in one points where it is written.
 */
export function deriveElement(base: XmlElement, derived: XmlElement): XmlElement {
  const children: XmlElement[] = [];
  const own = new Map<string, XmlElement[]>();
  for (const c of derived.children) own.set(c.name, [...(own.get(c.name) ?? []), c]);
  const done = new Set<string>();
  for (const c of base.children) {
    const mine = own.get(c.name);
    if (!mine) {
      // An instance's interrupts are its own: the base's lines are not the derived peripheral's.
      if (!(base.name === "peripheral" && c.name === "interrupt")) children.push(c);
      continue;
    }
    if (done.has(c.name)) continue;
    done.add(c.name);
    if (MERGED_BY_NAME.has(c.name)) children.push(mergeByName(c, mine[0]!));
    else children.push(...(REPEATED.has(c.name) ? mine : [mine[0]!]));
  }
  for (const c of derived.children) if (!done.has(c.name) && base.children.every((b) => b.name !== c.name)) children.push(c);
  const attrs = new Map(base.attrs);
  for (const [k, v] of derived.attrs) attrs.set(k, v);
  return { name: derived.name, loc: derived.loc, attrs, children, text: derived.text };
}

/** `el` with other children. Not a spread: an element's `loc` may be a getter, which a spread does not copy. */
const withChildren = (el: XmlElement, children: XmlElement[]): XmlElement => ({ name: el.name, loc: el.loc, attrs: el.attrs, children, text: el.text });

/** `before` itself when `after` holds the same elements. */
function sameOrNew(before: XmlElement[], after: XmlElement[]): XmlElement[] {
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) return after;
  return before;
}

function mergeByName(base: XmlElement, derived: XmlElement): XmlElement {
  const out = [...base.children];
  for (const c of derived.children) {
    const name = childText(c, "name");
    const i = out.findIndex((b) => b.name === c.name && childText(b, "name") === name);
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return withChildren(derived, out);
}

/**
 * Resolves `derivedFrom` on peripherals, clusters, registers and fields, innermost scope first:
 * a plain name is a sibling in the same list, a dotted one (`PERIPH.REG`, `PERIPH.CLUSTER.REG`) is
 * looked up from the peripherals. Cycles and unknown names are located errors. enumeratedValues
 * are resolved later, by the model reader, because their names are looked up by scope.
 */
export function resolveDerived(device: XmlElement, report: ImportReport): XmlElement {
  const peripherals = device.children.find((c) => c.name === "peripherals");
  if (!peripherals) return device;
  // The first element of `list` with one of `tags` and that <name>. Lists are indexed by name on
  // their first lookup: derivedFrom in every register of a long list would otherwise scan it each time.
  const indexes = new WeakMap<XmlElement[], Map<string, XmlElement[]>>();
  const byName = (list: XmlElement[], name: string, tags: string[]) => {
    let index = indexes.get(list);
    if (!index) {
      index = new Map();
      for (const c of list) {
        const n = childText(c, "name");
        if (n === undefined) continue;
        const same = index.get(n);
        if (same) same.push(c);
        else index.set(n, [c]);
      }
      indexes.set(list, index);
    }
    return index.get(name)?.find((c) => tags.includes(c.name));
  };
  const active = new Set<XmlElement>();
  const resolved = new Map<XmlElement, XmlElement>();
  const tagsOf = (tag: string) => (tag === "field" ? ["field"] : tag === "peripheral" ? ["peripheral"] : ["register", "cluster"]);

  const lookupQualified = (path: string[]): XmlElement | undefined => {
    let here: XmlElement | undefined = byName(peripherals.children, path[0]!, ["peripheral"]);
    for (const seg of path.slice(1)) {
      if (!here) return undefined;
      here = resolveOne(here);
      const list = here.name === "peripheral" ? (here.children.find((c) => c.name === "registers")?.children ?? []) : here.name === "register" ? (here.children.find((c) => c.name === "fields")?.children ?? []) : here.children;
      here = byName(list, seg, ["register", "cluster", "field"]);
    }
    return here;
  };

  function resolveOne(el: XmlElement, siblings?: XmlElement[]): XmlElement {
    const done = resolved.get(el);
    if (done) return done;
    let out = el;
    const from = el.attrs.get("derivedFrom");
    if (from) {
      if (active.has(el)) {
        report.error(from.loc, `derivedFrom "${from.value}" makes a cycle`);
        return el;
      }
      active.add(el);
      const path = from.value.split(".");
      const base = path.length === 1 ? byName(siblings ?? [], path[0]!, tagsOf(el.name)) : lookupQualified(path);
      if (!base || base === el) report.error(from.loc, `derivedFrom "${from.value}": no ${el.name} of that name${path.length === 1 ? " in the same scope" : ""}`);
      else if (base.name !== el.name) report.error(from.loc, `derivedFrom "${from.value}" names a ${base.name}, not a ${el.name}`);
      else out = deriveElement(resolveOne(base, path.length === 1 ? siblings : undefined), el);
      active.delete(el);
    }
    // Copied only where something below was derived: most of a large SVD derives nothing.
    const children = resolveChildren(out);
    if (children !== out.children) out = withChildren(out, children);
    resolved.set(el, out);
    return out;
  }

  /** `el`'s children with derivations resolved; the same array when none of them changed. */
  function resolveChildren(el: XmlElement): XmlElement[] {
    const out = el.children.map((c) => {
      if (c.name === "registers" || c.name === "fields") {
        const list = sameOrNew(c.children, c.children.map((x) => resolveOne(x, c.children)));
        return list === c.children ? c : withChildren(c, list);
      }
      if (c.name === "cluster" || c.name === "register") return resolveOne(c, el.children);
      return c;
    });
    return sameOrNew(el.children, out);
  }

  const list = peripherals.children.map((p) => resolveOne(p, peripherals.children));
  return withChildren(device, device.children.map((c) => (c === peripherals ? withChildren(peripherals, list) : c)));
}
