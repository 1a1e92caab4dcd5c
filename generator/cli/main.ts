import { Command, CommanderError, Option } from "commander";
import { dirname } from "node:path";
import { packageVersion } from "../package-root.ts";
import { resolveSettings, type Settings } from "./config.ts";
import { DEFAULT_DOCS_OUT } from "./defaults.ts";
import { EXIT, json, printDiagnostics, processIo, usageError, type Io } from "./output.ts";
import { addImportCommands } from "./import-group.ts";

interface Global extends Settings {
  quiet?: boolean;
  json?: boolean;
}

/** Builds the program; `run` receives each command's exit code. Separate from main() so tests can drive it. */
export function buildProgram(run: (code: number | Promise<number>) => void, ioFor: (json: boolean) => Io = processIo, jsonErrors = false): Command {
  const program = new Command("hwspec")
    .description("Turn declarative JSON specs of low-level layouts into code people can trust.")
    .version(packageVersion(), "-V, --version", "print the version of hwspec")
    .addOption(new Option("--specs <dir>", "folder of spec files (default: from hwspec.config.json, else specs)"))
    .addOption(new Option("--out <dir>", "folder of generated files (default: from hwspec.config.json, else generated)"))
    .option("--config <file>", "use this config file instead of the nearest hwspec.config.json")
    .option("-q, --quiet", "print only errors")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ioFor(false).out(s),
      writeErr: (s) => ioFor(false).err(s),
      // With --json a tool reads stdout only, so usage errors go there as JSON too.
      outputError: (s, write) => (jsonErrors ? ioFor(true).out(json({ diagnostics: [{ message: s.replace(/^error: /, "").trim() }] })) : write(s)),
    })
    .addHelpText("after", "\nExit codes: 0 ok, 1 findings, 2 usage or input error, 3 explore stopped at --max-states (incomplete), 4 explore stopped at --max-memory (incomplete).\n");
  // Settings (defaults < hwspec.config.json < flags) are resolved once, before any command runs.
  let settings: Settings | undefined;
  program.hook("preAction", async (_program, action) => {
    if (action.name() === "init" || action.parent?.name() === "import") return;
    const asJson = !!action.opts().json;
    const given = (name: string) => (program.getOptionValueSource(name) === "cli" ? (program.opts()[name] as string) : undefined);
    const r = await resolveSettings(process.cwd(), { config: given("config"), specs: given("specs"), out: given("out"), targets: action.opts().targets as string | undefined });
    if ("settings" in r) {
      settings = r.settings;
      return;
    }
    if ("error" in r) usageError(ioFor(asJson), asJson, r.error);
    else printDiagnostics(ioFor(asJson), r.diagnostics, asJson);
    throw new CommanderError(EXIT.usage, "hwspec.config", "invalid configuration");
  });
  const projectRoot = (configFile: string | undefined) => (configFile ? dirname(configFile) : process.cwd());
  const g = (cmd: Command): Global => ({ ...(cmd.optsWithGlobals() as Global), ...settings! });
  const examples = (cmd: Command, lines: string[]) =>
    cmd.addHelpText("after", `\nExamples:\n${lines.map((l) => `  $ ${l}`).join("\n")}\n`);

  examples(
    program
      .command("generate")
      .description("regenerate generated/ from specs/ (only files hwspec wrote are replaced; nothing changes on error)")
      .option("--check", "write nothing; exit 1 and list the files that would change")
      .option("--force", "write into a folder holding files hwspec did not write (they are never changed or deleted)")
      .option("--targets <list>", "override the config's targets: comma-separated ts, c, docs")
      .option("--no-cache", "emit and format every file, without reading or filling the emit cache (node_modules/.cache/hwspec)")
      .option("--json", "machine-readable summary")
      .action((o, cmd) => run(import("./commands/generate.ts").then((m) => m.generateCommand({ ...g(cmd), ...o, projectRoot: projectRoot(g(cmd).configFile) }, ioFor(!!o.json))))),
    ["hwspec generate", "hwspec generate --check", "hwspec generate --targets ts", "hwspec generate --out src/hw --force"],
  );
  examples(
    program
      .command("check")
      .description("validate every spec; errors as file:line:col: message [json-pointer]")
      .option("--json", "machine-readable result")
      .action((o, cmd) => run(import("./commands/check.ts").then((m) => m.checkCommand({ ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec check", "hwspec check --specs my-specs"],
  );
  examples(
    program
      .command("model")
      .description("print the elaborated model: every derived fact (absolute masks, sizes, access, identifiers, lowered machines)")
      .option("--json", "the documented, versioned JSON shape (docs/model-json.md)")
      .option("--spec <namespace>", "only this spec")
      .action(async (o, cmd) => run((await import("./commands/model.ts")).modelCommand({ ...g(cmd), ...o }, ioFor(!!o.json)))),
    ["hwspec model", "hwspec model --json --spec x86.vmx"],
  );
  examples(
    program
      .command("list")
      .description("list specs, layouts, registers and groups")
      .option("--json", "machine-readable output")
      .action((o, cmd) => run(import("./commands/list.ts").then((m) => m.listCommand({ ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec list", "hwspec list --json"],
  );
  examples(
    program
      .command("layout")
      .description("show the resolved layout of a register or layout")
      .argument("<name>", "qualified (x86.vmx.IA32_VMX_BASIC) or unambiguous short name")
      .option("--json", "machine-readable output")
      .action((name, o, cmd) => run(import("./commands/layout.ts").then((m) => m.layoutCommand(name, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec layout IA32_VMX_BASIC", "hwspec layout x86.cr.cr0_bits --json"],
  );
  examples(
    program
      .command("decode")
      .description("decode a raw value field by field (exact up to 64 bits), or with --walk translate a virtual address through page tables in a dump")
      .argument("<name>", "register or layout name; with --walk an entries spec (x86.pagetable)")
      .argument("[value]", "raw value: 0x.., 0b.., 0o.. or decimal (not with --walk)")
      .option("--strict", "exit 1 when reserved bits break their policy or a field holds no named enum value")
      .option("--walk <va>", "walk this virtual address through the tables of --dump from --root (exit 1 on a fault)")
      .option("--root <pa>", "with --walk: physical address of the root table")
      .option("--dump <file>", "with --walk: table pages, a raw image (with --dump-base) or the JSON/text form of docs/walker.md")
      .option("--dump-base <pa>", "with --walk: the dump is a raw little-endian memory image starting at this physical address")
      .option("--json", "machine-readable output (with a \"violations\" list; with --walk the steps, translation and fault)")
      .action((name, value, o, cmd) => {
        if (o.walk !== undefined) {
          if (value !== undefined) return run(import("./output.ts").then((m) => m.usageError(ioFor(!!o.json), o.json, `hwspec decode --walk: give a virtual address to --walk, not a value ("${value}")`)));
          if (o.strict) return run(import("./output.ts").then((m) => m.usageError(ioFor(!!o.json), o.json, "hwspec decode --walk: --strict does not apply (a walk that faults exits 1 anyway)")));
          return run(import("./commands/walk.ts").then((m) => m.walkCommand(name, { ...g(cmd), ...o }, ioFor(!!o.json))));
        }
        const stray = ["root", "dump", "dumpBase"].find((k) => o[k] !== undefined);
        if (stray) return run(import("./output.ts").then((m) => m.usageError(ioFor(!!o.json), o.json, `hwspec decode: --${stray === "dumpBase" ? "dump-base" : stray} needs --walk`)));
        if (value === undefined) return run(import("./output.ts").then((m) => m.usageError(ioFor(!!o.json), o.json, "hwspec decode: missing the value to decode (or --walk <va> with an entries spec)")));
        return run(import("./commands/decode.ts").then((m) => m.decodeCommand(name, value, { ...g(cmd), ...o }, ioFor(!!o.json))));
      }),
    [
      "hwspec decode IA32_VMX_BASIC 0x00da040000000004",
      "hwspec decode IA32_VMX_PROCBASED_CTLS 0xfff9fffe0401e172 --json",
      "hwspec decode cr0_bits 0x80000011 --strict",
      "hwspec decode x86.pagetable --walk 0xffff830000001000 --root 0x1000 --dump tables.json",
      "hwspec decode x86.pagetable --walk 0x40003000 --root 0x100000000 --dump mem.bin --dump-base 0x100000000 --json",
    ],
  );
  examples(
    program
      .command("encode")
      .description("build a raw value from field assignments (starting from the reset value)")
      .argument("<name>", "register or layout name")
      .argument("<assignments...>", "path=value, e.g. allowed_1.activate_secondary_controls=1; an enum field takes a member name, e.g. memory_type=WB")
      .option("--from <value>", "start from this raw value instead of the reset value")
      .option("--json", "machine-readable output")
      .action((name, pairs, o, cmd) => run(import("./commands/decode.ts").then((m) => m.encodeCommand(name, pairs, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec encode IA32_VMX_BASIC vmcs_revision_id=4 vmcs_region_size=0x400 memory_type=WB", "hwspec encode LCR_H WLEN=BITS8 FEN=1"],
  );
  examples(
    program
      .command("audit")
      .description("check a C header's union/struct against a spec: gcc reports where each member's bits live")
      .argument("<name>", "register or layout name")
      .requiredOption("--c-header <file>", "the C header to audit")
      .option("--c-type <type>", 'the union or struct: "union tag", "struct tag", a tag or a typedef name')
      .option("--c-address <macro>", "a macro giving the register's index or offset: function-like (REG(n)) for every element of an array, object-like for one register or element")
      .option("--json", "machine-readable output")
      .action((name, o, cmd) => run(import("./commands/audit.ts").then((m) => m.auditCommand(name, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    [
      'hwspec audit IA32_VMX_BASIC --c-header generated/c/x86/vmx-msrs.h --c-type "union ia32_vmx_basic"',
      "hwspec audit IA32_VMX_PROCBASED_CTLS --c-header my/msr.h --c-type procbased_ctls --json",
      "hwspec audit IA32_MC_CTL --c-header my/msr-index.h --c-address MSR_IA32_MCx_CTL",
    ],
  );
  examples(
    program
      .command("diff")
      .description("compare two spec trees at the model level; each change is breaking or compatible, with the reason")
      .argument("[old]", "folder of specs, or git:REV for the specs folder at a revision of this repository")
      .argument("[new]", "folder of specs, or git:REV")
      .option("--overlay <spec>", "instead of two trees: what the overlay <spec> of this tree changes in the spec it extends")
      .option("--json", "machine-readable output (sorted, stable)")
      .option("--fail-on <what>", 'exit 1 when there is a change of this kind: "breaking" or "any"')
      .action((a, b, o, cmd) => run(import("./commands/diff.ts").then((m) => m.diffCommand(a, b, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec diff git:HEAD specs", "hwspec diff git:v0.1.0 git:HEAD --fail-on breaking", "hwspec diff old-specs specs --json", "hwspec diff --overlay xen.dpci_softirq_fixed"],
  );
  examples(
    program
      .command("docs")
      .description(`write a static HTML site (search, tables, bit-field diagrams, decode box) and Markdown from the model`)
      .option("--out <dir>", `output folder (default: ${DEFAULT_DOCS_OUT}, not generated/)`)
      .option("--format <format>", "html, md or both", "both")
      .option("--force", "write into a folder holding files hwspec did not write (they are never changed or deleted)")
      .option("--json", "machine-readable summary")
      .action((o, cmd) => {
        // Commander hands --out to the global option (generated/); for docs an explicit --out names the site folder.
        const site = cmd.getOptionValueSource("out") === "cli" ? (o.out as string) : cmd.parent?.getOptionValueSource("out") === "cli" ? (cmd.parent.opts().out as string) : undefined;
        return run(import("./commands/docs.ts").then((m) => m.docsCommand({ ...g(cmd), ...o, site: site ?? g(cmd).docsOut }, ioFor(!!o.json))));
      }),
    ["hwspec docs", "hwspec docs --out /tmp/site --format html", "hwspec docs --format md"],
  );
  examples(
    program
      .command("watch")
      .description("regenerate when a spec changes; rewrites only outputs that changed, prints errors and keeps watching")
      .option("--debounce <ms>", "wait this long after the last change before regenerating", "150")
      .option("--force", "write into a folder holding files hwspec did not write (they are never changed or deleted)")
      .option("--targets <list>", "override the config's targets: comma-separated ts, c")
      .action((o, cmd) => run(import("./commands/watch.ts").then((m) => m.watchCommand({ ...g(cmd), ...o, projectRoot: projectRoot(g(cmd).configFile) }, ioFor(false))))),
    ["hwspec watch", "hwspec watch --quiet", "hwspec watch --specs my-specs --out my-generated"],
  );
  examples(
    program
      .command("explore")
      .description("explore every interleaving of a machine: safety violations with shortest traces, liveness properties under weak fairness with lasso counterexamples (exit 1 on a violation, 3 when --max-states stops it first, 4 when --max-memory does)")
      .argument("<machine>", "qualified (xen.dpci_softirq) or unambiguous short name")
      .option("--instances <list>", "instances per process, e.g. irq=3,softirq=3")
      .option("--max-states <n>", "stop after this many states (incomplete: exit 3 unless a violation was found)")
      .option("--max-memory <MiB>", "bound the state store and the liveness graph (default: the JS heap limit); reaching it stops the search (incomplete: exit 4 unless a violation was found)")
      .option("--workers <n>", "search with n worker threads (an integer, or auto for every core); default 1, the single-thread search; the parallel search does not reduce")
      .option("--reduce <mode>", "state-space reduction: symmetry (default with one worker: one state per orbit of the machine's declared symmetry; same verdicts, shortest traces), por (partial-order reduction: same verdicts, traces valid but maybe not shortest), all (both) or none")
      .option("--progress", "print progress on stderr even when it is not a terminal")
      .option("--json", "machine-readable output")
      .action((name, o, cmd) => run(import("./commands/explore.ts").then((m) => m.exploreCommand(name, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec explore xen.dpci_softirq", "hwspec explore dpci_softirq --instances irq=3,softirq=3 --json", "hwspec explore dpci_softirq_fixed --instances irq=6,softirq=6 --max-memory 512", "hwspec explore dpci_softirq_fixed --instances irq=4,softirq=4 --reduce none", "hwspec explore dpci_softirq_fixed --instances irq=6,softirq=6 --workers auto"],
  );
  examples(
    program
      .command("replay")
      .description("step a counterexample (an explore --json trace, safety or lasso) through the interpreter, showing the slots each step changes; exit 1 when it does not replay")
      .argument("<machine>", "qualified or unambiguous short name")
      .argument("<trace>", "JSON file: explore --json output, one of its violations, or a list of {instance, step}")
      .option("--violation <name>", "which violation of an explore --json file (name or kind:name; default the first)")
      .option("--instances <list>", "instances per process (default: the counts the explore output records)")
      .option("--json", "machine-readable output")
      .action((name, file, o, cmd) => run(import("./commands/replay.ts").then((m) => m.replayCommand(name, file, { ...g(cmd), ...o }, ioFor(!!o.json))))),
    ["hwspec explore xen.dpci_softirq --json > trace.json; hwspec replay xen.dpci_softirq trace.json", "hwspec replay fixture.lost_wakeup trace.json --violation sched_processed --json"],
  );
  examples(
    program
      .command("export")
      .description("print a machine as a Mermaid or DOT graph, or as a Promela model for spin")
      .argument("<machine>", "qualified or unambiguous short name")
      .requiredOption("--format <format>", "mermaid, dot or promela")
      .option("--instances <list>", "instances per process (promela), e.g. irq=3")
      .option("--liveness <property>", "promela: the model for one liveness property, with its never claim (check with ./pan -a -f)")
      .action((name, o, cmd) => run(import("./commands/export.ts").then((m) => m.exportCommand(name, { ...g(cmd), ...o }, ioFor(false))))),
    ["hwspec export xen.dpci_softirq --format mermaid", "hwspec export dpci_softirq --format promela > dpci.pml && spin -a dpci.pml", "hwspec export dpci_softirq --format promela --liveness sched_processed > live.pml && spin -a live.pml && gcc -o pan pan.c && ./pan -a -f"],
  );
  examples(
    program
      .command("init")
      .description("start a project: write hwspec.config.json and specs/example.json, print the tsconfig settings the generated code needs")
      .option("--dir <dir>", "project folder", ".")
      .option("--force", "replace files an earlier hwspec init wrote (never other files)")
      .action((o) => run(import("./commands/init.ts").then((m) => m.initCommand(o, ioFor(false))))),
    ["hwspec init", "hwspec init --dir my-project", "hwspec init --force"],
  );
  addImportCommands(program, run, ioFor, () => !!program.opts().quiet);
  return program;
}

/** Entry point of bin/hwspec.js: returns the exit code (0 ok, 1 findings, 2 usage or input error). */
export async function main(argv: string[], ioFor: (json: boolean) => Io = processIo): Promise<number> {
  let pending: number | Promise<number> = EXIT.ok;
  const program = buildProgram(
    (code) => {
      pending = code;
    },
    ioFor,
    argv.includes("--json"),
  );
  const io = ioFor(false);
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return await pending;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.exitCode === 0 || e.code === "commander.helpDisplayed" || e.code === "commander.version" ? EXIT.ok : EXIT.usage;
    }
    io.err(`hwspec: internal error: ${(e as Error).stack ?? String(e)}\nPlease report this with the spec that caused it.`);
    return 70;
  }
}
