/**
 * The access-vocabulary fixture (test/fixtures/effects): generated once per test file through the
 * real pipeline into a temp folder, and read back as plain JSON so tests can compute what each
 * bit must do from the spec text alone, without the elaborated model.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { ROOT, tempDir } from "../helpers/project.ts";
import { writeFiles } from "../property/compile.ts";

export const FIXTURE_SPECS = join(ROOT, "test", "fixtures", "effects", "specs");

export interface FxField {
  name: string;
  lsb: number;
  width: number;
  access: string;
  constValue?: bigint;
}
export interface FxRegister {
  spec: string;
  /** Spec file without `.json`, relative to specs/ (`fx/regs`): the header and module path. */
  file: string;
  name: string;
  width: number;
  /** The spec's `index_space` (a device, or a registers spec addressed by `offset`, is mmio). */
  space: string;
  offset?: bigint;
  index?: bigint;
  count?: number;
  stride?: bigint;
  aliasOf?: string;
  reservedWrites?: string;
  fields: FxField[];
  /** Policy of each bit no field names. */
  reserved: Map<number, string>;
}
export interface FxDevice {
  spec: string;
  file: string;
  size: bigint;
  unmapped: string;
  ranges: { first: bigint; last: bigint; policy: string }[];
}

type J = Record<string, unknown>;
const num = (v: unknown): bigint => BigInt(v as string | number);
const bitsOf = (b: string): [number, number] => {
  const [hi, lo = hi] = b.split(":").map(Number) as [number, number?];
  return [lo!, hi - lo! + 1];
};

interface Bits {
  fields: FxField[];
  reserved: Map<number, string>;
}

/**
 * The leaf fields and reserved bits of a shape at absolute positions. A field holding a layout
 * stands for that layout's fields, each at the container's access when that is not rw (a
 * read-only container makes its members read-only), else at its own; the layout's reserved
 * bits keep their policy.
 */
function leaves(shape: J, width: number, layouts: Record<string, J>, base: number, defaultAccess: string, container: string | undefined, prefix: string): Bits {
  const fields: FxField[] = [];
  const reserved = new Map<number, string>();
  const named = new Set<number>();
  for (const [fname, fj] of Object.entries(shape.fields as Record<string, J>)) {
    const [lsb, w] = bitsOf(fj.bits as string);
    for (let k = 0; k < w; k++) named.add(lsb + k);
    const own = (fj.access as string | undefined) ?? (fj.const !== undefined ? "const" : defaultAccess);
    const access = container !== undefined && container !== "rw" ? container : own;
    const nested = fj.layout ? layouts[fj.layout as string] : undefined;
    if (nested) {
      // A layout's fields default to rw, whatever register holds it.
      const inner = leaves(nested, w, layouts, base + lsb, "rw", access, `${prefix}${fname}.`);
      fields.push(...inner.fields);
      for (const [b, p] of inner.reserved) reserved.set(b, p);
      continue;
    }
    fields.push({ name: prefix + fname, lsb: base + lsb, width: w, access, ...(fj.const !== undefined ? { constValue: num(fj.const) } : {}) });
  }
  const res = shape.reserved ?? "res0";
  if (typeof res === "string") {
    for (let b = 0; b < width; b++) if (!named.has(b)) reserved.set(base + b, res);
  } else {
    for (const x of res as J[]) {
      const [lsb, w] = bitsOf(x.bits as string);
      for (let k = 0; k < w; k++) reserved.set(base + lsb + k, (x.policy as string | undefined) ?? "res0");
    }
  }
  return { fields, reserved };
}

/** Registers and device blocks as the fixture's JSON states them. */
export function readFixture(): { registers: FxRegister[]; devices: FxDevice[] } {
  const registers: FxRegister[] = [];
  const devices: FxDevice[] = [];
  for (const dir of readdirSync(FIXTURE_SPECS)) {
    for (const f of readdirSync(join(FIXTURE_SPECS, dir)).filter((x) => x.endsWith(".json")).sort()) {
      const json = JSON.parse(readFileSync(join(FIXTURE_SPECS, dir, f), "utf8")) as J;
      const file = `${dir}/${f.replace(/\.json$/, "")}`;
      for (const [name, r] of Object.entries((json.registers ?? {}) as Record<string, J>)) {
        const width = (r.width as number | undefined) ?? 32;
        const { fields, reserved } = leaves(r, width, (json.layouts ?? {}) as Record<string, J>, 0, (r.access as string | undefined) ?? "rw", undefined, "");
        registers.push({
          spec: json.name as string,
          file,
          name,
          width,
          space: json.kind === "device" ? "mmio" : ((json.index_space as string | undefined) ?? (r.offset !== undefined ? "mmio" : "msr")),
          ...(r.offset !== undefined ? { offset: num(r.offset) } : {}),
          ...(r.index !== undefined ? { index: num(r.index) } : {}),
          ...(r.count !== undefined ? { count: r.count as number } : {}),
          ...(r.stride !== undefined ? { stride: num(r.stride) } : {}),
          ...(r.alias_of !== undefined ? { aliasOf: r.alias_of as string } : {}),
          ...(r.reserved_writes !== undefined ? { reservedWrites: r.reserved_writes as string } : {}),
          fields,
          reserved,
        });
      }
      if (json.kind === "device") {
        const b = json.block as J;
        devices.push({
          spec: json.name as string,
          file,
          size: num(b.size),
          unmapped: (b.unmapped as string | undefined) ?? "fault",
          ranges: ((b.unmapped_ranges ?? []) as J[]).map((u) => ({ first: num(u.first), last: num(u.last), policy: u.policy as string })),
        });
      }
    }
  }
  return { registers, devices };
}

export interface Generated {
  dir: string;
  /** Output folder: c/ and ts/ as `hwspec generate` writes them. */
  out: string;
  header: (file: string) => string;
  module: (file: string) => Promise<Record<string, unknown>>;
}

/** The fixture through load, check and every back end, written under a new temp folder. */
export async function generateFixture(prefix: string): Promise<Generated> {
  const d = new Diagnostics();
  const front = runFront(loadTree(FIXTURE_SPECS, d), d);
  if (!front.ok) throw new Error(front.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join("\n"));
  const dir = tempDir(prefix);
  const out = join(dir, "out");
  writeFiles(out, await runBack(front.front));
  return {
    dir,
    out,
    header: (file) => join(out, "c", `${file}.h`),
    module: async (file) => (await import(pathToFileURL(join(out, "ts", `${file}.ts`)).href)) as Record<string, unknown>,
  };
}
