import type { Diagnostics, Loc } from "../../diagnostics.ts";
import { BOOL, calls, checkEffects, checkExpr, formatType, walk, type CheckError, type Expr, type ExprType, type Scope } from "../../expr/index.ts";
import { isPrimitive, primitiveTarget } from "../../elaborate/machine/lower.ts";
import type { MachineProcess, MachineStep } from "../../model/index.ts";
import type { ElabMachineSpec, ElabModel } from "../../elaborate/model.ts";
import { LOCK_TYPE, lookupName, topLevelNames, varType, type Where } from "../../model/machine-names.ts";
import { offsetLoc } from "../../resolve/expr.ts";
import { refusedIn } from "../../elaborate/names/reserved-words.ts";
import { kindReaches } from "../index.ts";
import { machineSpecs } from "../../elaborate/lookup.ts";
import { didYouMean } from "../../suggest.ts";
import { checkSymmetry } from "./symmetry.ts";

/** Semantic checks of every machine: names, ranges, labels, types, writes. */
export function checkMachines(model: ElabModel, d: Diagnostics): void {
  for (const spec of machineSpecs(model)) checkMachine(spec, d);
}

function checkMachine(spec: ElabMachineSpec, d: Diagnostics): void {
  const seen = new Map<string, string>();
  for (const { name, what } of topLevelNames(spec)) {
    const first = seen.get(name);
    if (first) d.error(spec.loc, `name "${name}" is both a ${first} and a ${what}`);
    else seen.set(name, what);
  }
  // Generated TS uses these names as object keys: `__proto__: v` would set the prototype instead.
  // Keywords of the languages a machine reaches are renamed or prefixed there (elaborate/names/).
  const reaches = kindReaches("machine");
  const machinery = (name: string, what: string, loc: Loc) => {
    const lang = refusedIn(reaches, name);
    if (lang) d.error(loc, `${what} name "${name}" is reserved in ${lang}`);
  };
  for (const c of spec.constants) machinery(c.name, "constant", c.loc);
  for (const e of spec.enums) {
    machinery(e.name, "enum", e.loc);
    e.members.forEach((m, i) => machinery(m, "enum member", e.memberLocs[i] ?? e.loc));
  }
  for (const l of spec.locks) machinery(l.name, "lock", l.loc);
  for (const v of [...spec.vars, ...spec.processes.flatMap((p) => p.locals)]) {
    machinery(v.name, "variable", v.loc);
    v.bits.forEach((b, i) => machinery(b, "bit", v.bitLocs[i] ?? v.loc));
  }
  for (const p of spec.processes) {
    machinery(p.name, "process", p.loc);
    for (const s of p.steps) {
      machinery(s.label, "step", s.loc);
      for (const a of s.asserts) machinery(a.name, "assertion", a.loc);
      for (const x of s.params) machinery(x.name, "parameter", x.loc);
    }
  }
  for (const c of [...spec.invariants, ...spec.ends, ...spec.functions, ...spec.liveness]) machinery(c.name, "condition or function", c.loc);
  for (const l of spec.liveness) {
    for (const f of l.fair ?? []) {
      if (!spec.processes.some((p) => p.name === f.name)) d.error(f.loc, `liveness property "${l.name}" declares unknown process "${f.name}" fair${didYouMean(f.name, spec.processes.map((p) => p.name))}`);
    }
  }
  const checkVar = (v: ElabMachineSpec["vars"][number], where: string) => {
    if (v.type === "int" && v.max === undefined) d.error(v.loc, `integer ${where} "${v.name}" is unbounded: give it "max"`);
    if (v.max !== undefined && v.min > v.max) d.error(v.loc, `${where} "${v.name}" has min ${v.min} above max ${v.max}`);
    if (v.max !== undefined && (v.init < v.min || v.init > v.max)) d.error(v.loc, `initial value ${v.init} of ${where} "${v.name}" is outside [${v.min}, ${v.max}]`);
    if (v.type === "enum" && !spec.enums.some((e) => e.name === v.enumName)) d.error(v.loc, `unknown enum "${v.enumName}" for ${where} "${v.name}"`);
  };
  for (const v of spec.vars) checkVar(v, "variable");
  for (const p of spec.processes) {
    for (const v of p.locals) {
      checkVar(v, "local");
      if (v.perCpu) d.error(v.loc, `local "${v.name}" of process ${p.name} cannot be per_cpu`);
      if (seen.has(v.name)) d.error(v.loc, `local "${v.name}" of process ${p.name} hides the ${seen.get(v.name)} of that name`);
    }
    for (const st of p.steps) {
      for (const prm of st.params) if (seen.has(prm.name)) d.error(prm.loc, `parameter "${prm.name}" of ${st.label} hides the ${seen.get(prm.name)} of that name`);
    }
    for (const c of p.cpus) if (c >= spec.cpus) d.error(p.loc, `process ${p.name} runs on CPU ${c} but the machine has ${spec.cpus} CPU${spec.cpus === 1 ? "" : "s"}`);
  }
  if (d.count) return;
  for (const p of spec.processes) checkProcess(spec, p, d);
  const global: Where = {};
  for (const c of [...spec.invariants, ...spec.ends]) expr(spec, c.expr, global, BOOL, d, "invariant");
  for (const l of spec.liveness) for (const e of [l.when, l.goal]) if (e) expr(spec, e, global, BOOL, d, "liveness property");
  // Functions are predicates in every target (`(s) => boolean`), like invariants.
  for (const f of spec.functions) expr(spec, f.expr, { params: f.params.map((n) => ({ name: n, type: "bool" as const })) }, BOOL, d, "function");
  checkSymmetry(spec, d);
}

function checkProcess(spec: ElabMachineSpec, p: MachineProcess, d: Diagnostics): void {
  const labels = new Map<string, MachineStep>();
  for (const s of p.steps) {
    if (labels.has(s.label)) d.error(s.loc, `duplicate label "${s.label}" in process ${p.name}`);
    else labels.set(s.label, s);
  }
  const jump = (label: string, loc: Loc) => {
    if (!labels.has(label)) d.error(loc, `step jumps to missing label "${label}" in process ${p.name}`);
  };
  for (const s of p.steps) {
    for (const b of s.branches) jump(b.goto, b.loc);
    if (s.goto) jump(s.goto.label, s.goto.loc);
    const where: Where = { proc: p, params: s.params };
    if (s.guard) expr(spec, s.guard, where, BOOL, d, "guard");
    for (const a of s.asserts) expr(spec, a.expr, where, BOOL, d, "assert");
    if (s.bugIf) expr(spec, s.bugIf, where, BOOL, d, "bug_if");
    for (const b of s.branches) expr(spec, b.cond, where, BOOL, d, "branch");
    if (s.effects) {
      const at = (e: CheckError) => d.error(offsetLoc(s.effects!.loc, e.span.start), e.message);
      const r = checkEffects(s.effects.stmts, scopeFor(spec, where, true));
      r.errors.forEach(at);
      for (const st of s.effects.stmts) {
        const top = st.k === "callstmt" ? st.call : st.value;
        walk(st, (n) => {
          if (n.k === "call" && isPrimitive(n.fn) && n !== top) {
            at({ message: `${n.fn}() may only be a whole statement or the value of an assignment`, span: n.span });
          }
        });
        if (top.k === "call" && isPrimitive(top.fn) && st.k === "assign") {
          const t = primitiveTarget(top);
          if (t && t.join(".") === st.target.join(".")) at({ message: `${top.fn}() result cannot be stored in the variable it changes`, span: st.span });
          for (const a of top.args) walk(a, (n) => {
            if (n.k === "ref" && n.path.join(".") === st.target.join(".")) at({ message: `'${n.path.join(".")}' is both assigned and an argument of ${top.fn}()`, span: n.span });
          });
        }
      }
    }
  }
}

function expr(spec: ElabMachineSpec, e: { ast: Expr; loc: Loc }, where: Where, want: ExprType | undefined, d: Diagnostics, what: string): void {
  const r = checkExpr(e.ast, scopeFor(spec, where, false), want);
  for (const err of r.errors) d.error(offsetLoc(e.loc, err.span.start), err.message);
  for (const fn of calls(e.ast)) {
    if (isPrimitive(fn)) d.error(e.loc, `${fn}() changes the state and cannot be used in a ${what}`);
  }
}

/** The checker's view of names; `effects` allows the primitives and assignments. */
export function scopeFor(spec: ElabMachineSpec, where: Where, effects: boolean): Scope {
  const container = where.proc ? `${where.proc.events ? "event machine actor" : "process"} ${where.proc.name}` : `machine ${spec.name}`;
  const ref = (path: string[]): { type: ExprType } | { error: string } => {
    const name = path.join(".");
    if (path.length !== 1) return { error: `unknown name '${name}' in ${container}` };
    const n = lookupName(spec, path[0]!, where);
    if (!n || n.k === "me") return { error: `unknown name '${name}' in ${container}` };
    switch (n.k) {
      case "global":
      case "local":
        return { type: varType(spec, n.v) };
      case "percpu":
        if (!where.proc) return { error: `per-CPU variable '${name}' is only meaningful inside a process (this CPU's copy)` };
        return { type: varType(spec, n.v) };
      case "const":
      case "param":
        return { type: n.type };
      case "lock":
        return { type: LOCK_TYPE };
      case "cpu":
        return { type: { t: "int" } };
    }
  };
  return {
    ref,
    target(path) {
      const name = path.join(".");
      const r = ref(path);
      if ("error" in r) return r;
      const n = lookupName(spec, path[0]!, where)!;
      if (n.k === "const") return { error: `cannot assign '${name}': it is a constant` };
      if (n.k === "param") return { error: `cannot assign '${name}': it is an event parameter` };
      if (n.k === "lock") return { error: `cannot assign lock '${name}': use lock() and unlock()` };
      if (n.k === "cpu") return { error: `cannot assign this_cpu` };
      if ((n.k === "global" || n.k === "percpu" || n.k === "local") && n.v.readonly) return { error: `cannot assign '${name}': the variable is read-only` };
      return r;
    },
    call(fn, args, argExprs) {
      if (!isPrimitive(fn)) return { error: `unknown function '${fn}'` };
      if (!effects) return { error: `${fn}() changes the state and cannot be used here` };
      const arity = { test_and_set_bit: 2, test_and_clear_bit: 2, set_bit: 2, clear_bit: 2, cmpxchg: 3, lock: 1, unlock: 1 }[fn];
      if (args.length !== arity) return { error: `${fn}() takes ${arity} argument${arity === 1 ? "" : "s"}, got ${args.length}` };
      const vi = fn === "cmpxchg" || fn === "lock" || fn === "unlock" ? 0 : 1;
      const v = argExprs[vi]!;
      if (v.k !== "ref") return { error: `${fn}() needs a variable name as argument ${vi + 1}` };
      if (fn === "lock" || fn === "unlock") {
        return args[0]!.t === "enum" && args[0]!.name === "lock" ? { type: BOOL } : { error: `${fn}() needs a lock, got ${formatType(args[0]!)}` };
      }
      const t = this.target!(v.path);
      if ("error" in t) return t;
      if (t.type.t !== "int") return { error: `${fn}() needs an integer variable, got ${formatType(t.type)}` };
      if (fn === "cmpxchg") {
        if (args[1]!.t !== "int" || args[2]!.t !== "int") return { error: `cmpxchg() compares and stores integers` };
        return { type: t.type };
      }
      if (args[0]!.t !== "int") return { error: `${fn}() needs a bit number, got ${formatType(args[0]!)}` };
      return { type: BOOL };
    },
  };
}
