/**
 * Types shared by every generated machine module (hwspec `machine` specs). A state is a flat
 * array of unsigned integers: the shared slots first (see `MachineDef.globals`), then for each
 * process instance its program counter followed by its locals.
 */

export type Context = "irq" | "softirq" | "process";

/** One slot of a state: its name, its range and how to show it. */
export interface Slot {
  readonly name: string;
  readonly kind: "bool" | "int" | "bits" | "enum" | "lock";
  readonly min: number;
  readonly max: number;
  readonly init: number;
  /** Enum members (by index) or bit names (bit 0 first). */
  readonly names?: readonly string[];
}

/** Which instance runs a step: its number, its CPU and the index of its program counter slot. */
export interface Ctx {
  readonly me: number;
  readonly cpu: number;
  readonly base: number;
}

/** A check a step failed: a named `assert`, a `bug_if` (BUG()), or an unlock of a lock not held. */
export interface Failure {
  readonly kind: "assert" | "bug" | "lock";
  readonly name: string;
}

/**
 * The slots a transition's `run` may write: shared slot indices, per-CPU variables by their CPU 0
 * slot (the running instance writes index + cpu), and offsets from the instance's `base` (0 is
 * the program counter, k + 1 the k-th local). A search checks and re-packs only these slots.
 */
export interface Writes {
  readonly shared: readonly number[];
  readonly perCpu: readonly number[];
  readonly local: readonly number[];
}

/** One transition: a step with its parameters bound. `run` mutates the state, program counter included. */
export interface Transition {
  readonly name: string;
  readonly enabled: (s: readonly number[], c: Ctx) => boolean;
  readonly run: (s: number[], c: Ctx, fail: Failure[]) => void;
  /** Every slot `run` may write (absent: any slot). */
  readonly writes?: Writes;
  /**
   * The step touches only its instance: it reads and writes only its program counter and locals
   * (no shared or per-CPU variable, no lock) and starts and ends busy. Partial-order reduction
   * may then take it alone (absent: not known to be local).
   */
  readonly local?: boolean;
}

export interface Step {
  readonly label: string;
  /** The instance is idle while its program counter is here. */
  readonly rest: boolean;
  readonly transitions: readonly Transition[];
}

export interface ProcessDef {
  readonly name: string;
  readonly context: Context;
  readonly instances: number;
  readonly cpus: readonly number[];
  readonly locals: readonly Slot[];
  readonly steps: readonly Step[];
  /** An event machine's actor: every step is an event offered whenever its guard holds; the program counter stays 0. */
  readonly events?: boolean;
}

export interface Condition {
  readonly name: string;
  readonly doc: string;
  readonly holds: (s: readonly number[]) => boolean;
}

/**
 * A liveness property, checked over the runs that are weakly fair to the instances of the `fair`
 * processes: `eventually` (every run reaches a state where `goal` holds) or `leads_to` (every
 * state where `when` holds is met or followed by one where `goal` holds).
 */
export interface Liveness {
  readonly name: string;
  readonly doc: string;
  readonly kind: "eventually" | "leads_to";
  /** As written in the spec: `eventually q` or `p leads_to q`. */
  readonly formula: string;
  /** The trigger of `leads_to`; absent for `eventually`, whose trigger is the initial state. */
  readonly when?: (s: readonly number[]) => boolean;
  readonly goal: (s: readonly number[]) => boolean;
  /** Processes whose instances are weakly fair (the spec's `fair`, every process by default). */
  readonly fair: readonly string[];
}

/**
 * The machine's declared symmetry (spec `symmetry`, refused by check when a step breaks it): the
 * instances of each of `processes` on one CPU are interchangeable, and so are the CPUs of `cpus`
 * with their per-CPU copies (`perCpu`: CPU 0 slot of each per-CPU variable) and their instances.
 */
export interface Symmetry {
  readonly processes: readonly string[];
  readonly cpus: readonly number[];
  readonly perCpu: readonly number[];
}

export interface MachineDef {
  readonly name: string;
  readonly doc: string;
  readonly cpus: number;
  readonly globals: readonly Slot[];
  readonly processes: readonly ProcessDef[];
  readonly invariants: readonly Condition[];
  readonly ends: readonly Condition[];
  readonly liveness: readonly Liveness[];
  readonly symmetry?: Symmetry;
}
