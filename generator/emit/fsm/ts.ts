import { emitTs, emitTsEffects, refs, type Expr } from "../../expr/index.ts";
import type { MachineProcess, MachineStep, MachineVar } from "../../model/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import { jsDoc, tsString } from "../escape.ts";
import { TsFile } from "../ts/file.ts";
import { moduleOf } from "../../elaborate/names/ts.ts";
import { tsIdentifier, tsTypeIdentifier } from "../../elaborate/names/rename.ts";
import type { LoweredStepFacts } from "../../elaborate/machine/lower.ts";
import { machineNaming, type Spelling } from "./names.ts";
import { lookupName, type Where } from "../../model/machine-names.ts";
import { foldExpr, foldStmts, type Fixed } from "./fold.ts";
import { reachableTable, type Table } from "./table.ts";


/**
 * Names of slots in the generated module: `SLOT.<variable or lock>` for the shared part (a per-CPU
 * variable's name is its CPU 0 copy) and `LOCAL.<process>.<local>` for offsets from an instance's
 * base, under object names no other export of the module takes.
 */
interface SlotNames {
  readonly slot: string;
  readonly local: string;
  /** The name of shared slot i, plus its CPU for per-CPU copies. */
  at(i: number): string;
}

function slotNames(spec: ElabMachineSpec): SlotNames {
  const taken = new Set<string>(["Ctx", "Failure", "MachineDef", "State", "decodeState", "StepName", "Event", "eventTransitionName", "machine", "TRANSITIONS"]);
  for (const c of spec.constants) taken.add(tsIdentifier(c.name));
  for (const v of spec.vars) for (const b of v.bits) taken.add(tsIdentifier(b));
  for (const e of spec.enums) taken.add(tsTypeIdentifier(e.name)).add(`${e.name}_NAMES`);
  for (const fn of spec.functions) taken.add(tsIdentifier(fn.name));
  const free = (base: string) => {
    let n = base;
    while (taken.has(n)) n += "_";
    taken.add(n);
    return n;
  };
  const slot = free("SLOT");
  const local = free("LOCAL");
  const slots = spec.lowered.slots;
  return {
    slot,
    local,
    at: (i) => {
      const g = slots[i]!;
      const base = `${slot}.${g.kind === "lock" ? g.name : g.v!.name}`;
      return g.v?.perCpu && g.cpu ? `${base} + ${g.cpu}` : base;
    },
  };
}

function tsSpelling(names: SlotNames, proc?: MachineProcess): Spelling {
  return {
    slot: (i) => `s[${names.at(i)}]`,
    percpu: (i) => `s[${names.at(i)} + c.cpu]`,
    local: (_i, name) => `s[c.base + ${names.local}.${proc!.name}.${name}]`,
    cpu: "c.cpu",
    me: "c.me + 1",
    bool: (v) => (v ? "true" : "false"),
    // Values are folded first, so a literal stored into a slot is stored as its number.
    toInt: (v) => (v === "true" ? "1" : v === "false" ? "0" : `(${v}) ? 1 : 0`),
    truthy: (l) => `(${l} !== 0)`,
    // Every slot index is in range by construction (the layout puts every variable at a fixed
    // slot or at base + k of the running instance), so reads are typed as numbers with `!`: it
    // costs nothing at run time and keeps noUncheckedIndexedAccess meaningful elsewhere.
    read: (l) => `${l}!`,
  };
}

/** What a name is when generation fixes it: a constant, an enum member, a bit name, a bound parameter. */
function fixedNames(spec: ElabMachineSpec, where: Where, binding: ReadonlyMap<string, number>): Fixed {
  return (path) => {
    const n = lookupName(spec, path[0]!, where);
    if (n?.k === "const") return BigInt(n.value);
    if (n?.k === "param") {
      const v = binding.get(n.name) ?? 0;
      return n.type.t === "bool" ? v !== 0 : BigInt(v);
    }
    return undefined;
  };
}

function slotLiteral(spec: ElabMachineSpec, name: string, v: MachineVar | undefined, lock = false): string {
  if (lock || !v) return `{ name: ${tsString(name)}, kind: "lock", min: 0, max: 255, init: 0 }`;
  const names = v.type === "enum" ? spec.enums.find((e) => e.name === v.enumName)?.members : v.type === "bits" ? v.bits : undefined;
  return `{ name: ${tsString(name)}, kind: ${tsString(v.type)}, min: ${v.min}, max: ${v.max ?? 0}, init: ${v.init}${names ? `, names: [${names.map(tsString).join(", ")}]` : ""} }`;
}

/** The slots a lowered step assigns (the same for each of its transitions), sorted. */
function writesOf(spec: ElabMachineSpec, p: MachineProcess, step: MachineStep, low: LoweredStepFacts): { shared: number[]; perCpu: number[]; local: number[] } {
  const shared = new Set<number>();
  const perCpu = new Set<number>();
  const local = new Set<number>(p.events ? [] : [0]);
  for (const st of low.stmts) {
    const n = lookupName(spec, st.target[0]!, { proc: p, params: step.params });
    if (n?.k === "global" || n?.k === "lock") shared.add(n.slot);
    else if (n?.k === "percpu") perCpu.add(n.slot);
    else if (n?.k === "local") local.add(n.index + 1);
  }
  const sorted = (x: Set<number>) => [...x].sort((a, b) => a - b);
  return { shared: sorted(shared), perCpu: sorted(perCpu), local: sorted(local) };
}

/**
 * Whether a step touches only its own instance: it reads and writes nothing but its program
 * counter, locals, parameters, constants and this_cpu (no shared or per-CPU variable, no lock), and
 * it starts and ends busy (neither it nor any step it can go to is `rest`, and it cannot terminate),
 * so it changes nothing another instance reads and the CPU rule sees the same busy instances after
 * it. Partial-order reduction takes such steps as ample sets.
 */
function isLocal(spec: ElabMachineSpec, p: MachineProcess, step: MachineStep, low: LoweredStepFacts, lows: readonly LoweredStepFacts[]): boolean {
  if (p.events || low.rest || low.takes.length || low.releases.length) return false;
  for (const t of [low.next, ...low.branches.map((b) => b.target)]) if (t >= lows.length || lows[t]!.rest) return false;
  const exprs: (Expr | (typeof low.stmts)[number])[] = [...low.stmts, ...low.asserts.map((a) => a.expr), ...low.branches.map((b) => b.cond)];
  if (low.guard) exprs.push(low.guard);
  if (low.bugIf) exprs.push(low.bugIf);
  for (const e of exprs) {
    for (const path of refs(e)) {
      const n = lookupName(spec, path[0]!, { proc: p, params: step.params });
      if (!n || !(n.k === "local" || n.k === "param" || n.k === "const" || n.k === "cpu")) return false;
    }
  }
  return true;
}

/** Whether generated code mentions the variable `name` itself (not a property or a longer name ending in it). */
const mentions = (code: string, name: string): boolean => new RegExp(`(?<![\\w.$])${name}\\.`).test(code);

/** The transitions of one lowered step as TS object literals, with what generation fixes folded in. */
function stepLiteral(spec: ElabMachineSpec, names: SlotNames, p: MachineProcess, step: MachineStep, low: LoweredStepFacts, lows: readonly LoweredStepFacts[]): string {
  const local = isLocal(spec, p, step, low, lows);
  const sp = tsSpelling(names, p);
  const where: Where = { proc: p, params: step.params };
  const transitions = low.transitions.map(({ name, binding }) => {
    const naming = machineNaming(spec, where, binding, sp);
    const fixed = fixedNames(spec, where, binding);
    const fold = (e: Expr) => foldExpr(e, fixed);
    const guard = low.guard ? fold(low.guard) : undefined;
    // Lock takes are plain reads, so a guard that is false whatever the state is the whole guard.
    const guards =
      guard?.k === "bool" && !guard.value
        ? ["false"]
        : [...low.takes.map((l) => `s[${names.at(l.slot)}] === 0`), ...(guard && guard.k !== "bool" ? [`(${emitTs(guard, naming)})`] : [])];
    const body: string[] = [];
    for (const l of low.releases) body.push(`if (s[${names.at(l.slot)}] !== c.me + 1) fail.push({ kind: "lock", name: ${tsString(l.lock)} });`);
    if (low.stmts.length) body.push(emitTsEffects(foldStmts(low.stmts, fixed), naming));
    // A check that holds whatever the state is prints nothing; one that fails whatever it is, its failure.
    const check = (e: Expr, failsWhen: boolean, push: string) => {
      const f = fold(e);
      if (f.k === "bool") {
        if (f.value === failsWhen) body.push(`${push};`);
      } else body.push(`if (${failsWhen ? "" : "!"}(${emitTs(f, naming)})) ${push};`);
    };
    for (const a of low.asserts) check(a.expr, false, `fail.push({ kind: "assert", name: ${tsString(a.name)} })`);
    if (low.bugIf) check(low.bugIf, true, `fail.push({ kind: "bug", name: ${tsString(low.label)} })`);
    let pc = String(low.next);
    for (const b of [...low.branches].reverse()) {
      const cond = fold(b.cond);
      if (cond.k === "bool") pc = cond.value ? String(b.target) : pc;
      else pc = `${emitTs(cond, naming)} ? ${b.target} : ${pc}`;
    }
    // An event machine's actor has no program counter to move: every event stays offered.
    if (!p.events) body.push(`s[c.base] = ${pc};`);
    const w = writesOf(spec, p, step, low);
    const guardText = guards.join(" && ");
    const bodyText = body.join("\n");
    return [
      `{`,
      `name: ${tsString(name)},`,
      `enabled: (${guards.length && guardText !== "false" ? "s" : "_s"}: readonly number[], ${mentions(guardText, "c") ? "c" : "_c"}: Ctx): boolean => ${guards.length ? guardText : "true"},`,
      `run: (s: number[], ${mentions(bodyText, "c") ? "c" : "_c"}: Ctx, ${mentions(bodyText, "fail") ? "fail" : "_fail"}: Failure[]): void => {`,
      ...body,
      `},`,
      `writes: { shared: [${w.shared.join(", ")}], perCpu: [${w.perCpu.join(", ")}], local: [${w.local.join(", ")}] },`,
      ...(local ? [`local: true,`] : []),
      `}`,
    ].join("\n");
  });
  return `{ label: ${tsString(low.label)}, rest: ${low.rest}, transitions: [${transitions.join(", ")}] }`;
}

/** One TS module per machine spec: types, the compiled MachineDef, predicates, and (small single-actor) the transition table. */
export function generateMachineFile(spec: ElabMachineSpec): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  for (const n of ["Ctx", "Failure", "MachineDef"]) f.import("fsm", n, true);
  const slots = spec.lowered.slots;
  const names = slotNames(spec);
  const doc = (text: string, extra: string[] = []) => jsDoc(text, extra);
  f.add((w) => {
    for (const e of spec.enums) {
      w.write(doc(`Members of enum ${e.name} (stored as their index).`));
      const id = tsTypeIdentifier(e.name);
      w.writeLine(`export const ${id} = { ${e.members.map((m, i) => `${m}: ${i}`).join(", ")} } as const;`);
      w.writeLine(`export type ${id} = keyof typeof ${id};`);
    }
    for (const c of spec.constants) w.writeLine(`export const ${tsIdentifier(c.name)} = ${c.value};`);
    for (const v of spec.vars) for (const [i, b] of v.bits.entries()) w.writeLine(`export const ${tsIdentifier(b)} = ${i};`);
    w.write(doc("Where each shared variable and lock is kept in a packed state; a per-CPU variable's copies follow its CPU 0 slot."));
    const slotEntries = slots.flatMap((g, i) => (g.kind === "lock" ? [`${g.name}: ${i}`] : g.v!.perCpu && g.cpu ? [] : [`${g.v!.name}: ${i}`]));
    w.writeLine(`export const ${names.slot} = { ${slotEntries.join(", ")} } as const;`);
    const withLocals = spec.processes.filter((p) => p.locals.length);
    if (withLocals.length) {
      w.write(doc("Where each local of a process is kept, from the base of its instance (the program counter is at the base)."));
      const procs = withLocals.map((p) => `${p.name}: { ${p.locals.map((l, i) => `${l.name}: ${i + 1}`).join(", ")} }`);
      w.writeLine(`export const ${names.local} = { ${procs.join(", ")} } as const;`);
    }
    const tsType = (v: MachineVar) => (v.type === "bool" ? "boolean" : v.type === "enum" ? tsTypeIdentifier(v.enumName!) : "number");
    w.write(doc(`The shared variables of ${spec.name}, decoded.`));
    w.writeLine(`export interface State {`);
    for (const v of spec.vars) {
      w.write(doc(v.doc));
      w.writeLine(`readonly ${v.name}: ${v.perCpu ? `readonly ${tsType(v)}[]` : tsType(v)};`);
    }
    for (const l of spec.locks) w.writeLine(`/** Instance number + 1 of the holder, 0 when free. */\nreadonly ${l.name}: number;`);
    w.writeLine(`}`);
    w.write(doc("Decodes the shared slots of a packed state."));
    w.writeLine(`export function decodeState(s: readonly number[]): State {`);
    w.writeLine(`return {`);
    for (const v of spec.vars) {
      const first = slots.findIndex((g) => g.v === v);
      const conv = (x: string) => (v.type === "bool" ? `${x} !== 0` : v.type === "enum" ? `${v.enumName}_NAMES[${x}]!` : x);
      if (v.perCpu) w.writeLine(`${v.name}: [${Array.from({ length: spec.cpus }, (_, c) => conv(`s[${names.at(first + c)}]!`)).join(", ")}],`);
      else w.writeLine(`${v.name}: ${conv(`s[${names.at(first)}]!`)},`);
    }
    for (const l of spec.locks) w.writeLine(`${l.name}: s[${names.at(slots.findIndex((g) => g.kind === "lock" && g.name === l.name))}]!,`);
    w.writeLine(`};`);
    w.writeLine(`}`);
    for (const e of spec.enums) w.writeLine(`const ${e.name}_NAMES: readonly ${tsTypeIdentifier(e.name)}[] = [${e.members.map(tsString).join(", ")}];`);
    const stepNames = spec.processes.flatMap((p) => p.steps.map((s) => `${p.name}.${s.label}`));
    w.write(doc("Every step, as process.label."));
    w.writeLine(`export type StepName = ${stepNames.map(tsString).join(" | ")};`);
    const events = spec.processes.length === 1 ? spec.processes[0]!.steps : [];
    if (events.length) {
      w.write(doc("Events of this single-actor machine with their parameters."));
      w.writeLine(
        `export type Event = ${events
          .map((s) => `{ readonly name: ${tsString(s.label)}${s.params.map((p) => `; readonly ${p.name}: ${p.type === "bool" ? "boolean" : "number"}`).join("")} }`)
          .join(" | ")};`,
      );
    }
    if (spec.processes.length === 1 && spec.processes[0]!.events) {
      w.write(doc("The transition name of an event, as in `machine` and traces: `label` or `label(p=v, ...)` with the parameters in declared order."));
      w.writeLine(`export function eventTransitionName(e: Event): string {`);
      w.writeLine(`switch (e.name) {`);
      for (const s of events) {
        const parts = s.params.map((p, i) => `${tsString(`${i ? ", " : "("}${p.name}=`)} + String(e.${p.name})`);
        w.writeLine(`case ${tsString(s.label)}: return ${[tsString(s.label), ...parts, ...(s.params.length ? [tsString(")")] : [])].join(" + ")};`);
      }
      w.writeLine(`}`);
      w.writeLine(`}`);
    }
    w.write(doc(spec.doc, spec.source ? [`Source: ${spec.source}`] : []));
    w.writeLine(`export const machine: MachineDef = {`);
    w.writeLine(`name: ${tsString(spec.name)},`);
    w.writeLine(`doc: ${tsString(spec.doc)},`);
    w.writeLine(`cpus: ${spec.cpus},`);
    w.writeLine(`globals: [${slots.map((g) => slotLiteral(spec, g.name, g.v, g.kind === "lock")).join(", ")}],`);
    w.writeLine(`processes: [`);
    for (const [pi, p] of spec.processes.entries()) {
      const lowered = spec.lowered.processes[pi]!.steps;
      w.writeLine(`{`);
      w.writeLine(`name: ${tsString(p.name)}, context: ${tsString(p.context)}, instances: ${p.instances}, cpus: [${p.cpus.join(", ")}],${p.events ? " events: true," : ""}`);
      w.writeLine(`locals: [${p.locals.map((l) => slotLiteral(spec, l.name, l)).join(", ")}],`);
      w.writeLine(`steps: [${p.steps.map((s, i) => stepLiteral(spec, names, p, s, lowered[i]!, lowered)).join(",\n")}],`);
      w.writeLine(`},`);
    }
    w.writeLine(`],`);
    const global = tsSpelling(names);
    const noBinding = new Map<string, number>();
    const predicate = (e: Expr) => emitTs(foldExpr(e, fixedNames(spec, {}, noBinding)), machineNaming(spec, {}, noBinding, global));
    // A predicate folded to a literal reads no state: its parameter is then unused.
    const stateArg = (text: string) => (mentions(text, "s") || text.includes("s[") ? "s" : "_s");
    const cond = (c: ElabMachineSpec["invariants"][number]) => {
      const text = predicate(c.expr.ast);
      return `{ name: ${tsString(c.name)}, doc: ${tsString(c.doc)}, holds: (${stateArg(text)}: readonly number[]): boolean => ${text} }`;
    };
    w.writeLine(`invariants: [${spec.invariants.map(cond).join(", ")}],`);
    w.writeLine(`ends: [${spec.ends.map(cond).join(", ")}],`);
    const pred = (e: Expr) => {
      const text = predicate(e);
      return `(${stateArg(text)}: readonly number[]): boolean => ${text}`;
    };
    const live = spec.lowered.liveness.map(
      (l) => `{ name: ${tsString(l.name)}, doc: ${tsString(l.doc)}, kind: ${tsString(l.kind)}, formula: ${tsString(l.formula)}, ${l.when ? `when: ${pred(l.when)}, ` : ""}goal: ${pred(l.goal)}, fair: [${l.fair.map(tsString).join(", ")}] }`,
    );
    w.writeLine(`liveness: [${live.join(", ")}],`);
    if (spec.symmetry) {
      const perCpu = slots.flatMap((g, i) => (g.v?.perCpu && g.cpu === 0 ? [i] : []));
      w.writeLine(`symmetry: { processes: [${spec.symmetry.processes.map((p) => tsString(p.name)).join(", ")}], cpus: [${spec.symmetry.cpus.join(", ")}], perCpu: [${perCpu.join(", ")}] },`);
    }
    w.writeLine(`};`);
    for (const fn of spec.functions) {
      const naming = machineNaming(spec, { params: fn.params.map((n) => ({ name: n, type: "bool" as const })) }, noBinding, global);
      // Function parameters are caller facts: spelled as fields of `p`, not baked in.
      const pnaming = {
        ...naming,
        ref: (path: string[]) => (fn.params.includes(path[0]!) ? `p.${path[0]}` : naming.ref(path)),
      };
      w.write(doc(fn.doc, [`Expression: ${fn.expr.text}`]));
      const args = fn.params.length ? `, p: { readonly ${fn.params.map((n) => `${n}: boolean`).join("; readonly ")} }` : "";
      w.writeLine(`export function ${tsIdentifier(fn.name)}(s: readonly number[]${args}): boolean {`);
      const consts = fixedNames(spec, {}, noBinding);
      w.writeLine(`return ${emitTs(foldExpr(fn.expr.ast, (path) => (fn.params.includes(path[0]!) ? undefined : consts(path))), pnaming)};`);
      w.writeLine(`}`);
    }
    const table: Table | undefined = reachableTable(spec);
    if (table) {
      w.write(doc("Every reachable state (slots: shared then pc and locals) and transition, computed at generation time. Transition: [from, event, to]; `to` is -1 when the step fails a check. `broken`: the states where an invariant is false."));
      w.writeLine(`export const TRANSITIONS: { readonly states: readonly (readonly number[])[]; readonly transitions: readonly (readonly [number, string, number])[]; readonly broken: readonly number[] } = {`);
      w.writeLine(`states: [${table.states.map((s) => `[${s.join(", ")}]`).join(", ")}],`);
      w.writeLine(`transitions: [${table.transitions.map(([a, e, b]) => `[${a}, ${tsString(e)}, ${b}]`).join(", ")}],`);
      w.writeLine(`broken: [${table.broken.join(", ")}],`);
      w.writeLine(`};`);
    }
  });
  return f;
}
