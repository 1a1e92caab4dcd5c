import { entriesSpecs } from "../../elaborate/lookup.ts";
import type { ElabEntriesSpec, ElabModel } from "../../elaborate/model.ts";
import { DumpError, listedDump, rawDump, type DumpMemory } from "../../inspect/dump.ts";
import { walkDescriptorOf } from "../../inspect/walk.ts";
import { didYouMean } from "../../suggest.ts";
import { faultText, showWalk, walk, WalkArgumentError, type WalkResult } from "../../../runtime/walk/index.ts";
import { EXIT, json, paint, usageError, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { parseNumber } from "./decode.ts";

export interface WalkOptions extends ProjectOptions {
  json?: boolean;
  walk: string;
  root?: string;
  dump?: string;
  dumpBase?: string;
}

/** An entries spec by namespace (`x86.pagetable`), unambiguous last segment, or spec file. */
export function findEntriesSpec(model: ElabModel, name: string): ElabEntriesSpec | { error: string } {
  const specs = entriesSpecs(model);
  const exact = specs.find((s) => s.name === name || s.rel === name || s.rel === `${name}.json`);
  if (exact) return exact;
  const short = specs.filter((s) => s.name.split(".").pop() === name);
  if (short.length === 1) return short[0]!;
  if (short.length > 1) return { error: `"${name}" is ambiguous: ${short.map((s) => s.name).join(", ")}` };
  const close = didYouMean(name, name.includes(".") ? specs.map((s) => s.name) : specs.map((s) => s.name.split(".").pop()!));
  return { error: `no entries spec "${name}"${close || ` (entries specs: ${specs.map((s) => s.name).join(", ") || "(none)"})`}` };
}

const hex = (v: bigint) => `0x${v.toString(16)}`;

/** The documented --json shape of a walk (docs/walker.md): addresses and values as 0x strings. */
export function walkJson(r: WalkResult) {
  return {
    spec: r.spec,
    va: hex(r.va),
    root: hex(r.root),
    steps: r.steps.map((s) => ({
      level: s.level,
      table: hex(s.table),
      index: s.index,
      entryAddress: hex(s.entryAddress),
      entry: hex(s.entry),
      ...(s.format ? { format: s.format, role: s.role } : {}),
      ...(s.address !== undefined ? { address: hex(s.address) } : {}),
      ...(s.fields ? { fields: s.fields.map((f) => ({ name: f.name, value: hex(f.value) })) } : {}),
    })),
    translation: r.translation ? { pa: hex(r.translation.pa), pageSize: hex(r.translation.pageSize), level: r.translation.level, format: r.translation.format } : null,
    fault: r.fault
      ? {
          ...Object.fromEntries(Object.entries(r.fault).map(([k, v]) => [k, typeof v === "bigint" ? hex(v) : v])),
          message: faultText(r.fault),
        }
      : null,
  };
}

/**
 * `decode <entries-spec> --walk <va> --root <pa> --dump <file>`: translates `va` through table
 * pages read from a dump. Exit 0 with a translation, 1 when the tables fault, 2 for bad arguments
 * or a dump that lacks a page the walk needs.
 */
export function walkCommand(name: string, opts: WalkOptions, io: Io): number {
  const fail = (message: string) => usageError(io, opts.json, `hwspec decode --walk: ${message}`);
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const spec = findEntriesSpec(front.model, name);
  if ("error" in spec) return fail(spec.error);
  const va = parseNumber(opts.walk);
  if (va === undefined) return fail(`"${opts.walk}" is not a virtual address (use 0x.., 0b.., 0o.. or decimal)`);
  if (opts.root === undefined) return fail("--root <pa> is required: the physical address of the root table");
  const root = parseNumber(opts.root);
  if (root === undefined) return fail(`--root "${opts.root}" is not a physical address`);
  if (opts.dump === undefined) return fail("--dump <file> is required: the table pages to walk (see docs/walker.md for its formats)");
  let base: bigint | undefined;
  if (opts.dumpBase !== undefined) {
    base = parseNumber(opts.dumpBase);
    if (base === undefined) return fail(`--dump-base "${opts.dumpBase}" is not a physical address`);
  }
  const desc = walkDescriptorOf(spec);
  const entryBytes = desc.levels[0]!.entryBytes;
  let memory: DumpMemory;
  try {
    memory = base !== undefined ? rawDump(opts.dump, base, entryBytes) : listedDump(opts.dump, entryBytes, desc.entryWidth);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof DumpError) return fail(e.message);
    return fail(`cannot read ${opts.dump}: ${err.code === "ENOENT" ? "no such file" : err.message}`);
  }
  let r: WalkResult;
  try {
    r = walk(desc, { root, va, read: memory.read });
  } catch (e) {
    if (e instanceof WalkArgumentError || e instanceof DumpError) return fail(e.message);
    throw e;
  } finally {
    memory.close();
  }
  const missing = r.fault?.kind === "no-memory";
  if (opts.json) io.out(json(walkJson(r)));
  else {
    const lines = showWalk(desc, r);
    for (const l of lines.slice(0, -1)) io.out(l);
    const last = lines[lines.length - 1]!;
    if (r.translation) io.out(last);
    else io.out(paint(io, "yellow", last));
  }
  if (missing) {
    const f = r.fault as { address: bigint; level: string };
    if (!opts.json) io.err(`hwspec decode --walk: the dump has no entry at ${hex(f.address)} (the ${f.level} entry); it holds ${memory.describe}`);
    return EXIT.usage;
  }
  return r.fault ? EXIT.findings : EXIT.ok;
}
