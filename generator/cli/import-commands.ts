import type { Command } from "commander";
import type { Io } from "./output.ts";

type Run = (code: number | Promise<number>) => void;
type Examples = (cmd: Command, lines: string[]) => Command;

/**
 * `hwspec import <format>`: one subcommand per importer. Each importer adds its own block here;
 * the output writing they share is in import-output.ts and generator/import/write.ts.
 */
export function addImportCommands(program: Command, run: Run, ioFor: (json: boolean) => Io, examples: Examples): void {
  const group = examples(
    program.command("import").description("write hwspec specs from descriptions that already exist (Linux's arm64 sysreg file); only files import wrote are ever replaced"),
    ["hwspec import linux-sysreg linux/arch/arm64/tools/sysreg --out specs/linux"],
  );
  /** Commander gives --out to the global option when it comes before the subcommand; either way it names the import's folder. */
  const outOf = (o: { out?: string }, cmd: Command): string | undefined => {
    if (cmd.getOptionValueSource("out") === "cli") return o.out;
    for (let c: Command | null = cmd.parent; c; c = c.parent) if (c.getOptionValueSource("out") === "cli") return c.opts().out as string;
    return undefined;
  };

  examples(
    group
      .command("linux-sysreg")
      .description("import Linux's arch/arm64/tools/sysreg (the input of gen-sysreg.awk) as AArch64 system-register specs, every item with its source line")
      .argument("<file>", "the sysreg file (arch/arm64/tools/sysreg of a kernel tree)")
      .option("--out <dir>", "folder to write the specs into (required), e.g. specs/linux")
      .option("--namespace <ns>", "namespace of the specs: <ns>.fields, <ns>.s3_0_c0, …", "linux.sysreg")
      .option("--source-name <name>", "how the file is named in each item's source (default: its path from arch/ on, else its name)")
      .option("--force", "write into a folder holding files hwspec did not write (they are never changed or deleted)")
      .option("--json", "machine-readable summary: counts, files written, warnings")
      .action((file, o, cmd) =>
        run(import("./commands/import-linux-sysreg.ts").then((m) => m.importLinuxSysregCommand(file, { ...o, out: outOf(o, cmd), quiet: !!cmd.optsWithGlobals().quiet }, ioFor(!!o.json)))),
      ),
    ["hwspec import linux-sysreg linux/arch/arm64/tools/sysreg --out specs/linux", "hwspec import linux-sysreg sysreg --out specs/arm64 --namespace arm64.sysreg --json"],
  );
}
