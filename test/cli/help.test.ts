import { afterEach, describe, expect, it } from "vitest";
import { buildProgram, main } from "../../generator/cli/main.ts";
import { processIo, type Io } from "../../generator/cli/output.ts";
import { runCli } from "../helpers/cli.ts";
import { SPECS } from "../helpers/project.ts";

const ESC = /\u001b\[/;

/** Runs the CLI with an Io that behaves like a colour terminal unless main asks for JSON. */
async function runAsTty(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const ioFor = (json: boolean): Io => ({
    out: (t) => void (stdout += t + "\n"),
    err: (t) => void (stderr += t + "\n"),
    color: !json,
  });
  const code = await main(argv, ioFor);
  return { code, stdout, stderr };
}

describe("terminal manners", () => {
  const commands = buildProgram(() => {}).commands.map((c) => c.name());

  it("registers diff, docs and watch", () => {
    expect(commands).toEqual(expect.arrayContaining(["diff", "docs", "watch"]));
  });

  it.each(commands)("%s --help has a description, usage and an Examples: section", async (name) => {
    const r = await runCli([name, "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: hwspec ${name}`);
    expect(r.stdout).toMatch(/\nExamples:\n(  \$ hwspec .+\n)+/);
    expect(r.stdout).not.toMatch(ESC);
  });

  it("never colours --json output, even on a terminal", async () => {
    for (const argv of [["list", "--json"], ["check", "--json"], ["diff", SPECS, SPECS, "--json"], ["layout", "IA32_VMX_BASIC", "--json"]]) {
      const r = await runAsTty([...argv, "--specs", SPECS]);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.stdout, argv.join(" ")).not.toMatch(ESC);
      JSON.parse(r.stdout);
    }
    // The same command without --json on a terminal does colour: the check above is not vacuous.
    expect((await runAsTty(["list", "--specs", SPECS])).stdout).toMatch(ESC);
  });

  describe("processIo", () => {
    const tty = process.stdout.isTTY;
    const noColor = process.env.NO_COLOR;
    afterEach(() => {
      (process.stdout as { isTTY?: boolean }).isTTY = tty;
      if (noColor === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = noColor;
    });

    it("colours only on a TTY, never with NO_COLOR or --json", () => {
      (process.stdout as { isTTY?: boolean }).isTTY = true;
      delete process.env.NO_COLOR;
      expect(processIo(false).color).toBe(true);
      expect(processIo(true).color).toBe(false);
      process.env.NO_COLOR = "1";
      expect(processIo(false).color).toBe(false);
      delete process.env.NO_COLOR;
      (process.stdout as { isTTY?: boolean }).isTTY = false;
      expect(processIo(false).color).toBe(false);
    });
  });

  it("--quiet silences success output but not errors", async () => {
    const quiet = await runCli(["--quiet", "diff", SPECS, SPECS]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toBe("");
    const bad = await runCli(["--quiet", "diff", SPECS, "/nonexistent-hwspec-dir"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("not a folder");
  });
});
