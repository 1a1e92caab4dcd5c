/**
 * `hwspec watch` as a real process on real file-system events: rename-saves (sed -i), new and
 * deleted files, a new folder, and the spec folder replaced by another one. Every wait is on the
 * watcher's own output plus the bytes it wrote, bounded so a lost event fails instead of hanging.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, SPECS, tempDir } from "../helpers/project.ts";

const BOUND_MS = 60_000;

class WatchProcess {
  readonly child: ChildProcess;
  log = "";
  private waiters: (() => void)[] = [];
  private exited: Promise<number | null>;

  constructor(specs: string, out: string) {
    this.child = spawn(process.execPath, [join(ROOT, "bin/hwspec.js"), "--specs", specs, "--out", out, "watch", "--debounce", "50"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    const take = (chunk: Buffer) => {
      this.log += chunk.toString();
      for (const w of this.waiters) w();
    };
    this.child.stdout!.on("data", take);
    this.child.stderr!.on("data", take);
    this.exited = new Promise((done) => this.child.on("exit", (code) => (take(Buffer.from("")), done(code))));
  }

  /** Resolves once `ok()` holds, re-checked whenever the watcher prints; fails after BOUND_MS. */
  until(what: string, ok: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (ok()) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve();
        } else if (this.child.exitCode !== null) {
          clearTimeout(timer);
          reject(new Error(`watch exited (${this.child.exitCode}) while waiting for ${what}:\n${this.log}`));
        }
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`no ${what} within ${BOUND_MS} ms; watcher printed:\n${this.log}`));
      }, BOUND_MS);
      this.waiters.push(check);
      check();
    });
  }

  /** Output printed from now on, for waits that must not match an earlier run's line. */
  mark(): () => string {
    const at = this.log.length;
    return () => this.log.slice(at);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

const SMALL_SPEC = (doc: string) =>
  JSON.stringify(
    {
      $schema: "../../../specs/schema/registers.schema.json",
      kind: "registers",
      name: "extra.uart",
      doc,
      layouts: { status: { width: 8, fields: { busy: { bits: "0", doc: "Busy." } }, reserved: "res0" } },
    },
    null,
    2,
  );

describe("hwspec watch on real file-system events", () => {
  let w: WatchProcess | undefined;
  let root: string | undefined;
  afterEach(async () => {
    await w?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
    w = root = undefined;
  });

  // Many real processes' worth of work on a shared machine: a generous bound, not a timing assertion.
  it("follows rename-saves, new and deleted files, a new folder and a replaced spec folder", { timeout: 300_000 }, async () => {
    root = tempDir("hwspec-fswatch-");
    const specs = join(root, "specs");
    const out = join(root, "generated");
    cpSync(SPECS, specs, { recursive: true });
    // Four real specs (VMX MSRs, control registers, two IOMMU machines) keep each run short.
    for (const rel of ["schema", "arm", "x86/pagetable.json", "xen/dpci-softirq.json", "xen/dpci-softirq-fixed.json", "xen/dpci-softirq-putback.json"]) {
      rmSync(join(specs, rel), { recursive: true });
    }
    w = new WatchProcess(specs, out);
    await w.until('"watching"', () => /watching .* \(Ctrl-C to stop\)/.test(w!.log));
    const vmxTs = join(out, "ts/x86/vmx-msrs.ts");
    expect(readFileSync(vmxTs, "utf8")).toContain("Bytes to allocate for the VMXON region");

    // Two rename-saves of the same file in a row: the second is the one a file watch would miss.
    const vmx = join(specs, "x86/vmx-msrs.json");
    for (const [from, to] of [
      ["Bytes to allocate for the VMXON region", "Size of the VMXON region"],
      ["Size of the VMXON region", "Bytes of the VMXON region"],
    ] as const) {
      const since = w.mark();
      execFileSync("sed", ["-i", `s/${from}/${to}/`, vmx]);
      await w.until(`a run for the sed -i save (${to})`, () => /\[x86\/vmx-msrs\.json\] wrote/.test(since()) && readFileSync(vmxTs, "utf8").includes(to));
    }

    // A deleted spec takes its outputs with it; writing it back brings them back.
    const fix = join(specs, "xen/iommu-domain-teardown-fix.json");
    const fixText = readFileSync(fix, "utf8");
    const fixTs = join(out, "ts/xen/iommu-domain-teardown-fix.ts");
    expect(existsSync(fixTs)).toBe(true);
    let since = w.mark();
    rmSync(fix);
    await w.until("a run removing the deleted spec's outputs", () => /-ts\/xen\/iommu-domain-teardown-fix\.ts/.test(since()) && !existsSync(fixTs));
    since = w.mark();
    writeFileSync(fix, fixText);
    await w.until("a run for the new file", () => /\+ts\/xen\/iommu-domain-teardown-fix\.ts/.test(since()) && existsSync(fixTs));

    // A new folder is watched from then on: a rename-save inside it is seen.
    since = w.mark();
    mkdirSync(join(specs, "extra"));
    writeFileSync(join(specs, "extra/uart.json"), SMALL_SPEC("First text."));
    const extraTs = join(out, "ts/extra/uart.ts");
    // The spec's doc lands in the C header's banner.
    const extraH = join(out, "c/extra/uart.h");
    await w.until("a run for the new folder", () => /\+ts\/extra\/uart\.ts/.test(since()) && existsSync(extraTs));
    since = w.mark();
    execFileSync("sed", ["-i", "s/First text./Second text./", join(specs, "extra/uart.json")]);
    await w.until("a run for the save in the new folder", () => /\[extra\/uart\.json\] wrote/.test(since()) && readFileSync(extraH, "utf8").includes("Second text."));

    // The whole spec folder replaced by another one (as a checkout or a sync tool does it).
    const fresh = join(root, "specs-new");
    cpSync(specs, fresh, { recursive: true });
    since = w.mark();
    renameSync(specs, join(root, "specs-old"));
    renameSync(fresh, specs);
    await w.until("a run for the replaced folder", () => /\[[^\]]*specs\/[^\]]*\] (no output changed|wrote)/.test(since()));
    since = w.mark();
    execFileSync("sed", ["-i", "s/Second text./Third text./", join(specs, "extra/uart.json")]);
    await w.until("a run for a save in the replacement folder", () => /\[extra\/uart\.json\] wrote/.test(since()) && readFileSync(extraH, "utf8").includes("Third text."));

    expect(await w.stop()).toBe(0);
  });

  it("keeps the outputs while the spec folder is gone or empty, and resumes when it is back", async () => {
    root = tempDir("hwspec-fswatch-");
    const specs = join(root, "specs");
    const out = join(root, "generated");
    mkdirSync(join(specs, "extra"), { recursive: true });
    writeFileSync(join(specs, "extra/uart.json"), SMALL_SPEC("First text."));
    w = new WatchProcess(specs, out);
    await w.until('"watching"', () => /watching .* \(Ctrl-C to stop\)/.test(w!.log));
    const extraH = join(out, "c/extra/uart.h");
    const before = readFileSync(extraH, "utf8");

    let since = w.mark();
    renameSync(specs, join(root, "away"));
    await w.until("the missing-folder error", () => /spec folder .* not found; .* unchanged, still watching/.test(since()));
    expect(readFileSync(extraH, "utf8")).toBe(before);

    since = w.mark();
    mkdirSync(specs);
    await w.until("the empty-folder error", () => /no spec files in .*; .* unchanged, still watching/.test(since()));
    expect(readFileSync(extraH, "utf8")).toBe(before);

    since = w.mark();
    mkdirSync(join(specs, "extra"));
    writeFileSync(join(specs, "extra/uart.json"), SMALL_SPEC("Back again."));
    await w.until("a run after the folder came back", () => /wrote/.test(since()) && readFileSync(extraH, "utf8").includes("Back again."));
  });
});
