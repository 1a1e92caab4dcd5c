import { mkdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Watcher, type RunSummary } from "../../generator/cli/commands/watch.ts";
import type { Io } from "../../generator/cli/output.ts";
import { snapshot } from "../helpers/project.ts";
import { copyTree, SPECS, tempDir } from "../helpers/project.ts";

const PAST = new Date("2001-01-01T00:00:00Z");

/** A temp project with a fake event source and a manual clock: nothing waits on real timers. */
function harness(opts: { force?: boolean } = {}) {
  const root = tempDir("hwspec-watch-");
  const specsDir = join(root, "specs");
  const outDir = join(root, "generated");
  copyTree(SPECS, specsDir);
  let emit: ((file: string) => void) | undefined;
  const timers: { fn: () => void; cancelled: boolean }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), color: false };
  const runs: RunSummary[] = [];
  const watcher = new Watcher({
    specsDir,
    outDir,
    io,
    force: opts.force,
    events: (on) => {
      emit = on;
      return () => (emit = undefined);
    },
    schedule: (fn) => {
      const t = { fn, cancelled: false };
      timers.push(t);
      return () => void (t.cancelled = true);
    },
    onRun: (s) => void runs.push(s),
  });
  /** Fires the pending debounce timer (the latest one), then waits for the run it starts. */
  const tick = async () => {
    const live = timers.filter((t) => !t.cancelled);
    expect(live.length).toBe(1);
    live[0]!.cancelled = true;
    live[0]!.fn();
    return watcher.flush().then(() => runs.at(-1)!);
  };
  const ageOutputs = () => {
    for (const rel of snapshot(outDir).keys()) utimesSync(join(outDir, rel), PAST, PAST);
  };
  // hwspec's manifest is replaced on every commit (its identity tells readers a commit happened), so it is not an output here.
  const touched = () =>
    [...snapshot(outDir).keys()].filter((rel) => rel !== ".hwspec-manifest.json" && statSync(join(outDir, rel)).mtimeMs !== PAST.getTime()).sort();
  return { specsDir, outDir, watcher, fire: (f: string) => emit!(f), tick, ageOutputs, touched, out, err, runs };
}

describe("hwspec watch", () => {
  it("regenerates only the edited spec's outputs and leaves the rest untouched", async () => {
    const h = harness();
    const first = await h.watcher.start();
    expect(first.ok).toBe(true);
    expect(first.plan.added.length).toBeGreaterThan(3);
    h.ageOutputs();
    const before = snapshot(h.outDir);

    // Edit one doc string of the VMX spec; the event arrives twice (editors save in steps): one run.
    const vmx = join(h.specsDir, "x86/vmx-msrs.json");
    const text = readFileSync(vmx, "utf8");
    const doc = "Bytes to allocate for the VMXON region and any VMCS region (at most 4096).";
    expect(text).toContain(doc);
    writeFileSync(vmx, text.replace(doc, "Size in bytes of the VMXON and VMCS regions (at most 4096)."));
    h.fire("x86/vmx-msrs.json");
    h.fire("x86/vmx-msrs.json");
    const run = await h.tick();
    expect(h.runs.length).toBe(2);
    expect(run.trigger).toEqual(["x86/vmx-msrs.json"]);
    expect(run.ok).toBe(true);

    const changed = [...run.plan.added, ...run.plan.changed, ...run.plan.removed].sort();
    expect(changed.length).toBeGreaterThan(0);
    for (const f of changed) expect(f).toMatch(/x86\/vmx-msrs\.(ts|h)$/);
    // Exactly the files whose bytes changed were rewritten; every other output keeps its old mtime.
    expect(h.touched()).toEqual(changed);
    const after = snapshot(h.outDir);
    for (const [rel, content] of before) if (!changed.includes(rel)) expect(after.get(rel), rel).toBe(content);
    expect(after.get(changed[0]!)).toContain("Size in bytes of the VMXON and VMCS regions");
    // Only the changed files were formatted again: the content-hash cache served the rest.
    expect(run.formatted).toBe(changed.length);
    expect(h.out.at(-1)).toMatch(/\[x86\/vmx-msrs\.json\] wrote \d+ files?: ~/);
    h.watcher.close();
  });

  it("prints errors without exiting, changes nothing, and recovers when the spec is fixed", async () => {
    const h = harness();
    await h.watcher.start();
    h.ageOutputs();
    const cr = join(h.specsDir, "x86/control-registers.json");
    const good = readFileSync(cr, "utf8");
    writeFileSync(cr, good.replace('"kind": "registers"', '"kind": "registers",\n  "kind": "registers"'));
    h.fire("x86/control-registers.json");
    const bad = await h.tick();
    expect(bad.ok).toBe(false);
    expect(h.err.join("\n")).toMatch(/control-registers\.json:\d+:\d+: .*\[.*\]/);
    expect(h.err.join("\n")).toContain("still watching");
    expect(h.touched()).toEqual([]);

    writeFileSync(cr, good);
    h.fire("x86/control-registers.json");
    const fixed = await h.tick();
    expect(fixed.ok).toBe(true);
    expect(fixed.plan).toEqual({ added: [], changed: [], removed: [] });
    expect(h.touched()).toEqual([]);
    expect(h.out.at(-1)).toContain("no output changed");
    h.watcher.close();
  });

  it("never touches a user's files: refuses their folder, and with --force a file at an output path, and keeps watching", async () => {
    const plain = harness();
    mkdirSync(plain.outDir);
    writeFileSync(join(plain.outDir, "NOTES.md"), "notes\n");
    const refused = await plain.watcher.start();
    expect(refused.ok).toBe(false);
    expect(refused.refused?.reason).toBe("foreign");
    expect(plain.err.join("\n")).toMatch(/holds files hwspec did not write \(NOTES\.md\).*--force/);
    expect(snapshot(plain.outDir)).toEqual(new Map([["NOTES.md", "notes\n"]]));
    plain.watcher.close();

    const h = harness({ force: true });
    mkdirSync(join(h.outDir, "ts/x86"), { recursive: true });
    writeFileSync(join(h.outDir, "ts/x86/vmx-msrs.ts"), "// my own\n");
    writeFileSync(join(h.outDir, "NOTES.md"), "notes\n");
    const first = await h.watcher.start();
    expect(first.ok).toBe(false);
    expect(first.refused?.reason).toBe("collision");
    expect(first.refused?.paths).toEqual(["ts/x86/vmx-msrs.ts"]);
    expect(snapshot(h.outDir)).toEqual(new Map([["NOTES.md", "notes\n"], ["ts/x86/vmx-msrs.ts", "// my own\n"]]));

    // The user moves their file away; the next change regenerates, beside NOTES.md.
    rmSync(join(h.outDir, "ts/x86/vmx-msrs.ts"));
    h.fire("x86/vmx-msrs.json");
    const run = await h.tick();
    expect(run.ok).toBe(true);
    expect(run.plan.added).toContain("ts/x86/vmx-msrs.ts");
    expect(readFileSync(join(h.outDir, "NOTES.md"), "utf8")).toBe("notes\n");
    expect(JSON.parse(readFileSync(join(h.outDir, ".hwspec-manifest.json"), "utf8")).files).not.toContain("NOTES.md");
    h.watcher.close();
  });
});
