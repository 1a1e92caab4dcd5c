import type { Command } from "commander";
import type { Io } from "./output.ts";

/** What one `hwspec import <format>` subcommand receives: the input file, the resolved --out and its own flags. */
export interface ImportOptions {
  out: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
  /** An importer's own flags (see `ImporterEntry.options`), camel-cased as commander gives them. */
  [option: string]: string | boolean | undefined;
}

/** One importer: its subcommand name, description, examples, and the module that runs it (loaded only when it runs). */
export interface ImporterEntry {
  name: string;
  description: string;
  input: string;
  examples: string[];
  /** Flags of this importer only: commander flags, description, default. */
  options?: { flags: string; description: string; default?: string }[];
  run: () => Promise<{ run(file: string, opts: ImportOptions, io: Io): Promise<number> | number }>;
}

/** The importers, one line each. */
export const IMPORTERS: ImporterEntry[] = [
  {
    name: "svd",
    description: "write one device spec per peripheral of a CMSIS-SVD 1.3 file; unsupported constructs are warnings at file:line:col",
    input: "the .svd file",
    examples: ["hwspec import svd STM32F407.svd --out specs/stm32f407", "hwspec import svd vendor.svd --out specs/soc --json"],
    run: () => import("./commands/import-svd.ts"),
  },
  {
    name: "linux-sysreg",
    description:
      "import Linux's arch/arm64/tools/sysreg (the input of gen-sysreg.awk) as AArch64 system-register specs, every item with its source line",
    input: "the sysreg file (arch/arm64/tools/sysreg of a kernel tree)",
    examples: [
      "hwspec import linux-sysreg linux/arch/arm64/tools/sysreg --out specs/linux",
      "hwspec import linux-sysreg sysreg --out specs/arm64 --namespace arm64.sysreg --json",
    ],
    options: [
      { flags: "--namespace <ns>", description: "namespace of the specs: <ns>.fields, <ns>.s3_0_c0, …", default: "linux.sysreg" },
      { flags: "--source-name <name>", description: "how the file is named in each item's source (default: its path from arch/ on, else its name)" },
    ],
    run: () => import("./commands/import-linux-sysreg.ts"),
  },
];

/**
 * `hwspec import <format> <file> --out <dir>`. --out is also the program's global option (the
 * generated folder), so the subcommand takes it under either position, as `docs` does.
 */
export function addImportCommands(program: Command, run: (code: number | Promise<number>) => void, ioFor: (json: boolean) => Io, quiet: () => boolean): void {
  const group = program.command("import").description("write specs from descriptions that already exist (hwspec import <format> --help)");
  group.addHelpText("after", `\nExamples:\n${IMPORTERS.map((i) => `  $ ${i.examples[0]}`).join("\n")}\n`);
  for (const imp of IMPORTERS) {
    const sub = group
      .command(imp.name)
      .description(imp.description)
      .argument("<file>", imp.input)
      .option("--out <dir>", "folder to write the specs into (required; only files hwspec wrote there are ever replaced)")
      .option("--force", "write into a folder holding files hwspec did not write (they are never changed or deleted)")
      .option("--json", "machine-readable summary (counts, files, warnings)");
    for (const opt of imp.options ?? []) sub.option(opt.flags, opt.description, opt.default);
    sub
      .addHelpText("after", `\nExamples:\n${imp.examples.map((l) => `  $ ${l}`).join("\n")}\n`)
      .action((file: string, o: ImportOptions, cmd: Command) => {
        const out = cmd.getOptionValueSource("out") === "cli" ? o.out : program.getOptionValueSource("out") === "cli" ? (program.opts().out as string) : undefined;
        const io = ioFor(!!o.json);
        if (!out) {
          io[o.json ? "out" : "err"](o.json ? JSON.stringify({ diagnostics: [{ message: `hwspec import ${imp.name}: --out <dir> is required` }] }, null, 2) : `hwspec import ${imp.name}: --out <dir> is required`);
          return run(2);
        }
        return run(imp.run().then((m) => m.run(file, { ...o, out, force: !!o.force, json: !!o.json, quiet: quiet() }, io)));
      });
  }
}
