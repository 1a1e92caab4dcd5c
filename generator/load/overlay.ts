import { childPointer, type Diagnostics, type Loc } from "../diagnostics.ts";
import { didYouMean } from "../suggest.ts";
import { validateAgainst } from "../validate/validate.ts";
import type { SpecSource } from "./source.ts";

/**
 * Overlays: a spec that `extends` another spec of the tree and changes it by name. They are
 * applied here, between parsing and validation, so every later stage sees one ordinary spec per
 * file; the merged spec keeps the position of every value in the file it came from, so a
 * diagnostic about an inherited register points into the base and one about a changed step
 * points into the overlay.
 */

interface Origin {
  src: Pick<SpecSource, "at" | "keyAt">;
  ptr: string;
}

interface Op {
  op: "add" | "replace" | "merge" | "remove";
  path: string;
  value?: unknown;
  before?: string;
  after?: string;
}

interface OverlayJson {
  kind: string;
  name: string;
  doc: string;
  source?: string;
  extends: string;
  overlay: Op[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);
const isNode = (v: unknown): v is object => !!v && typeof v === "object";

/** Positions of a merged document: objects and arrays carry their origin, replaced members theirs. */
class Origins {
  readonly nodes = new WeakMap<object, Origin>();
  readonly members = new WeakMap<object, Map<string, Origin>>();

  setMember(parent: object, key: string, o: Origin): void {
    let m = this.members.get(parent);
    if (!m) this.members.set(parent, (m = new Map()));
    m.set(key, o);
  }

  /** Deep copy of `value`, every node remembering where it was written. */
  clone(value: unknown, origin: (node: object, ptr: string) => Origin, ptr = ""): unknown {
    if (!isNode(value)) return value;
    const out: unknown = Array.isArray(value)
      ? value.map((v, i) => this.clone(v, origin, childPointer(ptr, i)))
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.clone(v, origin, childPointer(ptr, k))]));
    this.nodes.set(out as object, origin(value, ptr));
    return out;
  }

  locate(root: unknown, pointer: string, key: boolean): Loc {
    const segs = pointer === "" ? [] : pointer.slice(1).split("/");
    let node: unknown = root;
    let origin = this.nodes.get(root as object)!;
    let rest: string[] = [];
    for (const raw of segs) {
      const seg = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      const member = isNode(node) ? this.members.get(node)?.get(seg) : undefined;
      const child = isNode(node) ? (node as Obj)[seg] : undefined;
      if (member) {
        origin = member;
        rest = [];
      } else if (isNode(child) && this.nodes.has(child)) {
        origin = this.nodes.get(child)!;
        rest = [];
      } else rest.push(seg);
      node = child;
    }
    const ptr = rest.reduce((p, s) => childPointer(p, s), origin.ptr);
    return key ? origin.src.keyAt(ptr) : origin.src.at(ptr);
  }
}

/** A merged spec: the overlay's file and name, the base's content as changed. */
export interface OverlaySource extends SpecSource {
  extends: { name: string; loc: Loc };
  /** Internal: origins of the merged document, for overlays of this overlay. */
  origins: Origins;
}

/** Replaces every overlay in `sources` by the spec it makes; drops overlays that cannot be applied (reported). */
export function applyOverlays(sources: SpecSource[], d: Diagnostics): SpecSource[] {
  const isOverlay = (s: SpecSource) => isObj(s.json) && "extends" in s.json;
  if (!sources.some(isOverlay)) return sources;
  const byName = new Map<string, SpecSource>();
  for (const s of sources) if (isObj(s.json) && typeof s.json.name === "string" && !byName.has(s.json.name)) byName.set(s.json.name, s);
  const merged = new Map<SpecSource, SpecSource | null>();
  const visiting = new Set<SpecSource>();

  const resolve = (s: SpecSource): SpecSource | null => {
    if (!isOverlay(s)) return s;
    const done = merged.get(s);
    if (done !== undefined) return done;
    if (visiting.has(s)) {
      d.error(s.at("/extends"), `overlay ${String((s.json as Obj).name)} extends itself through ${[...visiting].map((v) => String((v.json as Obj).name)).join(" → ")}; overlays cannot form a cycle`);
      merged.set(s, null);
      return null;
    }
    if (!validateAgainst(s, "overlay", d)) return void merged.set(s, null), null;
    const json = s.json as OverlayJson;
    const baseSrc = byName.get(json.extends);
    if (!baseSrc) {
      d.error(s.at("/extends"), `overlay ${json.name} extends unknown spec "${json.extends}"${didYouMean(json.extends, [...byName.keys()])}; the base must be a spec of the same tree`);
      return void merged.set(s, null), null;
    }
    visiting.add(s);
    const base = resolve(baseSrc);
    visiting.delete(s);
    const out = base ? apply(s, json, base, d) : null;
    merged.set(s, out);
    return out;
  };

  const out: SpecSource[] = [];
  for (const s of sources) {
    const r = resolve(s);
    if (r) out.push(r);
  }
  return out;
}

function apply(src: SpecSource, json: OverlayJson, base: SpecSource, d: Diagnostics): SpecSource | null {
  const baseJson = base.json as Obj;
  if (baseJson.kind !== json.kind) {
    d.error(src.at("/kind"), `overlay ${json.name} says kind "${json.kind}" but its base ${json.extends} is a ${String(baseJson.kind)} spec`);
    return null;
  }
  const origins = new Origins();
  const baseOrigins = (base as Partial<OverlaySource>).origins;
  const fromBase = (node: object, ptr: string): Origin => baseOrigins?.nodes.get(node) ?? { src: base, ptr };
  const root = origins.clone(baseJson, fromBase) as Obj;
  // Members of the base that an overlay of an overlay inherits keep their positions too.
  if (baseOrigins) copyMemberOrigins(baseJson, root, baseOrigins, origins);
  const before = d.count;
  json.overlay.forEach((op, i) => applyOp(root, op, childPointer("/overlay", i), src, origins, d));
  if (d.count > before) return null;
  root.name = json.name;
  root.doc = json.doc;
  if (json.source !== undefined) root.source = json.source;
  for (const k of ["name", "doc", "kind", "$schema", ...(json.source !== undefined ? ["source"] : [])]) origins.setMember(root, k, { src, ptr: `/${k}` });
  const at = (ptr: string) => origins.locate(root, ptr, false);
  const keyAt = (ptr: string) => origins.locate(root, ptr, true);
  const merged: OverlaySource = { file: src.file, rel: src.rel, text: src.text, json: root, at, keyAt, extends: { name: json.extends, loc: src.at("/extends") }, origins };
  return merged;
}

function copyMemberOrigins(from: unknown, to: unknown, src: Origins, dst: Origins): void {
  if (!isNode(from) || !isNode(to)) return;
  const m = src.members.get(from);
  if (m) for (const [k, o] of m) dst.setMember(to, k, o);
  for (const [k, v] of Object.entries(from)) copyMemberOrigins(v, (to as Obj)[k], src, dst);
}

const nameOf = (item: unknown): string | undefined => {
  if (!isObj(item)) return undefined;
  const n = item.label ?? item.name;
  return typeof n === "string" ? n : undefined;
};

/** The index of the item a segment names in a list: by label/name, else by position. */
function indexIn(list: unknown[], seg: string): number {
  const named = list.findIndex((x) => nameOf(x) === seg);
  if (named >= 0) return named;
  return /^(0|[1-9][0-9]*)$/.test(seg) && Number(seg) < list.length && nameOf(list[Number(seg)]) === undefined ? Number(seg) : -1;
}

const describeList = (list: unknown[]) => {
  const names = list.map(nameOf).filter((x): x is string => x !== undefined);
  return names.length ? names : list.map((_, i) => String(i));
};

function applyOp(root: Obj, op: Op, ptr: string, src: SpecSource, origins: Origins, d: Diagnostics): void {
  const where = src.at(`${ptr}/path`);
  const segs = op.path.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = segs.pop()!;
  let parent: unknown = root;
  const walked: string[] = [];
  for (const seg of segs) {
    const next = child(parent, seg);
    if (next === undefined) {
      d.error(where, `overlay ${op.op} ${op.path}: ${missing(parent, seg, walked)}`);
      return;
    }
    parent = next;
    walked.push(seg);
  }
  if (!isNode(parent)) {
    d.error(where, `overlay ${op.op} ${op.path}: /${walked.join("/")} is a value, not an object or list, so it has no member "${last}"`);
    return;
  }
  const valueOrigin = (): Origin => ({ src, ptr: `${ptr}/value` });
  const fresh = () => origins.clone(op.value, (_n, p) => ({ src, ptr: `${ptr}/value${p}` }));
  const needValue = op.op !== "remove";
  if (needValue && op.value === undefined) {
    d.error(src.at(ptr), `overlay ${op.op} ${op.path} needs a "value"`);
    return;
  }
  if (op.op !== "add" && (op.before !== undefined || op.after !== undefined)) {
    d.error(src.at(op.before !== undefined ? `${ptr}/before` : `${ptr}/after`), `"before" and "after" place an added list item; a ${op.op} keeps the item where it is`);
    return;
  }
  if (Array.isArray(parent)) {
    const i = indexIn(parent, last);
    if (op.op === "add") {
      if (i >= 0) return void d.error(where, `overlay add ${op.path}: "${last}" already exists in /${walked.join("/")}; use replace or merge to change it`);
      const v = fresh();
      if (nameOf(v) !== undefined && nameOf(v) !== last) {
        return void d.error(src.at(`${ptr}/value`), `overlay add ${op.path}: the new item is named "${nameOf(v)}", not "${last}"`);
      }
      let at = parent.length;
      for (const [key, anchor, offset] of [["before", op.before, 0], ["after", op.after, 1]] as const) {
        if (anchor === undefined) continue;
        const j = parent.findIndex((x) => nameOf(x) === anchor);
        if (j < 0) return void d.error(src.at(`${ptr}/${key}`), `overlay add ${op.path}: no item "${anchor}" in /${walked.join("/")}${didYouMean(anchor, describeList(parent))}`);
        at = j + offset;
      }
      parent.splice(at, 0, v);
      return;
    }
    if (i < 0) return void d.error(where, `overlay ${op.op} ${op.path}: ${missing(parent, last, walked)}`);
    if (op.op === "remove") parent.splice(i, 1);
    else if (op.op === "replace") parent[i] = fresh();
    else mergeInto(parent[i], op, ptr, src, origins, where, d);
    return;
  }
  const obj = parent as Obj;
  const exists = Object.prototype.hasOwnProperty.call(obj, last);
  if (op.op === "add") {
    if (exists) return void d.error(where, `overlay add ${op.path}: "${last}" already exists in /${walked.join("/")}; use replace or merge to change it`);
    obj[last] = fresh();
    origins.setMember(obj, last, valueOrigin());
    return;
  }
  if (!exists) return void d.error(where, `overlay ${op.op} ${op.path}: ${missing(obj, last, walked)}`);
  if (op.op === "remove") delete obj[last];
  else if (op.op === "replace") {
    obj[last] = fresh();
    origins.setMember(obj, last, valueOrigin());
  } else mergeInto(obj[last], op, ptr, src, origins, where, d);
}

function mergeInto(target: unknown, op: Op, ptr: string, src: SpecSource, origins: Origins, where: Loc, d: Diagnostics): void {
  if (!isObj(target) || !isObj(op.value)) {
    d.error(where, `overlay merge ${op.path}: merge combines two objects${isObj(target) ? ', and "value" is not one' : ", and the target is not one"}; use replace`);
    return;
  }
  for (const [k, v] of Object.entries(op.value)) {
    target[k] = origins.clone(v, (_n, p) => ({ src, ptr: `${ptr}/value${childPointer("", k)}${p}` }));
    origins.setMember(target, k, { src, ptr: `${ptr}/value${childPointer("", k)}` });
  }
}

function child(node: unknown, seg: string): unknown {
  if (Array.isArray(node)) {
    const i = indexIn(node, seg);
    return i >= 0 ? node[i] : undefined;
  }
  if (isObj(node) && Object.prototype.hasOwnProperty.call(node, seg)) return node[seg];
  return undefined;
}

function missing(node: unknown, seg: string, walked: string[]): string {
  const at = walked.length ? `/${walked.join("/")}` : "the base";
  if (Array.isArray(node)) return `no item "${seg}" in ${at}${didYouMean(seg, describeList(node))}`;
  if (isObj(node)) return `no member "${seg}" in ${at}${didYouMean(seg, Object.keys(node))}`;
  return `${at} is a value, not an object or list`;
}
