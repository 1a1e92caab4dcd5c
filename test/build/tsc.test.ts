import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyTree, GENERATED, ROOT, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";

const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

function tsc(args: string[], cwd = ROOT): { ok: boolean; output: string } {
  try {
    execFileSync(process.execPath, [TSC, ...args], { cwd, encoding: "utf8", stdio: "pipe" });
    return { ok: true, output: "" };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

describe("TypeScript compiler over generated and handwritten code", () => {
  it("tsc --noEmit passes over generator, generated, runtime, test and bench", () => {
    const r = tsc(["--noEmit", "-p", "tsconfig.json"]);
    expect(r.output).toBe("");
    expect(r.ok).toBe(true);
  });

  it("a broken size fact in a copy of the generated code makes tsc fail", () => {
    const dir = tempDir();
    copyTree(GENERATED, join(dir, "generated"));
    const file = join(dir, "generated/ts/x86/vmx-msrs.ts");
    const text = readFileSync(file, "utf8");
    const start = text.indexOf("const IA32_VMX_MISC_info = {");
    expect(start).toBeGreaterThan(0);
    const broken = text.slice(0, start) + text.slice(start).replace("bytes: 8,", "bytes: 4,");
    writeFileSync(file, broken);
    const withBrokenFact = strictTsc(dir, ["generated/ts"]);
    writeFileSync(file, text);
    expect(strictTsc(dir, ["generated/ts"])).toBe("");
    expect(withBrokenFact).toMatch(/vmx-msrs\.ts.*error TS2344/);
  });
});
