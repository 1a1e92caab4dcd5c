/**
 * The parallel search (runtime/fsm/parallel.ts) against the single-thread explorer on every
 * machine in specs/ and every fixture: same states, transitions, completeness, unreached steps,
 * violations (kind, name) and trace lengths; every parallel trace replays through the
 * interpreter. Bad modules and crashing workers end in a ParallelError, not a hang; the memory and
 * state bounds hold over all workers together; the CLI's --workers gives the sequential answer.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { findMachine, openMachineModule, type MachineModule } from "../../generator/cli/machines.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { machineSpecs } from "../../generator/elaborate/lookup.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import { explore, type ExploreResult } from "../../runtime/fsm/explorer.ts";
import { exploreParallel, ParallelError } from "../../runtime/fsm/parallel.ts";
import { replayTrace } from "../../runtime/fsm/replay.ts";
import { machineTrees as trees, ROOT } from "../helpers/machines.ts";

const opened: MachineModule[] = [];
const temps: string[] = [];
afterAll(() => {
  for (const m of opened) m.close();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function modulesOf(dir: string, only?: string): Promise<MachineModule[]> {
  const d = new Diagnostics();
  const fr = runFront(loadTree(dir, d), d);
  if (!fr.ok) throw new Error(`${dir} does not check: ${fr.diagnostics[0]?.message}`);
  const out: MachineModule[] = [];
  for (const s of machineSpecs(fr.front.model)) {
    if (only && s.name !== only) continue;
    const spec = findMachine(fr.front.model, s.name);
    if ("error" in spec) throw new Error(spec.error);
    const m = await openMachineModule(spec);
    opened.push(m);
    out.push(m);
  }
  return out;
}

/** What must agree: everything but the traces' paths and the bytes each store happens to hold. */
const verdict = (r: ExploreResult) => ({
  states: r.states,
  transitions: r.transitions,
  complete: r.complete,
  unreached: r.unreached,
  stateWords: r.stateWords,
  violations: r.violations.map((v) => ({ kind: v.kind, name: v.name, length: v.trace.length })),
});

describe("the parallel search agrees with the sequential one", () => {
  it.each(trees.map((t) => [t.slice(ROOT.length + 1)]))("every machine of %s", async (rel) => {
    const mods = await modulesOf(join(ROOT, rel));
    expect(mods.length).toBeGreaterThan(0);
    for (const { def, url } of mods) {
      const counts: Record<string, number>[] = [{}];
      const multi = def.processes.filter((p) => !p.events && p.instances > 1);
      if (multi.length) counts.push(Object.fromEntries(multi.map((p) => [p.name, p.instances + 1])));
      for (const instances of counts) {
        const what = `${def.name} ${JSON.stringify(instances)}`;
        const seq = explore(def, { instances, reduce: "none" });
        const par = await exploreParallel(def, url, { instances, workers: 2 });
        expect(verdict(par), what).toEqual(verdict(seq));
        for (const v of par.violations) {
          const r = replayTrace(def, v, instances);
          expect(r.kind, `${what} ${v.kind}:${v.name}`).toBe(v.kind);
        }
      }
    }
  });

  it("with queues so small that writers wait for room", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq_fixed");
    const instances = { irq: 3, softirq: 3 };
    const seq = explore(m!.def, { instances, reduce: "none" });
    for (const workers of [2, 3]) {
      const par = await exploreParallel(m!.def, m!.url, { instances, workers, queueEntries: 4 });
      expect(verdict(par), `${workers} workers`).toEqual(verdict(seq));
    }
  });

  it("with three workers (an uneven split of two CPUs' states)", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    const instances = { irq: 3, softirq: 3 };
    const seq = explore(m!.def, { instances, reduce: "none" });
    const par = await exploreParallel(m!.def, m!.url, { instances, workers: 3 });
    expect(verdict(par)).toEqual(verdict(seq));
    expect(seq.violations.length).toBeGreaterThan(0);
    for (const v of par.violations) replayTrace(m!.def, v, instances);
  });
});

describe("workers share the work of a level", () => {
  it("a worker that owns no state expands its peer's", async () => {
    // The one global is never written, so one worker owns every state (ownership follows the
    // globals) and the other has work only by taking from its peer's frontier.
    const dir = mkdtempSync(join(tmpdir(), "hwspec-parallel-"));
    temps.push(dir);
    const machine = {
      $schema: join(ROOT, "specs/schema/machine.schema.json"),
      kind: "machine",
      name: "test.lopsided",
      doc: "Four counters that never touch the shared flag.",
      cpus: 1,
      vars: { flag: { type: "bool", doc: "Never written." } },
      processes: {
        walker: {
          instances: 4,
          cpus: [0, 0, 0, 0],
          locals: { x: { type: "int", max: 15 } },
          steps: [{ label: "up", rest: true, guard: "x < 15 && !flag", effects: "x += 1", goto: "up" }],
        },
      },
    };
    writeFileSync(join(dir, "lopsided.json"), JSON.stringify(machine));
    const [m] = await modulesOf(dir);
    const seq = explore(m!.def, { reduce: "none" });
    const par = await exploreParallel(m!.def, m!.url, { workers: 2 });
    expect(verdict(par)).toEqual(verdict(seq));
    const [a, b] = par.workers!;
    expect([a!.stored, b!.stored].sort((x, y) => x - y)).toEqual([0, seq.states]);
    expect(a!.expanded + b!.expanded).toBe(seq.states);
    const idle = a!.stored === 0 ? a! : b!;
    expect(idle.expanded).toBeGreaterThan(0);
  });
});

describe("bounds over all workers", () => {
  it("maxStates counts the states of every worker", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq_fixed");
    const instances = { irq: 3, softirq: 3 };
    const full = explore(m!.def, { instances, reduce: "none" });
    const max = Math.floor(full.states / 3);
    const cut = await exploreParallel(m!.def, m!.url, { instances, workers: 2, maxStates: max });
    expect(cut).toMatchObject({ complete: false, stopped: "max-states", states: max });
  });

  it("maxBytes bounds the stores of every worker together", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq_fixed");
    const instances = { irq: 4, softirq: 4 };
    const full = await exploreParallel(m!.def, m!.url, { instances, workers: 2 });
    expect(full.complete).toBe(true);
    const maxBytes = Math.floor(full.storeBytes / 2);
    const cut = await exploreParallel(m!.def, m!.url, { instances, workers: 2, maxBytes });
    expect(cut).toMatchObject({ complete: false, stopped: "max-memory", violations: [] });
    expect(cut.states).toBeGreaterThan(0);
    expect(cut.states).toBeLessThan(full.states);
    expect(cut.storeBytes).toBeLessThanOrEqual(maxBytes);
  });
});

describe("failures are errors, not hangs", () => {
  const temp = (name: string, text: string) => {
    const dir = mkdtempSync(join(tmpdir(), "hwspec-parallel-"));
    temps.push(dir);
    writeFileSync(join(dir, name), text);
    return pathToFileURL(join(dir, name)).href;
  };

  it("a module without a machine", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    const url = temp("empty.mjs", "export const nothing = 1;\n");
    await expect(exploreParallel(m!.def, url, { workers: 2 })).rejects.toMatchObject({ name: "ParallelError", code: "bad-module" });
  });

  it("a module that does not load", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    const url = temp("broken.mjs", "throw new Error('no such machine today');\n");
    await expect(exploreParallel(m!.def, url, { workers: 2 })).rejects.toThrow(/no such machine today/);
  });

  it("a module for another machine", async () => {
    const [a] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    const [b] = await modulesOf(join(ROOT, "specs"), "xen.iommu_domain");
    expect(b, "xen.iommu_domain is a shipped machine").toBeDefined();
    await expect(exploreParallel(a!.def, b!.url, { workers: 2 })).rejects.toMatchObject({ code: "bad-module" });
  });

  it("a worker whose transition throws mid-search", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    // The real machine with one transition that throws after a while: the other worker is then
    // waiting for a level that never ends, and must be stopped rather than waited for.
    const url = temp(
      "crash.mjs",
      `import { machine as real } from ${JSON.stringify(m!.url)};
let calls = 0;
const t = real.processes[0].steps[0].transitions[0];
const wrapped = { ...t, run: (s, c, f) => { if (++calls > 50) throw new Error("transition exploded"); t.run(s, c, f); } };
const p0 = real.processes[0];
export const machine = { ...real, processes: [{ ...p0, steps: [{ ...p0.steps[0], transitions: [wrapped, ...p0.steps[0].transitions.slice(1)] }, ...p0.steps.slice(1)] }, ...real.processes.slice(1)] };
`,
    );
    const err = await exploreParallel(m!.def, url, { workers: 2, instances: { irq: 3, softirq: 3 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParallelError);
    expect(err).toMatchObject({ code: "worker-failed", message: expect.stringMatching(/transition exploded/) });
  });

  it("a bad worker count", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    await expect(exploreParallel(m!.def, m!.url, { workers: 0 })).rejects.toMatchObject({ code: "bad-workers" });
  });

  it("a queue size that is not a power of two, or is too large", async () => {
    const [m] = await modulesOf(join(ROOT, "specs"), "xen.dpci_softirq");
    for (const queueEntries of [3, 0, 2 ** 30]) {
      await expect(exploreParallel(m!.def, m!.url, { workers: 2, queueEntries })).rejects.toMatchObject({ code: "bad-queue" });
    }
  });
});

describe("hwspec explore --workers", () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/hwspec.js"), ...args], { cwd: ROOT, encoding: "utf8" });

  it("gives the single-thread verdict, and traces that hwspec replay accepts", () => {
    const one = cli("explore", "xen.dpci_softirq", "--instances", "irq=3,softirq=3", "--reduce", "none", "--json");
    const two = cli("explore", "xen.dpci_softirq", "--instances", "irq=3,softirq=3", "--workers", "2", "--json");
    expect(two.status).toBe(1);
    expect(one.status).toBe(1);
    const a = JSON.parse(one.stdout) as ExploreResult;
    const b = JSON.parse(two.stdout) as ExploreResult;
    expect(verdict(b)).toEqual(verdict(a));
    const dir = mkdtempSync(join(tmpdir(), "hwspec-parallel-"));
    temps.push(dir);
    writeFileSync(join(dir, "trace.json"), two.stdout);
    const r = cli("replay", "xen.dpci_softirq", join(dir, "trace.json"), "--json");
    expect(r.status, r.stderr).toBe(0);
  });

  it("refuses a reduction it does not do", () => {
    const r = cli("explore", "xen.dpci_softirq", "--workers", "2", "--reduce", "symmetry");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--reduce symmetry needs the single-thread search/);
  });

  it("refuses a bad count", () => {
    const r = cli("explore", "xen.dpci_softirq", "--workers", "0");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--workers must be an integer in \[1, 16\] or auto/);
  });
});
