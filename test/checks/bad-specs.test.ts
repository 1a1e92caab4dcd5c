import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { copyTree, GENERATED, ROOT, snapshot, tempDir } from "../helpers/project.ts";

const FIXTURES = join(ROOT, "test/fixtures/bad");
const cases = readdirSync(FIXTURES).sort();

/**
 * Each fixture holds one bad spec tree and expected.txt: "exit N" and then the exact stderr.
 * Paths in messages are relative to the repository root, as a user running from there sees them.
 */
describe("bad-spec corpus: every kind gets located diagnostics", () => {
  it("has a fixture for every check the foundation promises", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  for (const name of cases) {
    it(name, async () => {
      const expected = readFileSync(join(FIXTURES, name, "expected.txt"), "utf8");
      const [exitLine, ...rest] = expected.split("\n");
      const prev = process.cwd();
      process.chdir(ROOT);
      try {
        const r = await runCli(["check", "--specs", `test/fixtures/bad/${name}/specs`]);
        expect(`exit ${r.code}`).toBe(exitLine);
        expect(r.stderr).toBe(rest.join("\n"));
        expect(r.stdout).toBe("");
      } finally {
        process.chdir(prev);
      }
    });
  }

  it("generate on a bad spec leaves the output folder byte-for-byte untouched", async () => {
    const out = join(tempDir(), "generated");
    copyTree(GENERATED, out);
    const before = snapshot(out);
    for (const name of cases) {
      const r = await runCli(["generate", "--specs", join(FIXTURES, name, "specs"), "--out", out]);
      expect(r.code, name).toBe(2);
      expect(snapshot(out), name).toEqual(before);
    }
  });
});
