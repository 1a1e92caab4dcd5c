import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Failure, MachineDef } from "../../generated/ts/fsm.ts";
import * as patch from "../../generated/ts/xen/iommu-domain.ts";
import * as fixed from "../../generated/ts/xen/iommu-domain-teardown-fix.ts";
import { explore } from "../../runtime/fsm/explorer.ts";
import { Interpreter } from "../../runtime/fsm/interpreter.ts";
import { IommuDomain, IommuError, type DomainConfig, type IommuEvent, type Variant } from "../../runtime/xen/iommu.ts";
import { runCli } from "../helpers/cli.ts";

/** The reachable table computed from the compiled step functions (what the generator computed by evaluation). */
function tableOf(def: MachineDef): { states: number[][]; transitions: [number, string, number][] } {
  const init = [...def.globals.map((g) => g.init), 0];
  const ctx = { me: 0, cpu: 0, base: def.globals.length };
  const slots = [...def.globals, { min: 0, max: def.processes[0]!.steps.length }];
  const states = [init];
  const index = new Map([[init.join(","), 0]]);
  const transitions: [number, string, number][] = [];
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    for (const st of def.processes[0]!.steps) {
      for (const t of st.transitions) {
        if (!t.enabled(s, ctx)) continue;
        const next = s.slice();
        const fail: Failure[] = [];
        t.run(next, ctx, fail);
        if (fail.length || next.some((v, k) => v < slots[k]!.min || v > slots[k]!.max)) {
          transitions.push([i, t.name, -1]);
          continue;
        }
        let j = index.get(next.join(","));
        if (j === undefined) {
          j = states.length;
          index.set(next.join(","), j);
          states.push(next);
        }
        transitions.push([i, t.name, j]);
      }
    }
  }
  return { states, transitions };
}

const decodeAll = (states: readonly (readonly number[])[]) => states.map((s) => patch.decodeState(s));

describe("xen.iommu_domain (the need_iommu split as posted)", () => {
  it("the explorer finds sync_iommu_pt without has_iommu_pt: iommu_teardown clears only has_iommu_pt", () => {
    const r = explore(patch.machine);
    expect(r.complete).toBe(true);
    expect(r.instances).toEqual({ domain: 1 });
    expect(r.violations.map((v) => `${v.kind}:${v.name}`)).toEqual(["invariant:sync_implies_has"]);
    expect(r.violations[0]!.trace).toEqual([
      { instance: "domain#0", cpu: 0, step: "create(on_arm=false, mode=0, is_hwdom=false, strict=false, share=false)", changes: { created: [false, true] } },
      { instance: "domain#0", cpu: 0, step: "assign_device(populate_fails=false, assign_fails=true)", changes: { sync_iommu_pt: [false, true] } },
    ]);
    expect(r.unreached).toEqual([]);
    // The trace replays through the interpreter to the bad state.
    const it = new Interpreter(patch.machine);
    it.replay(r.violations[0]!.trace.map((t) => ({ instance: t.instance, step: t.step })));
    expect(it.show()).toMatchObject({ has_iommu_pt: false, sync_iommu_pt: true });
  });

  it("the variant whose iommu_teardown also clears sync_iommu_pt passes", () => {
    const r = explore(fixed.machine);
    expect(r.complete).toBe(true);
    expect(r.violations).toEqual([]);
    expect(r.unreached).toEqual([]);
  });

  it("emits the full reachable transition table, equal to the one the compiled step functions give", () => {
    for (const mod of [patch, fixed]) {
      const t = tableOf(mod.machine);
      expect(mod.TRANSITIONS.states).toEqual(t.states);
      expect(mod.TRANSITIONS.transitions).toEqual(t.transitions);
      // Every state a transition names exists; the program counter slot stays 0.
      for (const [a, , b] of mod.TRANSITIONS.transitions) {
        expect(a).toBeLessThan(mod.TRANSITIONS.states.length);
        expect(b).toBeLessThan(mod.TRANSITIONS.states.length);
      }
      for (const s of mod.TRANSITIONS.states) expect(s.at(-1)).toBe(0);
    }
    // The table (which keeps invariant-breaking states) holds the bad state only for the patch.
    const bad = (states: readonly (readonly number[])[]) => decodeAll(states).filter((s) => s.sync_iommu_pt && !s.has_iommu_pt);
    expect(bad(patch.TRANSITIONS.states).length).toBeGreaterThan(0);
    expect(bad(fixed.TRANSITIONS.states)).toEqual([]);
    // `broken` lists exactly the states where an invariant is false.
    expect(patch.TRANSITIONS.broken).toEqual(patch.TRANSITIONS.states.flatMap((s, i) => (patch.machine.invariants.every((inv) => inv.holds(s)) ? [] : [i])));
    expect(patch.TRANSITIONS.broken.length).toBeGreaterThan(0);
    expect(fixed.TRANSITIONS.broken).toEqual([]);
    // No event of an event machine fails a check (the only assert holds).
    expect(patch.TRANSITIONS.transitions.filter(([, , b]) => b < 0)).toEqual([]);
  });

  it("a HAP guest sharing page tables is given sync_iommu_pt by iommu_construct, unlike the hardware domain", () => {
    // iommu_construct tests iommu_use_hap_pt(d) while has_iommu_pt(d) is still false, so it is
    // false and the tables are populated and synced even when the P2M is shared (docs/iommu-findings.md).
    const both = fixed.TRANSITIONS.states.filter((s) => fixed.decodeState(s).sync_iommu_pt && fixed.iommu_use_hap_pt(s));
    expect(decodeAll(both).map((s) => [s.hwdom, s.paging, s.hap_pt_share])).toContainEqual([false, patch.HAP, true]);
    expect(decodeAll(both).filter((s) => s.hwdom)).toEqual([]);
  });
});

describe("runtime/xen/iommu", () => {
  it("iommu_hwdom_init: sync only for a strict hardware domain that does not share the P2M", () => {
    const pv = IommuDomain.create({ arch: "x86", paging: "pv", hardwareDomain: true, dom0Strict: true });
    expect(pv.hwdomInit()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: true });
    expect(pv.gnttabNeedIommuMapping()).toBe(true);
    expect(pv.iommuUseHapPt()).toBe(false);
    const pvh = IommuDomain.create({ arch: "x86", paging: "hap", hardwareDomain: true, dom0Strict: true, hapPtShare: true });
    expect(pvh.hwdomInit()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: false });
    expect(pvh.iommuUseHapPt()).toBe(true);
    expect(pvh.memoryTypeChangedFlushes(true)).toBe(true);
    expect(pvh.memoryTypeChangedFlushes(false)).toBe(false);
    expect(pvh.addToPhysmapBatchesFlush()).toBe(true);
    expect(pvh.gnttabNeedIommuMapping()).toBe(false);
    const relaxed = IommuDomain.create({ arch: "x86", paging: "pv", hardwareDomain: true });
    expect(relaxed.hwdomInit()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: false });
    expect(relaxed.epteIgnoresPat(false)).toBe(false);
    // ARM: iommu_use_hap_pt(d) is has_iommu_pt(d), so even a strict dom0 never syncs.
    const arm = IommuDomain.create({ arch: "arm", hardwareDomain: true, dom0Strict: true });
    expect(arm.hwdomInit()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: false });
    expect(arm.iommuUseHapPt()).toBe(true);
    expect(arm.gnttabNeedIommuMapping()).toBe(false);
    expect(arm.assignDtDevice()).toMatchObject({ devices: 1 });
  });

  it("device assignment: construct, teardown with the last device, -EXDEV with mem sharing", () => {
    const d = IommuDomain.create({ arch: "x86", paging: "hap" }, "fixed");
    expect(d.epteIgnoresPat(false)).toBe(true);
    d.memSharingControl(true);
    expect(() => d.assignDevice()).toThrow(expect.objectContaining({ code: "exdev" }));
    d.memSharingControl(false);
    expect(d.assignDevice()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: true, devices: 1 });
    expect(() => d.memSharingControl(true)).toThrow(expect.objectContaining({ code: "exdev" }));
    expect(d.assignDevice({ assignFails: true })).toMatchObject({ devices: 1, has_iommu_pt: true });
    expect(d.deassignDevice({ fails: true })).toMatchObject({ devices: 1, has_iommu_pt: true });
    expect(d.deassignDevice()).toMatchObject({ devices: 0, has_iommu_pt: false, sync_iommu_pt: false });
    expect(d.assignDevice({ populateFails: true })).toMatchObject({ devices: 0, has_iommu_pt: false, sync_iommu_pt: false });
  });

  it("the patch's teardown is refused as an invariant violation, leaving the domain unchanged", () => {
    const d = IommuDomain.create({ arch: "x86", paging: "pv" });
    const before = d.raw;
    let err: unknown;
    try {
      d.assignDevice({ assignFails: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IommuError);
    expect(err).toMatchObject({ code: "invariant", failed: ["sync_implies_has"], event: "assign_device(populate_fails=false, assign_fails=true)" });
    expect(d.raw).toEqual(before);
    // The same via deassign of the last device.
    expect(d.assignDevice()).toMatchObject({ has_iommu_pt: true, sync_iommu_pt: true, devices: 1 });
    expect(() => d.deassignDevice()).toThrow(expect.objectContaining({ code: "invariant" }));
    expect(d.state).toMatchObject({ devices: 1, has_iommu_pt: true });
  });

  it("unknown events, bad parameters and disallowed transitions are typed errors and change nothing", () => {
    const d = new IommuDomain();
    const before = d.raw;
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(IommuError);
        return (e as IommuError).code;
      }
      return "ok";
    };
    expect(code(() => d.apply({ name: "reboot" } as unknown as IommuEvent))).toBe("unknown-event");
    expect(code(() => d.apply(undefined as unknown as IommuEvent))).toBe("unknown-event");
    expect(code(() => d.apply({ name: "deassign_device" } as unknown as IommuEvent))).toBe("bad-param");
    expect(code(() => d.createDomain({ arch: "x86", paging: "shadow", hardwareDomain: true }))).toBe("not-allowed");
    expect(code(() => d.assignDevice())).toBe("not-allowed");
    expect(code(() => d.hwdomInit())).toBe("not-allowed");
    expect(d.raw).toEqual(before);
    expect(d.allowed().every((n) => n.startsWith("create("))).toBe(true);
    d.createDomain({ arch: "x86", paging: "pv" });
    expect(code(() => d.createDomain({ arch: "x86", paging: "pv" }))).toBe("not-allowed");
    expect(code(() => d.hwdomInit())).toBe("not-allowed");
    expect(code(() => d.assignDtDevice())).toBe("not-allowed");
    expect(code(() => d.deassignDevice())).toBe("not-allowed");
  });

  const configs: fc.Arbitrary<DomainConfig> = fc.record({
    arch: fc.constantFrom("x86" as const, "arm" as const),
    paging: fc.constantFrom("pv" as const, "shadow" as const, "hap" as const),
    hardwareDomain: fc.boolean(),
    dom0Strict: fc.boolean(),
    hapPtShare: fc.boolean(),
  });
  const op = fc.oneof(
    fc.constant({ op: "hwdomInit" as const }),
    fc.record({ op: fc.constant("assignDevice" as const), populateFails: fc.boolean(), assignFails: fc.boolean() }),
    fc.record({ op: fc.constant("deassignDevice" as const), fails: fc.boolean() }),
    fc.record({ op: fc.constant("assignDtDevice" as const), populateFails: fc.boolean(), assignFails: fc.boolean() }),
    fc.record({ op: fc.constant("deassignDtDevice" as const), fails: fc.boolean() }),
    fc.record({ op: fc.constant("memSharingControl" as const), enable: fc.boolean() }),
  );
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
  const run = (d: IommuDomain, o: Op) => {
    switch (o.op) {
      case "hwdomInit":
        return d.hwdomInit();
      case "assignDevice":
        return d.assignDevice(o);
      case "deassignDevice":
        return d.deassignDevice(o);
      case "assignDtDevice":
        return d.assignDtDevice(o);
      case "deassignDtDevice":
        return d.deassignDtDevice(o);
      case "memSharingControl":
        return d.memSharingControl(o.enable);
    }
  };

  for (const variant of ["patch", "fixed"] as Variant[]) {
    it(`random operation sequences (${variant}): the invariant holds after every operation, errors change nothing, states stay in the generated table`, () => {
      const mod = variant === "patch" ? patch : fixed;
      const known = new Set(mod.TRANSITIONS.states.map((s) => s.join(",")));
      fc.assert(
        fc.property(configs, fc.array(op, { maxLength: 25 }), (config, ops) => {
          let d: IommuDomain;
          try {
            d = IommuDomain.create(config, variant);
          } catch (e) {
            // Configurations the model does not vary (an ARM shadow domain, strict for a domU, ...).
            expect(e).toMatchObject({ code: "not-allowed" });
            return;
          }
          for (const o of ops) {
            const before = d.raw;
            const allowed = d.allowed();
            try {
              run(d, o);
            } catch (e) {
              expect(e).toBeInstanceOf(IommuError);
              const err = e as IommuError;
              expect(["not-allowed", "exdev", "invariant"]).toContain(err.code);
              if (err.code === "invariant") {
                // Only the patch breaks it, only by tearing down a synced domain.
                expect(variant).toBe("patch");
                expect(err.event).toMatch(/^(assign_device|deassign_device)\(/);
              }
              if (err.code === "not-allowed") expect(allowed).not.toContain(err.event);
              expect(d.raw).toEqual(before);
            }
            expect(d.invariantsHold()).toBe(true);
            expect(known.has(d.raw.join(","))).toBe(true);
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe("hwspec explore / export of the event machine", () => {
  it("explore exits 1 with the 2-step trace; the fix exits 0", async () => {
    const r = await runCli(["explore", "xen.iommu_domain"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("INVARIANT sync_implies_has");
    expect(r.stdout).toContain("2. domain#0 (cpu 0) assign_device(populate_fails=false, assign_fails=true)   sync_iommu_pt: false -> true");
    expect((await runCli(["explore", "iommu_domain_teardown_fix"])).code).toBe(0);
  });

  it("Mermaid and DOT include the reachable state graph, invariant-breaking states marked", async () => {
    const n = patch.TRANSITIONS.states.length;
    const m = await runCli(["export", "xen.iommu_domain", "--format", "mermaid"]);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain(`subgraph reachable["reachable states (${n} states, ${patch.TRANSITIONS.transitions.length} transitions)"]`);
    expect(m.stdout).toContain(`st_0["paging=0 devices=0"]`);
    expect(m.stdout.match(/:::broken/g)).toHaveLength(patch.TRANSITIONS.broken.length);
    expect(m.stdout).toContain('n_domain_0 -->|"iommu_hwdom_init [created #38;#38; hwdom #38;#38; !hwdom_inited]"| n_domain_0');
    const d = await runCli(["export", "xen.iommu_domain", "--format", "dot"]);
    expect(d.stdout).toContain('subgraph "cluster_reachable" {');
    expect(d.stdout.match(/, color=red,/g)).toHaveLength(patch.TRANSITIONS.broken.length);
    // Concurrent machines keep the control-flow graph only.
    expect((await runCli(["export", "xen.dpci_softirq", "--format", "dot"])).stdout).not.toContain("cluster_reachable");
  });

  // graphviz is installed by .ci/run; locally the check runs when `dot` is on the PATH.
  it.skipIf(spawnSync("dot", ["-V"]).status !== 0 && !process.env.CI)("every machine's DOT export parses with graphviz", async () => {
    for (const [specs, name] of [
      ["specs", "xen.iommu_domain"],
      ["specs", "xen.iommu_domain_teardown_fix"],
      ["specs", "xen.dpci_softirq"],
      ["specs", "xen.dpci_softirq_putback"],
      ["test/fixtures/machines/tasklet-masked/specs", "fixture.tasklet_masked"],
    ] as const) {
      const d = await runCli(["--specs", specs, "export", name, "--format", "dot"]);
      const r = spawnSync("dot", ["-Tsvg"], { input: d.stdout, encoding: "utf8" });
      expect(r.stderr, name).toBe("");
      expect(r.status, name).toBe(0);
      expect(r.stdout).toContain("<svg");
    }
  });
});
