import type { AssignStmt, CallExpr, Expr, Span, Stmt } from "../../expr/index.ts";
import type { MachineSpec, MachineStep } from "../../model/index.ts";
import { globalSlots, type GlobalSlot } from "../../model/machine-names.ts";

/** Side-effecting primitives of machine effects; each is lowered to plain assignments. */
export const PRIMITIVES = ["test_and_set_bit", "test_and_clear_bit", "set_bit", "clear_bit", "cmpxchg", "lock", "unlock"] as const;
export type Primitive = (typeof PRIMITIVES)[number];
export const isPrimitive = (fn: string): fn is Primitive => (PRIMITIVES as readonly string[]).includes(fn);

/** The reserved ref a lowered `lock()` stores: the running instance's number plus one. */
export const ME = "$me";

/** A step after lowering: locks it takes (an implicit guard), locks it must hold, and plain statements. */
export interface LoweredStep {
  takes: string[];
  releases: string[];
  stmts: AssignStmt[];
}

const num = (value: number, span: Span): Expr => ({ k: "num", value: BigInt(value), span });
const ref = (path: string[], span: Span): Expr => ({ k: "ref", path, span });
const bin = (op: "|" | "&" | "<<" | ">>" | "==" | "!=", left: Expr, right: Expr, span: Span): Expr => ({ k: "binary", op, left, right, span });
const assign = (target: string[], value: Expr, span: Span): AssignStmt => ({ k: "assign", target, op: "=", value, span });

/** The variable a primitive writes (its `v` argument), when it is a plain name. */
export function primitiveTarget(call: CallExpr): string[] | undefined {
  const arg = call.fn === "cmpxchg" || call.fn === "lock" || call.fn === "unlock" ? call.args[0] : call.args[1];
  return arg?.k === "ref" ? arg.path : undefined;
}

/**
 * Lowers primitives to plain statements. A primitive the checker will refuse (wrong arity, `v` not a
 * name) is left out rather than guessed at, so lowering is total on any resolved machine.
 */
function lowerStmts(stmts: readonly Stmt[]): LoweredStep {
  const out: LoweredStep = { takes: [], releases: [], stmts: [] };
  for (const s of stmts) {
    const call = s.k === "callstmt" ? s.call : s.value.k === "call" && isPrimitive(s.value.fn) ? s.value : undefined;
    if (!call || !isPrimitive(call.fn)) {
      // A plain call statement has no effect on the state.
      if (s.k === "assign") out.stmts.push(s);
      continue;
    }
    const sp = call.span;
    const result = s.k === "assign" ? s : undefined;
    const v = primitiveTarget(call);
    const arity = call.fn === "cmpxchg" ? 3 : call.fn === "lock" || call.fn === "unlock" ? 1 : 2;
    if (!v || call.args.length !== arity) continue;
    const vRef = ref(v, sp);
    const bitOf = (nr: Expr) => bin("<<", num(1, sp), nr, sp);
    const testBit = (nr: Expr) => bin("!=", bin("&", bin(">>", vRef, nr, sp), num(1, sp), sp), num(0, sp), sp);
    switch (call.fn) {
      case "set_bit":
      case "test_and_set_bit":
        if (result) out.stmts.push(assign(result.target, testBit(call.args[0]!), result.span));
        out.stmts.push(assign(v, bin("|", vRef, bitOf(call.args[0]!), sp), sp));
        break;
      case "clear_bit":
      case "test_and_clear_bit":
        if (result) out.stmts.push(assign(result.target, testBit(call.args[0]!), result.span));
        out.stmts.push(assign(v, bin("&", vRef, { k: "unary", op: "~", arg: bitOf(call.args[0]!), span: sp }, sp), sp));
        break;
      case "cmpxchg":
        if (result) out.stmts.push(assign(result.target, vRef, result.span));
        out.stmts.push(assign(v, { k: "cond", test: bin("==", vRef, call.args[1]!, sp), then: call.args[2]!, else: vRef, span: sp }, sp));
        break;
      case "lock":
        out.takes.push(v[0]!);
        out.stmts.push(assign(v, ref([ME], sp), sp));
        break;
      case "unlock":
        out.releases.push(v[0]!);
        out.stmts.push(assign(v, num(0, sp), sp));
        break;
    }
  }
  // A lock taken and released in the same step is held for the step only: nothing to check.
  out.releases = out.releases.filter((l) => !out.takes.includes(l));
  return out;
}

function lowerStep(step: MachineStep): LoweredStep {
  return lowerStmts(step.effects?.stmts ?? []);
}

/** Every combination of parameter values of a step, in order (one empty binding without params). */
function paramBindings(step: MachineStep): Map<string, number>[] {
  let out: Map<string, number>[] = [new Map()];
  for (const p of step.params) {
    const next: Map<string, number>[] = [];
    for (const b of out) for (let v = p.min; v <= p.max; v++) next.push(new Map([...b, [p.name, v]]));
    out = next;
  }
  return out;
}

/** The name of one transition of a step: `label` or `label(a=1, b=0)`. */
function transitionName(step: MachineStep, binding: Map<string, number>): string {
  if (!binding.size) return step.label;
  return `${step.label}(${[...binding].map(([k, v]) => `${k}=${step.params.find((p) => p.name === k)?.type === "bool" ? (v ? "true" : "false") : v}`).join(", ")})`;
}

/** A lock a step takes or must hold, with its slot in the shared state. */
export interface LockUse {
  lock: string;
  slot: number;
}

/**
 * One step as every back end sees it: the whole semantics of a step, resolved once. Step
 * functions, transition tables, Promela and graphs are all printed from this.
 */
export interface LoweredStepFacts {
  label: string;
  /** Its program-counter value. */
  index: number;
  /** Expression guard; locks taken are guards too (`takes`). */
  guard?: Expr;
  /** Locks taken (an implicit guard: each must be free) and locks that must be held, released. */
  takes: LockUse[];
  releases: LockUse[];
  /** Effects as plain assignments, primitives lowered. */
  stmts: AssignStmt[];
  asserts: { name: string; expr: Expr }[];
  bugIf?: Expr;
  /** The pc after the step when no branch is taken (a goto, or the next step). */
  next: number;
  /** Branches in order, the first whose condition holds decides the pc. */
  branches: { cond: Expr; target: number }[];
  /** Whether the process may rest at this step. */
  rest: boolean;
  /** One transition per binding of the step's parameters. */
  transitions: { name: string; binding: Map<string, number> }[];
}

/**
 * A liveness property as every back end sees it: `when` (absent for `eventually`, which is
 * triggered by the initial state only), the goal, and the fair processes with the default
 * (every process) applied, in process order.
 */
export interface LoweredLiveness {
  name: string;
  kind: "eventually" | "leads_to";
  when?: Expr;
  goal: Expr;
  /** As people write it: `eventually q` or `p leads_to q`, in the spec's own text. */
  formula: string;
  fair: string[];
  doc: string;
}

/** A machine lowered once: the shared slot table, per process its lowered steps, the liveness properties. */
export interface MachineFacts {
  slots: GlobalSlot[];
  processes: { name: string; steps: LoweredStepFacts[] }[];
  liveness: LoweredLiveness[];
}

export function lowerMachine(spec: MachineSpec): MachineFacts {
  const slots = globalSlots(spec);
  const lockSlot = (lock: string): LockUse => ({ lock, slot: slots.findIndex((g) => g.kind === "lock" && g.name === lock) });
  return {
    slots,
    processes: spec.processes.map((p) => {
      const at = (label: string) => p.steps.findIndex((x) => x.label === label);
      return {
        name: p.name,
        steps: p.steps.map((step, index): LoweredStepFacts => {
          const low = lowerStep(step);
          return {
            label: step.label,
            index,
            ...(step.guard ? { guard: step.guard.ast } : {}),
            takes: low.takes.map(lockSlot),
            releases: low.releases.map(lockSlot),
            stmts: low.stmts,
            asserts: step.asserts.map((a) => ({ name: a.name, expr: a.expr.ast })),
            ...(step.bugIf ? { bugIf: step.bugIf.ast } : {}),
            next: step.goto ? at(step.goto.label) : index + 1,
            branches: step.branches.map((b) => ({ cond: b.cond.ast, target: at(b.goto) })),
            rest: step.rest,
            transitions: paramBindings(step).map((binding) => ({ name: transitionName(step, binding), binding })),
          };
        }),
      };
    }),
    liveness: spec.liveness.map((l) => ({
      name: l.name,
      kind: l.kind,
      ...(l.when ? { when: l.when.ast } : {}),
      goal: l.goal.ast,
      formula: l.when ? `${l.when.text} leads_to ${l.goal.text}` : `eventually ${l.goal.text}`,
      // Unknown names are the checker's to report; lowering keeps the ones that exist.
      fair: spec.processes.filter((p) => !l.fair || l.fair.some((f) => f.name === p.name)).map((p) => p.name),
      doc: l.doc,
    })),
  };
}
