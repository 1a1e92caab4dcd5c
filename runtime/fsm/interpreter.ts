/**
 * Runs a generated machine one step at a time: `step` by instance and step name, `run` a list of
 * moves, `replay` a trace produced by the explorer. Errors are `FsmError`s and leave the given
 * state untouched (every call works on a copy).
 */
import type { MachineDef } from "../../generated/ts/fsm.ts";
import { apply, enabledMoves, FsmError, initialState, layout, showValue, type Layout, type Outcome } from "./machine.ts";

export { FsmError };

export interface Move {
  /** `process#index`, e.g. `irq#0`. */
  instance: string;
  /** Transition name as in traces: the label, with parameters for event steps (`assign(dev=1)`). */
  step: string;
}

export class Interpreter {
  readonly layout: Layout;
  private current: number[];

  constructor(
    readonly def: MachineDef,
    instances: Record<string, number> = {},
  ) {
    this.layout = layout(def, instances);
    this.current = initialState(this.layout, def);
  }

  get state(): readonly number[] {
    return this.current;
  }

  /** The moves that can run now, as `{instance, step}`. */
  enabled(): Move[] {
    return enabledMoves(this.layout, this.current).map((m) => ({ instance: m.inst.id, step: m.transition.name }));
  }

  /** Runs one move. Unknown or disabled moves throw FsmError and change nothing. */
  step(move: Move): Outcome {
    if (typeof move?.instance !== "string" || typeof move.step !== "string") throw new FsmError("bad-move", `not a move: ${JSON.stringify(move) ?? String(move)}`);
    const inst = this.layout.instances.find((i) => i.id === move.instance);
    if (!inst) throw new FsmError("unknown-instance", `no instance "${move.instance}" in ${this.def.name}`);
    if (!inst.process.steps.some((s) => s.transitions.some((t) => t.name === move.step))) {
      throw new FsmError("unknown-step", `process ${inst.process.name} has no step "${move.step}"`);
    }
    const m = enabledMoves(this.layout, this.current).find((x) => x.inst === inst && x.transition.name === move.step);
    if (!m) {
      if (inst.process.events) throw new FsmError("not-enabled", `${move.instance} cannot run "${move.step}" now (its guard is false)`);
      const at = inst.process.steps[this.current[inst.base]!]?.label ?? "(done)";
      throw new FsmError("not-enabled", `${move.instance} cannot run "${move.step}" now (it is at ${at})`);
    }
    const out = apply(this.layout, this.current, m);
    this.current = out.state;
    return out;
  }

  /** Runs moves in order; on an error nothing changes (the state before the first move is kept). */
  run(moves: readonly Move[]): Outcome[] {
    if (!Array.isArray(moves)) throw new FsmError("bad-move", "moves are not a list");
    const saved = this.current;
    const outs: Outcome[] = [];
    try {
      for (const m of moves) outs.push(this.step(m));
    } catch (e) {
      this.current = saved;
      throw e;
    }
    return outs;
  }

  /** Replays an explorer trace from the initial state; the last outcome carries its failures. */
  replay(trace: readonly Move[]): Outcome[] {
    if (!Array.isArray(trace)) throw new FsmError("bad-move", "a trace is a list of moves");
    const saved = this.current;
    this.current = initialState(this.layout, this.def);
    try {
      return this.run(trace);
    } catch (e) {
      this.current = saved;
      throw e;
    }
  }

  /** The state with every slot named and shown as people read it. */
  show(): Record<string, string | number | boolean> {
    const out: Record<string, string | number | boolean> = {};
    this.current.forEach((v, i) => (out[this.layout.slots[i]!.name] = showValue(this.layout, i, v)));
    return out;
  }
}
