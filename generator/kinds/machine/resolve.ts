import { childPointer, type Diagnostics } from "../../diagnostics.ts";
import { parseEffects } from "../../expr/index.ts";
import type { SpecSource } from "../../load/source.ts";
import type {
  Context,
  EffectsLike,
  MachineCondition,
  MachineLiveness,
  MachineProcess,
  MachineSpec,
  MachineStep,
  MachineVar,
} from "../../model/index.ts";
import { offsetLoc, resolveExpr } from "../../resolve/expr.ts";
import { specBase } from "../../resolve/spec-base.ts";

/* Shapes of the (schema-valid) JSON; kept local so resolve does not depend on generated types being fresh. */
interface VarJson {
  type: "bool" | "int" | "bits" | "enum";
  min?: number;
  max?: number;
  bits?: string[];
  enum?: string;
  init?: boolean | number | string;
  per_cpu?: boolean;
  readonly?: boolean;
  doc?: string;
}
interface StepJson {
  label: string;
  doc?: string;
  params?: Record<string, { type: "bool" | "int"; min?: number; max?: number }>;
  guard?: string;
  effects?: string;
  assert?: Record<string, string>;
  bug_if?: string;
  branches?: { if: string; goto: string }[];
  goto?: string;
  rest?: boolean;
}
interface ProcessJson {
  doc?: string;
  context?: Context;
  instances?: number;
  cpus?: number[];
  locals?: Record<string, VarJson>;
  steps: StepJson[];
}
type CondJson = string | { expr: string; doc?: string };
interface Json {
  name: string;
  doc: string;
  source?: string;
  cpus?: number;
  constants?: Record<string, number>;
  enums?: Record<string, string[]>;
  vars?: Record<string, VarJson>;
  locks?: Record<string, string>;
  processes?: Record<string, ProcessJson>;
  actor?: string;
  events?: Record<string, Omit<StepJson, "label" | "branches" | "goto" | "rest">>;
  invariants?: Record<string, CondJson>;
  end?: Record<string, CondJson>;
  liveness?: Record<string, { eventually?: string; when?: string; leads_to?: string; fair?: string[]; doc?: string }>;
  functions?: Record<string, { expr: string; doc?: string; params?: Record<string, "bool"> }>;
  symmetry?: { processes?: string[]; cpus?: number[] };
}

/** JSON (already schema-valid) to model. Names and types are checked later, by check/machine. */
export function resolveMachineSpec(src: SpecSource, d: Diagnostics): MachineSpec {
  const json = src.json as Json;
  const enums = Object.entries(json.enums ?? {}).map(([name, members]) => ({
    name,
    members: [...members],
    loc: src.keyAt(childPointer("/enums", name)),
    memberLocs: members.map((_, i) => src.at(childPointer(childPointer("/enums", name), i))),
  }));
  const resolveVar = (name: string, v: VarJson, ptr: string): MachineVar => {
    const min = v.type === "int" ? (v.min ?? 0) : 0;
    let max: number | undefined;
    if (v.type === "bool") max = 1;
    else if (v.type === "int") max = v.max;
    else if (v.type === "bits") max = (1 << (v.bits?.length ?? 0)) - 1;
    else max = Math.max(0, (enums.find((e) => e.name === v.enum)?.members.length ?? 1) - 1);
    let init = min;
    if (typeof v.init === "boolean") init = v.init ? 1 : 0;
    else if (typeof v.init === "number") init = v.init;
    else if (typeof v.init === "string") {
      const e = enums.find((x) => x.name === v.enum);
      const i = e ? e.members.indexOf(v.init) : -1;
      if (i < 0) d.error(src.at(`${ptr}/init`), `initial value "${v.init}" is not a member of enum ${v.enum ?? "(none)"}`);
      init = Math.max(0, i);
    }
    if (typeof v.init === "boolean" && v.type !== "bool") d.error(src.at(`${ptr}/init`), `initial value of ${v.type} variable "${name}" must not be a boolean`);
    if (typeof v.init === "string" && v.type !== "enum") d.error(src.at(`${ptr}/init`), `only enum variables take a member name as initial value`);
    if (v.type === "bits" && !v.bits) d.error(src.keyAt(ptr), `bits variable "${name}" needs "bits"`);
    if (v.type === "enum" && !v.enum) d.error(src.keyAt(ptr), `enum variable "${name}" needs "enum"`);
    return {
      name,
      type: v.type,
      min,
      max,
      bits: [...(v.bits ?? [])],
      bitLocs: (v.bits ?? []).map((_, i) => src.at(`${ptr}/bits/${i}`)),
      ...(v.enum ? { enumName: v.enum } : {}),
      init,
      perCpu: v.per_cpu ?? false,
      readonly: v.readonly ?? false,
      doc: v.doc ?? "",
      loc: src.keyAt(ptr),
    };
  };
  const vars = Object.entries(json.vars ?? {}).map(([n, v]) => resolveVar(n, v, childPointer("/vars", n)));
  if ((json.processes === undefined) === (json.events === undefined)) {
    d.error(json.events !== undefined ? src.keyAt("/events") : src.at("/name"), `a machine has either "processes" or "events" (a single-actor event machine), ${json.events !== undefined ? "not both" : "none given"}`);
  }
  const processes: MachineProcess[] = Object.entries(json.processes ?? {}).map(([name, p]) => {
    const ptr = childPointer("/processes", name);
    const locals = Object.entries(p.locals ?? {}).map(([n, v]) => resolveVar(n, v, childPointer(`${ptr}/locals`, n)));
    const steps = p.steps.map((s, i) => resolveStep(s, childPointer(`${ptr}/steps`, i), src, d));
    return {
      name,
      doc: p.doc ?? "",
      context: p.context ?? "process",
      instances: p.instances ?? 1,
      cpus: [...(p.cpus ?? [0])],
      locals,
      steps,
      loc: src.keyAt(ptr),
    };
  });
  if (json.events !== undefined && json.processes === undefined) {
    // The actor of an event machine: one instance whose every step is an always-offered event.
    const steps = Object.entries(json.events).map(([label, e]) => ({ ...resolveStep({ ...e, label }, childPointer("/events", label), src, d), rest: true, loc: src.keyAt(childPointer("/events", label)) }));
    processes.push({ name: json.actor ?? "actor", doc: json.doc, context: "process", instances: 1, cpus: [0], locals: [], steps, events: true, loc: json.actor !== undefined ? src.at("/actor") : src.keyAt("/events") });
  }
  const conds = (obj: Record<string, CondJson> | undefined, base: string): MachineCondition[] => {
    const out: MachineCondition[] = [];
    for (const [name, c] of Object.entries(obj ?? {})) {
      const ptr = childPointer(base, name);
      const text = typeof c === "string" ? c : c.expr;
      const expr = resolveExpr(text, src.at(typeof c === "string" ? ptr : `${ptr}/expr`), d);
      if (expr) out.push({ name, expr, doc: typeof c === "string" ? "" : (c.doc ?? ""), loc: src.keyAt(ptr) });
    }
    return out;
  };
  const liveness: MachineLiveness[] = [];
  for (const [name, l] of Object.entries(json.liveness ?? {})) {
    const ptr = childPointer("/liveness", name);
    if (l.eventually !== undefined ? l.when !== undefined || l.leads_to !== undefined : l.when === undefined || l.leads_to === undefined) {
      d.error(src.keyAt(ptr), `liveness property "${name}" needs either "eventually", or "when" and "leads_to"`);
      continue;
    }
    const goalText = l.eventually ?? l.leads_to!;
    const goal = resolveExpr(goalText, src.at(`${ptr}/${l.eventually !== undefined ? "eventually" : "leads_to"}`), d);
    const when = l.when === undefined ? undefined : resolveExpr(l.when, src.at(`${ptr}/when`), d);
    if (!goal || (l.when !== undefined && !when)) continue;
    liveness.push({
      name,
      kind: when ? "leads_to" : "eventually",
      ...(when ? { when } : {}),
      goal,
      ...(l.fair ? { fair: l.fair.map((p, i) => ({ name: p, loc: src.at(`${ptr}/fair/${i}`) })) } : {}),
      doc: l.doc ?? "",
      loc: src.keyAt(ptr),
    });
  }
  const functions = [];
  for (const [name, f] of Object.entries(json.functions ?? {})) {
    const ptr = childPointer("/functions", name);
    const expr = resolveExpr(f.expr, src.at(`${ptr}/expr`), d);
    if (expr) functions.push({ name, expr, doc: f.doc ?? "", params: Object.keys(f.params ?? {}), loc: src.keyAt(ptr) });
  }
  return {
    ...specBase("machine", json, src),
    cpus: json.cpus ?? 1,
    constants: Object.entries(json.constants ?? {}).map(([name, value]) => ({ name, value, loc: src.keyAt(childPointer("/constants", name)) })),
    enums,
    vars,
    locks: Object.entries(json.locks ?? {}).map(([name, doc]) => ({ name, doc, loc: src.keyAt(childPointer("/locks", name)) })),
    processes,
    invariants: conds(json.invariants, "/invariants"),
    ends: conds(json.end, "/end"),
    liveness,
    functions,
    ...(json.symmetry
      ? {
          symmetry: {
            processes: (json.symmetry.processes ?? []).map((name, i) => ({ name, loc: src.at(`/symmetry/processes/${i}`) })),
            cpus: [...(json.symmetry.cpus ?? [])],
            ...(json.symmetry.cpus ? { cpusLoc: src.at("/symmetry/cpus") } : {}),
            loc: src.keyAt("/symmetry"),
          },
        }
      : {}),
  };
}

function resolveStep(s: StepJson, ptr: string, src: SpecSource, d: Diagnostics): MachineStep {
  const expr = (text: string | undefined, p: string) => (text === undefined ? undefined : resolveExpr(text, src.at(p), d));
  let effects: EffectsLike | undefined;
  if (s.effects !== undefined) {
    const loc = src.at(`${ptr}/effects`);
    const r = parseEffects(s.effects);
    if (!r.ok) d.error(offsetLoc(loc, r.error.offset), `effects: ${r.error.message}`);
    else effects = { text: s.effects, stmts: r.stmts, loc };
  }
  const guard = expr(s.guard, `${ptr}/guard`);
  const bugIf = expr(s.bug_if, `${ptr}/bug_if`);
  const asserts = [];
  for (const [name, text] of Object.entries(s.assert ?? {})) {
    const e = expr(text, childPointer(`${ptr}/assert`, name));
    if (e) asserts.push({ name, expr: e, loc: src.keyAt(childPointer(`${ptr}/assert`, name)) });
  }
  const branches = [];
  for (const [i, b] of (s.branches ?? []).entries()) {
    const cond = expr(b.if, `${ptr}/branches/${i}/if`);
    if (cond) branches.push({ cond, goto: b.goto, loc: src.at(`${ptr}/branches/${i}/goto`) });
  }
  return {
    label: s.label,
    doc: s.doc ?? "",
    params: Object.entries(s.params ?? {}).map(([name, p]) => ({
      name,
      type: p.type,
      min: p.type === "bool" ? 0 : (p.min ?? 0),
      max: p.type === "bool" ? 1 : (p.max ?? 0),
      loc: src.keyAt(childPointer(`${ptr}/params`, name)),
    })),
    ...(guard ? { guard } : {}),
    ...(effects ? { effects } : {}),
    asserts,
    ...(bugIf ? { bugIf } : {}),
    branches,
    ...(s.goto !== undefined ? { goto: { label: s.goto, loc: src.at(`${ptr}/goto`) } } : {}),
    rest: s.rest ?? false,
    loc: src.at(`${ptr}/label`),
  };
}
