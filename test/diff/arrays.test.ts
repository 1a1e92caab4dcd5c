/**
 * diff over the register vocabulary: arrays growing, shrinking and changing stride, side-effect
 * accesses, aliases, narrow lanes, reserved writes, unmapped policies, and registers becoming
 * array elements (or the reverse) at the same addresses.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { diffModels } from "../../generator/diff/index.ts";
import type { Change } from "../../generator/diff/types.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import { runCli } from "../helpers/cli.ts";
import { copyTree, ROOT, tempDir } from "../helpers/project.ts";

type Json = Record<string, any>;
const BASE = join(ROOT, "test/fixtures/arrays/specs");
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function modelOf(dir: string) {
  const d = new Diagnostics();
  const r = runFront(loadTree(dir, d), d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  return r.front.model;
}

/** The changes from the fixture tree to a copy edited by `soc` and `dist`. */
function changes(edit: { soc?: (s: Json) => void; dist?: (s: Json) => void }): Change[] {
  const root = tempDir("hwspec-diff-arrays-");
  temps.push(root);
  const dir = join(root, "specs");
  copyTree(BASE, dir);
  for (const [file, f] of [["demo/soc.json", edit.soc], ["demo/dist.json", edit.dist]] as const) {
    if (!f) continue;
    const spec = JSON.parse(readFileSync(join(dir, file), "utf8")) as Json;
    f(spec);
    writeFileSync(join(dir, file), JSON.stringify(spec, null, 2));
  }
  return diffModels(modelOf(BASE), modelOf(dir)).changes;
}

const brief = (cs: Change[]) => cs.map((c) => [c.subject, c.path, c.change, c.severity, c.old, c.new]);

describe("diff of arrays", () => {
  it("an unchanged tree has no changes", () => {
    expect(changes({})).toEqual([]);
  });

  it("growth at the same stride is compatible; shrinking, a new stride and becoming or leaving an array are breaking", () => {
    const cs = changes({
      dist: (s) => {
        s.registers.ISENABLER.count = 8;
        s.registers.ICENABLER.count = 8;
        s.registers.IPRIORITYR.count = 16;
      },
      soc: (s) => {
        s.registers.IA32_PERFEVTSEL.stride = 2;
        s.registers.IA32_MCG_STATUS.count = 2;
        delete s.registers.IA32_PMC.count;
      },
    });
    expect(brief(cs)).toEqual([
      ["register ICENABLER", "", "array", "compatible", "4 × stride 0x4", "8 × stride 0x4"],
      ["register IPRIORITYR", "", "array", "breaking", "32 × stride 0x4", "16 × stride 0x4"],
      ["register ISENABLER", "", "array", "compatible", "4 × stride 0x4", "8 × stride 0x4"],
      ["register IA32_MCG_STATUS", "", "array", "breaking", "single", "2 × stride 0x1"],
      ["register IA32_PERFEVTSEL", "", "array", "breaking", "4 × stride 0x1", "4 × stride 0x2"],
      ["register IA32_PMC", "", "array", "breaking", "4 × stride 0x1", "single"],
    ]);
    expect(cs.find((c) => c.subject === "register IPRIORITYR")!.reason).toContain("IPRIORITYR[16] and up no longer exist");
    expect(cs.find((c) => c.subject === "register ISENABLER")!.reason).toContain("every old element keeps its address");
  });

  it("a cluster's count and stride reach every register of the cluster", () => {
    const cs = changes({ soc: (s) => void (s.clusters.IA32_MC.count = 2) });
    expect(brief(cs).map((c) => [c[0], c[3]])).toEqual(["CTL", "STATUS", "ADDR", "MISC"].sort().map((r) => [`register IA32_MC_${r}`, "breaking"]));
  });
});

describe("diff of side-effect accesses", () => {
  it("says what writes and reads do under each access, breaking unless the new access only adds", () => {
    const cs = changes({
      dist: (s) => {
        s.registers.CTLR.fields.EnableGrp0.access = "w1c";
        s.registers.TYPER.access = "rw";
        s.registers.TYPER.fields.ITLinesNumber.access = "rw";
        s.registers.ACK.access = "ro";
      },
      soc: (s) => void (s.registers.IA32_MCG_STATUS.fields.mcip.access = "w1c"),
    });
    const find = (subject: string, path: string) => cs.find((c) => c.subject === subject && c.path === path && c.change === "access")!;
    expect(find("register CTLR", "EnableGrp0")).toMatchObject({ severity: "breaking", old: "rw", new: "w1c" });
    expect(find("register CTLR", "EnableGrp0").reason).toContain("writes: stores → 1 clears");
    expect(find("register TYPER", "ITLinesNumber")).toMatchObject({ severity: "compatible", old: "ro", new: "rw" });
    // rc → ro: the read no longer clears the field, which a driver relying on it notices.
    expect(find("register ACK", "pending")).toMatchObject({ severity: "breaking", old: "rc", new: "ro" });
    expect(find("register ACK", "pending").reason).toContain("reads: value, then clears → value");
    // w0c → w1c: the same bit is cleared by the opposite written value.
    expect(find("register IA32_MCG_STATUS", "mcip")).toMatchObject({ severity: "breaking" });
    expect(find("register IA32_MCG_STATUS", "mcip").reason).toContain("writes: 0 clears → 1 clears");
  });
});

describe("diff of device behaviour", () => {
  it("reports alias_of, narrow and reserved_writes changes as breaking", () => {
    const cs = changes({
      dist: (s) => {
        delete s.registers.ICENABLER.alias_of;
        s.registers.IPRIORITYR.narrow = "low";
        s.registers.CTLR.reserved_writes = "store";
      },
    });
    expect(brief(cs)).toEqual([
      ["register CTLR", "", "reserved-writes", "breaking", "policy", "store"],
      ["register ICENABLER", "", "alias-of", "breaking", "ISENABLER", "own storage"],
      ["register IPRIORITYR", "", "narrow", "breaking", "lanes", "low"],
    ]);
  });

  it("fault → RAZ/WI is compatible, RAZ/WI → fault breaking, compared offset by offset", () => {
    const grown = changes({ dist: (s) => void (s.block.unmapped_ranges[1].first = "0x480") });
    expect(brief(grown)).toEqual([["block", "", "unmapped", "compatible", "other offsets fault, 0xc..0xff raz-wi, 0x500..0x7ff raz-wi", "other offsets fault, 0xc..0xff raz-wi, 0x480..0x7ff raz-wi"]]);
    expect(grown[0]!.reason).toContain("0x480..0x4ff");
    const shrunk = changes({ dist: (s) => void (s.block.unmapped_ranges[1].last = "0x6ff") });
    expect(brief(shrunk).map((c) => [c[2], c[3]])).toEqual([["unmapped", "breaking"]]);
    expect(shrunk[0]!.reason).toContain("0x700..0x7ff");
    // Splitting a range in two, or a default that no offset uses, changes nothing anyone can see.
    const same = changes({
      dist: (s) => {
        s.block.unmapped_ranges.splice(1, 1, { first: "0x500", last: "0x5ff", policy: "raz-wi" }, { first: "0x600", last: "0x7ff", policy: "raz-wi", doc: "Other text." });
      },
    });
    expect(same).toEqual([]);
  });

  it("offsets a new register takes from a range are the register's change, not the range's", () => {
    const cs = changes({
      dist: (s) => {
        s.block.unmapped_ranges[1].first = "0x504";
        s.registers.SGIR = { offset: "0x500", access: "wo", fields: { SGIINTID: { bits: "3:0" } }, reserved: "res0" };
      },
    });
    expect(brief(cs).map((c) => [c[0], c[2], c[3]])).toEqual([["register SGIR", "added", "compatible"]]);
  });
});

describe("diff of registers that become array elements", () => {
  const split = (s: Json) => {
    const pmc = s.registers.IA32_PMC;
    delete s.registers.IA32_PMC;
    for (let i = 0; i < pmc.count; i++) {
      const { count: _c, ...one } = JSON.parse(JSON.stringify(pmc)) as Json;
      s.registers[`IA32_PMC${i}`] = { ...one, index: `0x${(Number(pmc.index) + i).toString(16)}` };
    }
  };

  it("an array split into registers at the same indices: each register was an element, the array is gone", () => {
    const cs = changes({ soc: split });
    expect(brief(cs)).toEqual([
      ["register IA32_PMC", "", "split", "breaking", "MSR 0xc1, 4 × stride 0x1", undefined],
      ...[0, 1, 2, 3].map((i) => [`register IA32_PMC${i}`, "", "was-element", "breaking", `IA32_PMC[${i}]`, `MSR 0x${(0xc1 + i).toString(16)}`]),
    ]);
    expect(cs[1]!.reason).toContain("the bits did not move");
  });

  it("registers gathered into an array are matched by their element names, with field changes still found", async () => {
    const root = tempDir("hwspec-diff-arrays-");
    temps.push(root);
    const old = join(root, "specs");
    copyTree(BASE, old);
    const path = join(old, "demo/soc.json");
    const spec = JSON.parse(readFileSync(path, "utf8")) as Json;
    split(spec);
    // One of the old registers was narrower: the array's field is wider than it was.
    spec.registers.IA32_PMC2.fields.count.bits = "39:0";
    writeFileSync(path, JSON.stringify(spec, null, 2));
    const cs = diffModels(modelOf(old), modelOf(BASE)).changes;
    expect(brief(cs)).toEqual([
      ["register IA32_PMC", "", "gathered", "compatible", undefined, "MSR 0xc1, 4 × stride 0x1"],
      ...[0, 1, 2, 3].flatMap((i) => [
        [`register IA32_PMC${i}`, "", "now-element", "breaking", `MSR 0x${(0xc1 + i).toString(16)}`, `IA32_PMC[${i}]`],
        ...(i === 2 ? [["register IA32_PMC2", "count", "resized", "compatible", "39:0", "47:0"]] : []),
      ]),
    ]);
    expect(cs[0]!.reason).toContain("none of its elements is new");
    const text = await runCli(["diff", old, BASE]);
    expect(text.stdout).toContain("register IA32_PMC3 now-element: MSR 0xc4 → IA32_PMC[3]");
  });

  it("a register whose name spells an element at another address is a plain removal", () => {
    const cs = changes({
      soc: (s) => {
        s.registers.IA32_PMC.count = 2;
        s.registers.IA32_PMC3 = { ...s.registers.IA32_PMC, index: "0x1c3" };
        delete s.registers.IA32_PMC3.count;
      },
    });
    expect(brief(cs).map((c) => [c[0], c[2]])).toEqual([
      ["register IA32_PMC", "array"],
      ["register IA32_PMC3", "added"],
    ]);
  });
});
