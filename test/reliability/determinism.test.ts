import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, snapshot, SPECS, tempDir } from "../helpers/project.ts";
import { run } from "./spawn.ts";

const CLI = join(ROOT, "bin/hwspec.js");

/** Every file under `dir` (relative paths), in the order readdir gives them. */
function files(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => {
    const r = rel ? `${rel}/${n}` : n;
    return statSync(join(dir, r)).isDirectory() ? files(dir, r) : [r];
  });
}

/** Copies the tree creating files (and so directory entries) in reverse order. */
function copyReversed(from: string, to: string): void {
  for (const rel of files(from).sort().reverse()) {
    const target = join(to, rel);
    mkdirSync(join(target, ".."), { recursive: true });
    writeFileSync(target, readFileSync(join(from, rel)));
  }
}

describe("deterministic output", () => {
  it("same bytes across working directory, TZ, LANG, enumeration order and spec folder location", async () => {
    const base = tempDir("hwspec-det-");
    const elsewhere = join(tempDir("hwspec-det-other-"), "deeply", "nested path", "specs");
    copyReversed(SPECS, elsewhere);
    const cwd2 = tempDir("hwspec-det-cwd-");
    const env = (tz: string, lang: string) => ({ ...process.env, TZ: tz, LANG: lang, LC_ALL: lang, FORCE_COLOR: "0" });
    const [a, b] = await Promise.all([
      run([CLI, "generate", "--specs", SPECS, "--out", join(base, "a")], { cwd: ROOT, env: env("UTC", "C") }),
      run([CLI, "generate", "--specs", elsewhere, "--out", join(base, "b")], { cwd: cwd2, env: env("Pacific/Kiritimati", "tr_TR.UTF-8") }),
    ]);
    expect(`${a.stderr}exit ${a.code}`).toBe("exit 0");
    expect(`${b.stderr}exit ${b.code}`).toBe("exit 0");
    const ta = snapshot(join(base, "a"));
    const tb = snapshot(join(base, "b"));
    expect(ta.size).toBeGreaterThan(5);
    expect([...tb.keys()]).toEqual([...ta.keys()]);
    for (const [path, text] of ta) {
      expect(tb.get(path), path).toBe(text);
      // Nothing machine-specific leaks in: neither spec folder's absolute path appears.
      expect(text.includes(SPECS) || text.includes(elsewhere), path).toBe(false);
    }
  });
});
