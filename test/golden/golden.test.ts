import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { ROOT } from "../helpers/project.ts";

const CASES = join(ROOT, "test/golden/cases");
const update = process.env.UPDATE_GOLDEN === "1";

/**
 * Golden folders: cases/<name>/specs is the input, cases/<name>/expected the spec modules the
 * generator must produce (shared files such as support.ts are covered by the drift test).
 * UPDATE_GOLDEN=1 rewrites expected/ after a deliberate change; review the diff.
 */
describe("golden output", () => {
  for (const name of readdirSync(CASES).sort()) {
    it(name, async () => {
      const d = new Diagnostics();
      const r = runFront(loadTree(join(CASES, name, "specs"), d), d);
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const files = (await runBack(r.front)).filter((f) => f.path.startsWith("ts/") && f.path !== "ts/index.ts");
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) {
        const path = join(CASES, name, "expected", f.path);
        if (update || !existsSync(path)) {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, f.content);
        }
        expect(f.content, f.path).toBe(readFileSync(path, "utf8"));
      }
    });
  }
});

describe("golden module behaviour", async () => {
  const dev = await import("./cases/mixed/expected/ts/demo/dev.ts");
  const { u64ToBigInt } = await import("./cases/mixed/expected/ts/support.ts");

  it("a field straddling the two halves reads and writes across them", () => {
    const v = dev.WIDE.set.straddle(dev.WIDE.fromBigInt(0n), 0xabc);
    expect(u64ToBigInt(v)).toBe(0xabcn << 28n);
    expect(dev.WIDE.get.straddle(dev.WIDE.fromBigInt(0xffffffffffffffffn))).toBe(0xfff);
  });

  it("encode starts from const fields and res1 bits", () => {
    expect(dev.WIDE.format(dev.WIDE.encode({}))).toBe("0x00005a0000000000");
    expect(dev.STATUS.encode({ ready: true })).toBe(0x80000001);
    expect(dev.STATUS.res1Mask).toBe("0x80000000");
  });

  it("a nested 32-bit layout inside a 64-bit register", () => {
    const v = dev.FULL.encode({ ctl_lo: { mode: 7, count: 0xffff }, value: 0x12345678 });
    expect(dev.FULL.decode(v).ctl_lo).toEqual({ en: false, mode: 7, count: 0xffff });
    expect(dev.FULL.decode(v).value).toBe(0x12345678);
  });

  it("availability rules compile to code over typed values", () => {
    const values = { STATUS: 1, WIDE: dev.WIDE.fromBigInt(0n), FULL: dev.FULL.fromBigInt(0n) };
    expect(dev.pair_group.available(values)).toBe(true);
    expect(dev.pair_group.available({ ...values, STATUS: 1 | (3 << 1) })).toBe(false);
  });

  it("hostile doc text stays inside the comment", () => {
    const text = readFileSync(join(CASES, "mixed/expected/ts/demo/dev.ts"), "utf8");
    expect(text).toContain("*\\/ and </script>");
  });
});
