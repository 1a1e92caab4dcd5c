/**
 * Symmetry reduction: the orbit representative of a state under the permutations a machine declares
 * (`MachineDef.symmetry`): the instances of a symmetric process on one CPU, and the symmetric CPUs
 * with their per-CPU copies and every instance on them. A search stores representatives only, so
 * each orbit is stored once; since every permutation maps runs to runs and leaves the invariants,
 * checks and end conditions alone (check refuses a declaration a step breaks), the reachable
 * representatives are exactly the representatives of the reachable states.
 *
 * The representative sorts: first each (process, CPU) class of a symmetric process by its
 * instances' slots (pc, locals, then which locks each holds), then the symmetric CPUs by their
 * per-CPU slots followed by their (sorted) instances. The CPU key is the same for every
 * arrangement inside the classes, so the result is one state per orbit (a canonical form), and
 * locks follow their holders. Nothing is allocated per call.
 */
import { FsmError, type Layout } from "./machine.ts";

export interface Canoniser {
  /** The orbit representative of `s` into `out` (not `s` itself); returns the orbit's size. */
  canonicalise(s: readonly number[], out: number[]): number;
  /** Instance number in `out` of each instance number in `s`, for the last call. */
  readonly image: Int32Array;
  /** What is permuted, for reports: `irq on CPU 0 (4)`, `CPUs 0, 1`. */
  readonly groups: readonly string[];
}

const FACT: number[] = [1];
for (let i = 1; i <= 20; i++) FACT.push(FACT[i - 1]! * i);

/** The canoniser of a layout, or undefined when its machine declares nothing that moves here. */
export function canoniser(l: Layout): Canoniser | undefined {
  const sym = l.def.symmetry;
  if (!sym) return undefined;
  const n = l.instances.length;
  const base = Int32Array.from(l.instances.map((i) => i.base));
  const width = Int32Array.from(l.instances.map((i) => 1 + i.process.locals.length));
  const locks = Int32Array.from(l.slots.flatMap((s, k) => (s.kind === "lock" && k < l.def.globals.length ? [k] : [])));
  const groups: string[] = [];
  // Per process and CPU, its instances in index order.
  const onCpu = new Map<string, number[]>();
  for (const inst of l.instances) {
    const key = `${inst.process.name}@${inst.cpu}`;
    if (!onCpu.has(key)) onCpu.set(key, []);
    onCpu.get(key)!.push(inst.me);
  }
  const classes: Int32Array[] = [];
  for (const [key, members] of onCpu) {
    const [proc, cpu] = key.split("@");
    if (sym.processes.includes(proc!) && members.length > 1) {
      classes.push(Int32Array.from(members));
      groups.push(`${proc} on CPU ${cpu} (${members.length})`);
    }
  }
  const cpus = sym.cpus.filter((c) => c < l.def.cpus);
  const procs = l.def.processes.filter((p) => (l.counts[p.name] ?? 0) > 0 && p.cpus.some((c) => cpus.includes(c)));
  // Per symmetric CPU, per process on them, its instances: the k-th of one CPU maps to the k-th of another.
  const lists: Int32Array[][] = cpus.map((c) => procs.map((p) => Int32Array.from(onCpu.get(`${p.name}@${c}`) ?? [])));
  if (cpus.length > 1) {
    for (const [pi, p] of procs.entries()) {
      const counts = lists.map((ls) => ls[pi]!.length);
      if (new Set(counts).size > 1) throw new FsmError("bad-instances", `${l.def.name} declares CPUs ${cpus.join(", ")} interchangeable, but ${l.counts[p.name]} instances of ${p.name} put ${counts.join(", ")} on them`);
    }
    groups.push(`CPUs ${cpus.join(", ")}`);
  }
  const perCpu = Int32Array.from(sym.perCpu);
  if (!groups.length) return undefined;

  const order = new Int32Array(n);
  const image = new Int32Array(n);
  const scratch = new Int32Array(Math.max(n, cpus.length));
  const cpuSrc = new Int32Array(cpus.length);
  let src: readonly number[] = [];

  const cmpInst = (a: number, b: number): number => {
    const ba = base[a]!;
    const bb = base[b]!;
    for (let t = 0; t < width[a]!; t++) {
      const d = src[ba + t]! - src[bb + t]!;
      if (d) return d;
    }
    for (let k = 0; k < locks.length; k++) {
      const v = src[locks[k]!]!;
      const d = (v === a + 1 ? 1 : 0) - (v === b + 1 ? 1 : 0);
      if (d) return d;
    }
    return 0;
  };
  // CPU i of `cpus` against CPU j, after the classes are sorted (order[] holds the sources).
  const cmpCpu = (i: number, j: number): number => {
    const ci = cpus[i]!;
    const cj = cpus[j]!;
    for (let k = 0; k < perCpu.length; k++) {
      const d = src[perCpu[k]! + ci]! - src[perCpu[k]! + cj]!;
      if (d) return d;
    }
    const li = lists[i]!;
    const lj = lists[j]!;
    for (let p = 0; p < li.length; p++) {
      const a = li[p]!;
      const b = lj[p]!;
      for (let k = 0; k < a.length; k++) {
        const d = cmpInst(order[a[k]!]!, order[b[k]!]!);
        if (d) return d;
      }
    }
    return 0;
  };
  /** Insertion sort of scratch[0..len) (small groups); returns the orbit factor n! / Π multiplicities!. */
  const sort = (len: number, cmp: (a: number, b: number) => number): number => {
    for (let i = 1; i < len; i++) {
      const x = scratch[i]!;
      let j = i - 1;
      while (j >= 0 && cmp(scratch[j]!, x) > 0) {
        scratch[j + 1] = scratch[j]!;
        j--;
      }
      scratch[j + 1] = x;
    }
    let f = FACT[len]!;
    let run = 1;
    for (let i = 1; i <= len; i++) {
      if (i < len && cmp(scratch[i - 1]!, scratch[i]!) === 0) run++;
      else {
        f /= FACT[run]!;
        run = 1;
      }
    }
    return f;
  };

  return {
    image,
    groups,
    canonicalise(s, out) {
      src = s;
      let orbit = 1;
      for (let k = 0; k < n; k++) order[k] = k;
      for (const c of classes) {
        for (let j = 0; j < c.length; j++) scratch[j] = c[j]!;
        orbit *= sort(c.length, cmpInst);
        for (let j = 0; j < c.length; j++) order[c[j]!] = scratch[j]!;
      }
      for (let k = 0; k < s.length; k++) out[k] = s[k]!;
      if (cpus.length > 1) {
        for (let j = 0; j < cpus.length; j++) scratch[j] = j;
        orbit *= sort(cpus.length, cmpCpu);
        for (let j = 0; j < cpus.length; j++) cpuSrc[j] = scratch[j]!;
        // Compose: the k-th instance of a process on CPU j takes the sorted k-th one of CPU cpuSrc[j].
        for (let k = 0; k < n; k++) scratch[k] = order[k]!;
        for (let j = 0; j < cpus.length; j++) {
          const to = lists[j]!;
          const from = lists[cpuSrc[j]!]!;
          for (let p = 0; p < to.length; p++) for (let k = 0; k < to[p]!.length; k++) order[to[p]![k]!] = scratch[from[p]![k]!]!;
          for (let k = 0; k < perCpu.length; k++) out[perCpu[k]! + cpus[j]!] = s[perCpu[k]! + cpus[cpuSrc[j]!]!]!;
        }
      }
      for (let k = 0; k < n; k++) {
        const o = order[k]!;
        image[o] = k;
        const bo = base[o]!;
        const bk = base[k]!;
        for (let t = 0; t < width[k]!; t++) out[bk + t] = s[bo + t]!;
      }
      for (let k = 0; k < locks.length; k++) {
        const v = s[locks[k]!]!;
        if (v > 0 && v <= n) out[locks[k]!] = image[v - 1]! + 1;
      }
      return orbit;
    },
  };
}
