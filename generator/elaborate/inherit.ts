import type { ElabDeviceSpec, ElabRegistersSpec, ElabShape, Inheritance } from "./model.ts";
import { namespaceIdent } from "./names/ts.ts";

type BlockSpec = ElabRegistersSpec | ElabDeviceSpec;

/** Keys that say where or how an item is written, not what it is. */
const ignoredKey = (k: string) => k === "loc" || k.endsWith("Loc") || k === "qname" || k === "spec" || k === "ids";

/**
 * Structural equality of two model values, an overlay's against its base's: positions and the
 * item's own qualified name aside, and the overlay's namespace read as the base's wherever a
 * value names an item of its own spec (`arm.uart0.pl011_int` is `arm.pl011.pl011_int`).
 */
export function sameStructure(a: unknown, b: unknown, own: string, base: string): boolean {
  if (typeof a === "string" && typeof b === "string") return (a.startsWith(`${own}.`) ? base + a.slice(own.length) : a) === b;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map || b instanceof Map) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameStructure(x, (b as unknown[])[i], own, base));
  const ka = Object.keys(a).filter((k) => !ignoredKey(k) && (a as Record<string, unknown>)[k] !== undefined).sort();
  const kb = Object.keys(b).filter((k) => !ignoredKey(k) && (b as Record<string, unknown>)[k] !== undefined).sort();
  if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
  return ka.every((k) => sameStructure((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], own, base));
}

const shapesOf = (s: BlockSpec): ElabShape[] => [...s.layouts, ...s.registers] as ElabShape[];

/**
 * What an overlay of a registers or device spec shares with its base, computed once so every back
 * end prints the same split: a layout or register is inherited when it equals the base's item of
 * that name and every layout of this spec it nests is inherited too. Inherited shapes take the
 * base's identifiers (they are the base's items: its header and module define them); the others
 * are the overlay's own and their C identifiers move into the overlay's namespace
 * (`arm_vexpress_uart0_dr`), since C has one namespace and the base's header defines the plain ones.
 */
export function inherit(spec: BlockSpec, base: BlockSpec): Inheritance {
  const own = spec.name;
  const baseShapes = new Map(shapesOf(base).map((s) => [s.name, s]));
  const candidates = new Map<string, ElabShape>();
  for (const s of shapesOf(spec)) {
    const b = baseShapes.get(s.name);
    if (b && b.role === s.role && sameStructure(strip(s), strip(b), own, base.name)) candidates.set(s.qname, s);
  }
  // A shape nesting a layout of this spec that changed has changed too.
  let changed = true;
  while (changed) {
    changed = false;
    for (const [q, s] of candidates) {
      if (s.fields.some((f) => f.layout !== undefined && f.layout.startsWith(`${own}.`) && !candidates.has(f.layout))) {
        candidates.delete(q);
        changed = true;
      }
    }
  }
  const inherited = new Set<string>();
  const ns = namespaceIdent(own);
  for (const s of shapesOf(spec)) {
    if (candidates.has(s.qname)) {
      inherited.add(s.name);
      s.ids = { ...baseShapes.get(s.name)!.ids };
    } else {
      const cTag = `${ns}_${s.ids.cTag}`;
      s.ids = { ...s.ids, cTag, cPrefix: cTag.toUpperCase() };
    }
  }
  const names = new Set(shapesOf(spec).map((s) => s.name));
  const removed = shapesOf(base)
    .filter((s) => !names.has(s.name))
    .map((s) => s.name);
  const rest = (s: BlockSpec) =>
    s.kind === "device"
      ? { block: s.block, hooks: s.hooks, interrupts: s.interrupts, constants: s.constants }
      : { space: s.space, groups: s.groups, asserts: s.asserts };
  const sameRest = sameStructure(rest(spec), rest(base), own, base.name);
  const all = shapesOf(spec);
  return {
    base: base.name,
    baseRel: base.rel,
    inherited,
    own: all.filter((s) => !inherited.has(s.name)).map((s) => s.name),
    removed,
    sameBehaviour: sameRest && removed.length === 0 && all.every((s) => inherited.has(s.name)),
    sameRest,
  };
}

/** The resolved part of a shape: derived facts follow from it, and its identifiers are assigned here. */
function strip(s: ElabShape): Record<string, unknown> {
  const { ids: _ids, ...rest } = s as ElabShape & Record<string, unknown>;
  return rest;
}
