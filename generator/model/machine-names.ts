import type { EnumType, ExprType } from "../expr/index.ts";
import { BOOL, intType, UNSIZED } from "../expr/index.ts";
import type { MachineProcess, MachineSpec, MachineVar } from "./machine.ts";

/** One slot of the shared part of a packed state. */
export interface GlobalSlot {
  name: string;
  kind: "var" | "lock";
  v?: MachineVar;
  cpu?: number;
  min: number;
  max: number;
}

/** Shared slots in spec order: each variable (per-CPU ones once per CPU), then the locks. */
export function globalSlots(spec: MachineSpec): GlobalSlot[] {
  const out: GlobalSlot[] = [];
  for (const v of spec.vars) {
    if (v.perCpu) for (let c = 0; c < spec.cpus; c++) out.push({ name: `${v.name}[${c}]`, kind: "var", v, cpu: c, min: v.min, max: v.max ?? 0 });
    else out.push({ name: v.name, kind: "var", v, min: v.min, max: v.max ?? 0 });
  }
  for (const l of spec.locks) out.push({ name: l.name, kind: "lock", min: 0, max: 255 });
  return out;
}

/** What a name means where it is used. */
export type NameInfo =
  | { k: "global"; v: MachineVar; slot: number }
  | { k: "percpu"; v: MachineVar; slot: number }
  | { k: "local"; v: MachineVar; index: number }
  | { k: "const"; value: number; type: ExprType }
  | { k: "param"; name: string; type: ExprType }
  | { k: "lock"; name: string; slot: number }
  | { k: "cpu" }
  | { k: "me" };

export const LOCK_TYPE: EnumType = { t: "enum", name: "lock", members: [] };

export function varType(spec: MachineSpec, v: MachineVar): ExprType {
  if (v.type === "bool") return BOOL;
  if (v.type === "enum") return { t: "enum", name: v.enumName ?? "?", members: spec.enums.find((e) => e.name === v.enumName)?.members ?? [] };
  return intType(32);
}

export interface Where {
  proc?: MachineProcess;
  params?: { name: string; type: "bool" | "int" }[];
}

/** Resolves a one-segment name: params, locals, shared variables, locks, constants, bit names, enum members. */
export function lookupName(spec: MachineSpec, name: string, where: Where): NameInfo | undefined {
  const p = where.params?.find((x) => x.name === name);
  if (p) return { k: "param", name, type: p.type === "bool" ? BOOL : UNSIZED };
  if (where.proc) {
    const i = where.proc.locals.findIndex((l) => l.name === name);
    if (i >= 0) return { k: "local", v: where.proc.locals[i]!, index: i };
    if (name === "this_cpu") return { k: "cpu" };
  }
  if (name === "$me") return { k: "me" };
  const slots = globalSlots(spec);
  const si = slots.findIndex((s) => s.kind === "var" && s.v!.name === name);
  if (si >= 0) {
    const v = slots[si]!.v!;
    return v.perCpu ? { k: "percpu", v, slot: si } : { k: "global", v, slot: si };
  }
  const li = slots.findIndex((s) => s.kind === "lock" && s.name === name);
  if (li >= 0) return { k: "lock", name, slot: li };
  const c = spec.constants.find((x) => x.name === name);
  if (c) return { k: "const", value: c.value, type: UNSIZED };
  for (const v of [...spec.vars, ...(where.proc?.locals ?? [])]) {
    const b = v.bits.indexOf(name);
    if (b >= 0) return { k: "const", value: b, type: UNSIZED };
  }
  for (const e of spec.enums) {
    const m = e.members.indexOf(name);
    if (m >= 0) return { k: "const", value: m, type: { t: "enum", name: e.name, members: e.members } };
  }
  return undefined;
}

/** Every name a spec defines at top level with where it was defined, for collision checks. */
export function topLevelNames(spec: MachineSpec): { name: string; what: string }[] {
  const out: { name: string; what: string }[] = [];
  for (const c of spec.constants) out.push({ name: c.name, what: "constant" });
  for (const e of spec.enums) for (const m of e.members) out.push({ name: m, what: `member of enum ${e.name}` });
  for (const v of spec.vars) {
    out.push({ name: v.name, what: "variable" });
    for (const b of v.bits) out.push({ name: b, what: `bit of ${v.name}` });
  }
  for (const l of spec.locks) out.push({ name: l.name, what: "lock" });
  return out;
}
