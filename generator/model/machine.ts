import type { Stmt } from "../expr/index.ts";
import type { Loc } from "../diagnostics.ts";
import type { ExprLike } from "./expr.ts";
import type { Located, SpecBase } from "./common.ts";

/** A variable of a machine: every value is stored as an unsigned integer in [min, max]. */
export interface MachineVar extends Located {
  name: string;
  type: "bool" | "int" | "bits" | "enum";
  min: number;
  /** Undefined only for an `int` without `max`, which the checker rejects. */
  max: number | undefined;
  /** Bit names of a `bits` variable, bit 0 first. */
  bits: string[];
  /** Where each bit name is written, for diagnostics about the name itself. */
  bitLocs: Loc[];
  /** Enum type of an `enum` variable. */
  enumName?: string;
  init: number;
  perCpu: boolean;
  readonly: boolean;
  doc: string;
}

export type Context = "irq" | "softirq" | "process";

export interface MachineParam extends Located {
  name: string;
  type: "bool" | "int";
  min: number;
  max: number;
}

/** Effects as parsed (`ast`) with the location of the string; primitives are lowered by the emitters. */
export interface EffectsLike {
  text: string;
  stmts: Stmt[];
  loc: Loc;
}

export interface MachineStep extends Located {
  label: string;
  doc: string;
  params: MachineParam[];
  guard?: ExprLike;
  effects?: EffectsLike;
  asserts: { name: string; expr: ExprLike; loc: Loc }[];
  bugIf?: ExprLike;
  branches: { cond: ExprLike; goto: string; loc: Loc }[];
  goto?: { label: string; loc: Loc };
  rest: boolean;
}

export interface MachineProcess extends Located {
  name: string;
  doc: string;
  context: Context;
  instances: number;
  cpus: number[];
  locals: MachineVar[];
  steps: MachineStep[];
  /**
   * The single actor of an event machine (spec `events`): every step is an event offered in
   * every state where its guard holds; the program counter stays 0. Steps have no branches.
   */
  events?: boolean;
}

export interface MachineCondition extends Located {
  name: string;
  expr: ExprLike;
  doc: string;
}

/**
 * A liveness property: `eventually goal`, or `when leads_to goal` (whenever `when` holds, `goal`
 * holds then or later), over the runs that are weakly fair to the processes in `fair`.
 */
export interface MachineLiveness extends Located {
  name: string;
  kind: "eventually" | "leads_to";
  /** The trigger p of `p leads_to q`; absent for `eventually`. */
  when?: ExprLike;
  goal: ExprLike;
  /** Processes declared fair, with where each name is written; undefined: every process (the default). */
  fair?: { name: string; loc: Loc }[];
  doc: string;
}

export interface MachineFunction extends Located {
  name: string;
  expr: ExprLike;
  doc: string;
  params: string[];
}

/**
 * Interchangeable parts (spec `symmetry`): the instances of each of `processes` on one CPU, and the
 * CPUs of `cpus` with their per-CPU copies and every instance on them. The explorer stores one state
 * per orbit of these permutations; check refuses a declaration a step breaks.
 */
export interface MachineSymmetry extends Located {
  processes: { name: string; loc: Loc }[];
  cpus: number[];
  cpusLoc?: Loc;
}

export interface MachineSpec extends SpecBase {
  kind: "machine";
  cpus: number;
  constants: { name: string; value: number; loc: Loc }[];
  enums: { name: string; members: string[]; loc: Loc; memberLocs: Loc[] }[];
  vars: MachineVar[];
  locks: { name: string; doc: string; loc: Loc }[];
  processes: MachineProcess[];
  invariants: MachineCondition[];
  ends: MachineCondition[];
  liveness: MachineLiveness[];
  functions: MachineFunction[];
  symmetry?: MachineSymmetry;
}
