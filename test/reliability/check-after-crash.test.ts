import { renameSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { copyTree, GENERATED, ROOT, snapshot, tempDir } from "../helpers/project.ts";

describe("generate --check after a run killed mid-swap", () => {
  it("reads the old tree the swap renamed away, and writes nothing", async () => {
    const out = join(tempDir(), "generated");
    copyTree(GENERATED, out);
    // The state a SIGKILL between the two renames leaves: outDir gone, the old tree beside it.
    renameSync(out, `${out}.old`);
    const r = await runCli(["--specs", join(ROOT, "specs"), "generate", "--check", "--out", out]);
    expect(r.code).toBe(0);
    expect(snapshot(`${out}.old`)).toEqual(snapshot(GENERATED));
    // The next real run finishes the recovery.
    expect((await runCli(["--specs", join(ROOT, "specs"), "generate", "--out", out])).code).toBe(0);
    expect(snapshot(out)).toEqual(snapshot(GENERATED));
  });
});
