import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ElabMachineSpec } from "../../generator/elaborate/model.ts";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { applyOverlays } from "../../generator/load/overlay.ts";
import { loadFiles } from "../../generator/load/tree.ts";
import { frontOf, ROOT } from "../helpers/project.ts";
import { runCli } from "../helpers/cli.ts";

const BASE = {
  $schema: "../schema/device.schema.json",
  kind: "device",
  name: "demo.uart",
  doc: "A small UART.",
  block: { size: "0x100", access_widths: [32] },
  registers: {
    DATA: { offset: "0x0", doc: "Data.", fields: { octet: { bits: "7:0" } }, reserved: "res0" },
    CTRL: { offset: "0x4", doc: "Control.", fields: { en: { bits: "0" }, mode: { bits: "2:1" } }, reserved: "res0" },
  },
  constants: { BASE: { value: "0x1000", doc: "Where the first UART sits." } },
};

const overlay = (ops: unknown[], extra: Record<string, unknown> = {}) => ({
  $schema: "../schema/overlay.schema.json",
  kind: "device",
  name: "demo.uart1",
  doc: "The second UART.",
  extends: "demo.uart",
  overlay: ops,
  ...extra,
});

const text = (j: unknown) => JSON.stringify(j, null, 2) + "\n";

function errorsOf(files: Record<string, unknown>): string[] {
  const r = frontOf(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, text(v)])));
  if (r.ok) return [];
  return r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message} [${d.pointer}]`);
}

/** Line:col of the first occurrence of `needle` in the pretty-printed JSON of `j`. */
function posOf(j: unknown, needle: string): string {
  const lines = text(j).split("\n");
  const line = lines.findIndex((l) => l.includes(needle));
  return `${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
}

describe("overlays", () => {
  it("merge by name: a constant replaced, a register added, a field merged; positions stay with the file that wrote them", () => {
    const o = overlay([
      { op: "replace", path: "/constants/BASE", value: { value: "0x2000", doc: "Where the second UART sits." } },
      { op: "add", path: "/registers/FIFO", value: { offset: "0x8", doc: "FIFO level.", fields: { level: { bits: "4:0" } }, reserved: "res0" } },
      { op: "merge", path: "/registers/CTRL/fields/mode", value: { doc: "Mode, documented here." } },
    ]);
    const d = new Diagnostics();
    const tree = loadFiles({ "demo/uart.json": text(BASE), "demo/uart1.json": text(o) }, d);
    const out = applyOverlays(tree.sources, d);
    expect(d.count).toBe(0);
    const inst = out.find((s) => (s.json as { name: string }).name === "demo.uart1")!;
    const json = inst.json as typeof BASE & { registers: Record<string, unknown> };
    expect(inst.extends?.name).toBe("demo.uart");
    expect(json.constants.BASE.value).toBe("0x2000");
    expect(BASE.constants.BASE.value).toBe("0x1000");
    expect(Object.keys(json.registers)).toEqual(["DATA", "CTRL", "FIFO"]);
    expect(json.registers.CTRL).toEqual({ ...BASE.registers.CTRL, fields: { ...BASE.registers.CTRL.fields, mode: { bits: "2:1", doc: "Mode, documented here." } } });
    expect(json.doc).toBe("The second UART.");
    const where = (ptr: string) => {
      const l = inst.at(ptr);
      return `${l.file}:${l.line}:${l.col}`;
    };
    expect(where("/registers/DATA/offset")).toBe(`specs/demo/uart.json:${posOf(BASE, '"0x0"')}`);
    expect(where("/registers/FIFO/offset")).toBe(`specs/demo/uart1.json:${posOf(o, '"0x8"')}`);
    expect(where("/registers/CTRL/fields/mode/doc")).toBe(`specs/demo/uart1.json:${posOf(o, '"Mode, documented here."')}`);
    expect(where("/registers/CTRL/fields/mode/bits")).toBe(`specs/demo/uart.json:${posOf(BASE, '"2:1"')}`);
    expect(where("/name")).toBe(`specs/demo/uart1.json:${posOf(o, '"demo.uart1"')}`);
  });

  it("locate errors of the merged spec in the file that wrote the value", () => {
    // A register the overlay adds overlaps one it inherits: the error is at the overlay's value.
    const o = overlay([{ op: "add", path: "/registers/EXTRA", value: { offset: "0x4", doc: "Overlaps CTRL.", fields: { x: { bits: "31:0" } } } }]);
    const errs = errorsOf({ "demo/uart.json": BASE, "demo/uart1.json": o });
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^specs\/demo\/uart1\.json:\d+:\d+: register EXTRA \(offset 0x4\) overlaps register CTRL/);
    // A schema error inside a replaced value is reported at the overlay's text.
    const bad = overlay([{ op: "replace", path: "/registers/CTRL/fields/en", value: { bits: "zero" } }]);
    const e2 = errorsOf({ "demo/uart.json": BASE, "demo/uart1.json": bad });
    expect(e2[0]).toContain(`specs/demo/uart1.json:${posOf(bad, '"zero"')}: `);
  });

  it("refuse a name that does not exist, or an add of one that does, at the operation", () => {
    const ops = [
      { op: "replace", path: "/registers/CTLR/fields/en", value: { bits: "0" } },
      { op: "add", path: "/registers/DATA", value: { offset: "0x8", fields: { a: { bits: "0" } } } },
      { op: "remove", path: "/constants/BAS" },
    ];
    const o = overlay(ops);
    const errs = errorsOf({ "demo/uart.json": BASE, "demo/uart1.json": o });
    const at = (i: number) => `specs/demo/uart1.json:${posOf(o, `"${ops[i]!.path}"`)}: `;
    expect(errs).toEqual([
      `${at(0)}overlay replace /registers/CTLR/fields/en: no member "CTLR" in /registers (did you mean "CTRL"?) [/overlay/0/path]`,
      `${at(1)}overlay add /registers/DATA: "DATA" already exists in /registers; use replace or merge to change it [/overlay/1/path]`,
      `${at(2)}overlay remove /constants/BAS: no member "BAS" in /constants (did you mean "BASE"?) [/overlay/2/path]`,
    ]);
  });

  it("refuse a missing base, a cycle and a kind that is not the base's", () => {
    const missing = overlay([], { extends: "demo.uat" });
    expect(errorsOf({ "demo/uart.json": BASE, "demo/uart1.json": missing })).toEqual([
      `specs/demo/uart1.json:${posOf(missing, '"demo.uat"')}: overlay demo.uart1 extends unknown spec "demo.uat" (did you mean "demo.uart"?); the base must be a spec of the same tree [/extends]`,
    ]);
    const a = overlay([], { name: "demo.a", extends: "demo.b" });
    const b = overlay([], { name: "demo.b", extends: "demo.a" });
    const cycle = errorsOf({ "demo/a.json": a, "demo/b.json": b });
    expect(cycle).toHaveLength(1);
    expect(cycle[0]).toMatch(/overlays cannot form a cycle \[\/extends\]$/);
    const kind = overlay([], { kind: "machine" });
    expect(errorsOf({ "demo/uart.json": BASE, "demo/uart1.json": kind })[0]).toMatch(/says kind "machine" but its base demo\.uart is a device spec \[\/kind\]$/);
  });

  it("stack: an overlay of an overlay sees both sets of changes", () => {
    const one = overlay([{ op: "replace", path: "/constants/BASE", value: { value: "0x2000" } }]);
    const two = overlay([{ op: "remove", path: "/registers/DATA" }], { name: "demo.uart2", extends: "demo.uart1" });
    const d = new Diagnostics();
    const out = applyOverlays(loadFiles({ "demo/uart.json": text(BASE), "demo/uart1.json": text(one), "demo/uart2.json": text(two) }, d).sources, d);
    expect(d.count).toBe(0);
    const s = out.find((x) => (x.json as { name: string }).name === "demo.uart2")!;
    const json = s.json as typeof BASE & { registers: Record<string, unknown> };
    expect(json.constants.BASE.value).toBe("0x2000");
    expect(Object.keys(json.registers)).toEqual(["CTRL"]);
    expect(s.at("/registers/CTRL").file).toBe("specs/demo/uart.json");
    expect(s.at("/constants/BASE/value").file).toBe("specs/demo/uart1.json");
  });

  it("place an added step before or after a named one", () => {
    const machine = {
      $schema: "../schema/machine.schema.json",
      kind: "machine",
      name: "demo.m",
      doc: "Two steps.",
      vars: { x: { type: "int", max: 3 } },
      processes: { p: { steps: [{ label: "a", effects: "x = 1" }, { label: "b", effects: "x = 2" }] } },
    };
    const o = {
      $schema: "../schema/overlay.schema.json",
      kind: "machine",
      name: "demo.m2",
      doc: "A step in between.",
      extends: "demo.m",
      overlay: [{ op: "add", path: "/processes/p/steps/mid", after: "a", value: { label: "mid", effects: "x = 3" } }],
    };
    const r = frontOf({ "demo/m.json": text(machine), "demo/m2.json": text(o) });
    expect(r.ok, r.ok ? "" : r.diagnostics.map((d) => d.message).join("\n")).toBe(true);
    if (!r.ok) return;
    const m = r.front.model.specs.find((x) => x.name === "demo.m2") as ElabMachineSpec;
    expect(m.processes[0]!.steps.map((s) => s.label)).toEqual(["a", "mid", "b"]);
  });
});

describe("the shipped variants are overlays", () => {
  it("each is far shorter than its base and explores like the full copy it replaced", async () => {
    for (const [variant, base] of [
      ["xen/dpci-softirq-fixed.json", "xen/dpci-softirq.json"],
      ["xen/dpci-softirq-putback.json", "xen/dpci-softirq.json"],
      ["xen/iommu-domain-teardown-fix.json", "xen/iommu-domain.json"],
    ] as const) {
      const v = readFileSync(join(ROOT, "specs", variant), "utf8");
      const b = readFileSync(join(ROOT, "specs", base), "utf8");
      expect(JSON.parse(v).extends, variant).toBe(JSON.parse(b).name);
      expect(v.split("\n").length, variant).toBeLessThan(b.split("\n").length / 3);
    }
    // The verdicts docs/dpci-findings.md and docs/iommu-findings.md report for the variants.
    const fixed = JSON.parse((await runCli(["explore", "xen.dpci_softirq_fixed", "--json"])).stdout) as { violations: unknown[]; complete: boolean };
    expect([fixed.complete, fixed.violations.length]).toEqual([true, 0]);
    const iommu = JSON.parse((await runCli(["explore", "xen.iommu_domain_teardown_fix", "--json"])).stdout) as { violations: unknown[]; complete: boolean };
    expect([iommu.complete, iommu.violations.length]).toEqual([true, 0]);
  });

  it("hwspec diff --overlay lists what a variant changes", async () => {
    const r = await runCli(["diff", "--overlay", "xen.iommu_domain_teardown_fix", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { old: string; changes: { subject: string; path: string; change: string }[] };
    expect(j.old).toBe("xen.iommu_domain");
    expect(j.changes.map((c) => `${c.subject}: ${c.path} ${c.change}`)).toEqual(["process domain: step assign_device effects", "process domain: step deassign_device effects"]);
    const notOverlay = await runCli(["diff", "--overlay", "xen.iommu_domain"]);
    expect(notOverlay.code).toBe(2);
    expect(notOverlay.stderr).toContain("is not an overlay");
  });
});
