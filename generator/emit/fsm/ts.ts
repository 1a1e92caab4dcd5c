import { emitTs, emitTsEffects, refs, type Expr } from "../../expr/index.ts";
import type { MachineProcess, MachineStep, MachineVar } from "../../model/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import { jsDoc, tsString } from "../escape.ts";
import { TsFile } from "../ts/file.ts";
import { moduleOf } from "../../elaborate/names/ts.ts";
import { tsIdentifier, tsTypeIdentifier } from "../../elaborate/names/rename.ts";
import type { LoweredStepFacts } from "../../elaborate/machine/lower.ts";
import { machineNaming, type Spelling } from "./names.ts";
import { lookupName } from "../../model/machine-names.ts";
import { reachableTable, type Table } from "./table.ts";


const TS: Spelling = {
  slot: (i) => `s[${i}]`,
  percpu: (i) => `s[${i} + c.cpu]`,
  local: (i) => `s[c.base + ${i + 1}]`,
  cpu: "c.cpu",
  me: "c.me + 1",
  bool: (v) => (v ? "true" : "false"),
  toInt: (v) => `(${v}) ? 1 : 0`,
  truthy: (l) => `(${l} !== 0)`,
  // Every slot index is in range by construction (the layout puts every variable at a fixed
  // slot or at base + k of the running instance), so reads are typed as numbers with `!`: it
  // costs nothing at run time and keeps noUncheckedIndexedAccess meaningful elsewhere.
  read: (l) => `${l}!`,
  // A bound parameter is a literal; typed as number so `mode == HAP` (0 === 2) type-checks.
  intParam: (v) => `(${v} as number)`,
};

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

/** The transitions of one lowered step as TS object literals. */
function stepLiteral(spec: ElabMachineSpec, p: MachineProcess, step: MachineStep, low: LoweredStepFacts, lows: readonly LoweredStepFacts[]): string {
  const local = isLocal(spec, p, step, low, lows);
  const transitions = low.transitions.map(({ name, binding }) => {
    const naming = machineNaming(spec, { proc: p, params: step.params }, binding, TS);
    const guards = low.takes.map((l) => `s[${l.slot}] === 0`);
    if (low.guard) guards.push(`(${emitTs(low.guard, naming)})`);
    const body: string[] = [];
    for (const l of low.releases) body.push(`if (s[${l.slot}] !== c.me + 1) fail.push({ kind: "lock", name: ${tsString(l.lock)} });`);
    if (low.stmts.length) body.push(emitTsEffects(low.stmts, naming));
    for (const a of low.asserts) body.push(`if (!(${emitTs(a.expr, naming)})) fail.push({ kind: "assert", name: ${tsString(a.name)} });`);
    if (low.bugIf) body.push(`if (${emitTs(low.bugIf, naming)}) fail.push({ kind: "bug", name: ${tsString(low.label)} });`);
    let pc = String(low.next);
    for (const b of [...low.branches].reverse()) pc = `${emitTs(b.cond, naming)} ? ${b.target} : ${pc}`;
    // An event machine's actor has no program counter to move: every event stays offered.
    if (!p.events) body.push(`s[c.base] = ${pc};`);
    const w = writesOf(spec, p, step, low);
    return [
      `{`,
      `name: ${tsString(name)},`,
      `enabled: (${guards.length ? "s" : "_s"}: readonly number[], ${guards.join("").includes("c.") ? "c" : "_c"}: Ctx): boolean => ${guards.length ? guards.join(" && ") : "true"},`,
      `run: (s: number[], ${body.join("").includes("c.") ? "c" : "_c"}: Ctx, ${body.join("").includes("fail.") ? "fail" : "_fail"}: Failure[]): void => {`,
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
      if (v.perCpu) w.writeLine(`${v.name}: [${Array.from({ length: spec.cpus }, (_, c) => conv(`s[${first + c}]!`)).join(", ")}],`);
      else w.writeLine(`${v.name}: ${conv(`s[${first}]!`)},`);
    }
    for (const l of spec.locks) w.writeLine(`${l.name}: s[${slots.findIndex((g) => g.kind === "lock" && g.name === l.name)}]!,`);
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
      w.writeLine(`steps: [${p.steps.map((s, i) => stepLiteral(spec, p, s, lowered[i]!, lowered)).join(",\n")}],`);
      w.writeLine(`},`);
    }
    w.writeLine(`],`);
    const cond = (c: ElabMachineSpec["invariants"][number]) => {
      const naming = machineNaming(spec, {}, new Map(), TS);
      return `{ name: ${tsString(c.name)}, doc: ${tsString(c.doc)}, holds: (s: readonly number[]): boolean => ${emitTs(c.expr.ast, naming)} }`;
    };
    w.writeLine(`invariants: [${spec.invariants.map(cond).join(", ")}],`);
    w.writeLine(`ends: [${spec.ends.map(cond).join(", ")}],`);
    const pred = (e: Expr) => `(s: readonly number[]): boolean => ${emitTs(e, machineNaming(spec, {}, new Map(), TS))}`;
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
      const naming = machineNaming(spec, { params: fn.params.map((n) => ({ name: n, type: "bool" as const })) }, new Map(), {
        ...TS,
        bool: (v) => (v ? "true" : "false"),
      });
      // Function parameters are caller facts: spelled as fields of `p`, not baked in.
      const pnaming = {
        ...naming,
        ref: (path: string[]) => (fn.params.includes(path[0]!) ? `p.${path[0]}` : naming.ref(path)),
      };
      w.write(doc(fn.doc, [`Expression: ${fn.expr.text}`]));
      const args = fn.params.length ? `, p: { readonly ${fn.params.map((n) => `${n}: boolean`).join("; readonly ")} }` : "";
      w.writeLine(`export function ${tsIdentifier(fn.name)}(s: readonly number[]${args}): boolean {`);
      w.writeLine(`return ${emitTs(fn.expr.ast, pnaming)};`);
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
