import type { Block, EnumItem, FieldsBlock, Item, SysregBlock, SysregFile, SysregProblem } from "./ast.ts";
import type { ImportedSpecFile as ImportedSpec } from "../types.ts";

export interface SysregCounts {
  registers: number;
  fieldSets: number;
  /** `Field` lines, as the issue and the file count them. */
  fields: number;
  /** Enum, SignedEnum and UnsignedEnum blocks. */
  enums: number;
  enumValues: number;
  /** Res0, Res1, Unkn and Raz ranges. */
  reserved: number;
}

export interface ToSpecOptions {
  /** Namespace of the specs: `<ns>.fields` for the shared field sets, `<ns>.s3_0_c0` and so on. */
  namespace: string;
  /** What `$schema` says in each file (a relative path to registers.schema.json, or its URL). */
  schema: (path: string) => string;
}

const RESERVED_POLICY = { Res0: "res0", Res1: "res1", Unkn: "ignore", Raz: "res0" } as const;
const RESERVED_DOC = {
  Res0: "Linux Res0: reserved, RES0.",
  Res1: "Linux Res1: reserved, RES1.",
  Unkn: "Linux Unkn: UNKNOWN; hwspec's ignore policy (C <P>_IGNORE_MASK is Linux's <P>_UNKN).",
  Raz: "Linux Raz: reads as zero, writes ignored; res0 here, though Linux's <P>_RES0 leaves it out.",
} as const;

const FIELD_SETS = "fields";

/**
 * The parsed file as hwspec `registers` specs, in the AArch64 system-register index space:
 * one spec of layouts for the shared field sets (SysregFields), and one spec of registers per
 * op0/op1/CRn, the Arm ARM's grouping of system registers by function (CRn 0 is the ID registers,
 * 1 system control, 2 translation, 9 PMU and tracing, 12 interrupts, 14 timers).
 */
export function toSpecs(file: SysregFile, opts: ToSpecOptions): { specs: ImportedSpec[]; counts: SysregCounts; problems: SysregProblem[] } {
  const problems: SysregProblem[] = [];
  const at = (line: number) => `${file.source}:${line}`;
  const sets = new Map(file.blocks.filter((b): b is FieldsBlock => b.kind === "SysregFields").map((b) => [b.name, b]));
  const regs = new Map(file.blocks.filter((b): b is SysregBlock => b.kind === "Sysreg").map((b) => [b.name, b]));
  const counts: SysregCounts = { registers: regs.size, fieldSets: sets.size, fields: 0, enums: 0, enumValues: 0, reserved: 0 };
  for (const b of file.blocks) {
    for (const it of b.items) {
      if (it.kind === "Field") counts.fields++;
      else if (it.kind === "Enum") {
        counts.enums++;
        counts.enumValues += it.values.length;
      } else counts.reserved++;
    }
  }

  const shape = (b: Block) => {
    const fields: Record<string, unknown> = {};
    const reserved: Record<string, unknown>[] = [];
    for (const it of b.items) {
      if (it.kind === "Field" || it.kind === "Enum") fields[it.name] = fieldJson(it, at);
      else reserved.push({ bits: bitsText(it), policy: RESERVED_POLICY[it.kind], doc: withComment(RESERVED_DOC[it.kind], it.comment), source: at(it.line) });
    }
    return { fields, ...(reserved.length ? { reserved } : {}) };
  };

  const layouts: Record<string, unknown> = {};
  for (const b of sets.values()) {
    layouts[b.name] = { width: 64, ...doc(b.comment, `Linux SysregFields ${b.name}: a layout shared by several system registers.`), source: at(b.line), ...shape(b) };
  }

  /** Follows Mapping chains to the register whose own bits (or field set) give the layout. */
  const layoutOf = (r: SysregBlock, seen: string[] = []): { kind: "own"; block: SysregBlock } | { kind: "set"; name: string } | undefined => {
    if (!r.uses) return { kind: "own", block: r };
    if (r.uses.kind === "Fields") {
      if (sets.has(r.uses.name)) return { kind: "set", name: r.uses.name };
      problems.push({ line: r.uses.line, col: r.uses.col, message: `${r.name}: no SysregFields ${r.uses.name} in this file${regs.has(r.uses.name) ? ` (${r.uses.name} is a Sysreg: use Mapping)` : ""}` });
      return undefined;
    }
    const target = regs.get(r.uses.name);
    if (!target || seen.includes(target.name)) {
      const why = target ? `the Mapping chain loops (${[...seen, r.name, target.name].join(" -> ")})` : `no Sysreg ${r.uses.name} in this file${sets.has(r.uses.name) ? ` (${r.uses.name} is a SysregFields: use Fields)` : ""}`;
      problems.push({ line: r.uses.line, col: r.uses.col, message: `${r.name}: ${why}` });
      return undefined;
    }
    return layoutOf(target, [...seen, r.name]);
  };

  const groups = new Map<string, Record<string, unknown>>();
  for (const r of regs.values()) {
    const e = r.encoding;
    const key = `s${e.op0}_${e.op1}_c${e.crn}`;
    const layout = layoutOf(r);
    let body: Record<string, unknown>;
    let note = "";
    if (!layout) body = { fields: {}, reserved: "ignore" };
    else if (layout.kind === "set") {
      body = { fields: { [layout.name]: { bits: "63:0", layout: `${opts.namespace}.${FIELD_SETS}.${layout.name}`, doc: `Linux Fields ${layout.name}.`, source: at(r.uses!.line) } } };
    } else {
      body = shape(layout.block);
      if (layout.block !== r) note = `Linux Mapping ${r.uses!.name}: the fields of ${layout.block.name} (their sources are its lines).`;
    }
    const reg = { encoding: { ...e }, width: 64, ...doc(r.comment, note), source: at(r.line), ...body };
    if (!groups.has(key)) groups.set(key, {});
    groups.get(key)![r.name] = reg;
  }

  const specs: ImportedSpec[] = [];
  const header = (path: string, name: string, docText: string) => ({
    $schema: opts.schema(path),
    kind: "registers",
    name: `${opts.namespace}.${name}`,
    doc: docText,
    source: `Linux ${file.source}, imported by hwspec import linux-sysreg; each item's source gives its line.`,
    index_space: "sysreg",
  });
  if (sets.size) {
    const path = `${FIELD_SETS}.json`;
    specs.push({ path, json: { ...header(path, FIELD_SETS, "Shared field sets of the AArch64 system registers (Linux SysregFields blocks)."), layouts } });
  }
  for (const key of [...groups.keys()].sort(byEncodingGroup)) {
    const path = `${key}.json`;
    const [op0, op1, crn] = key.slice(1).split(/_c?/);
    const title = `AArch64 system registers S${op0}_${op1}_C${crn}_C<m>_<n> (op0 ${op0}, op1 ${op1}, CRn ${crn}) from Linux's sysreg file.`;
    specs.push({ path, json: { ...header(path, key, title), registers: groups.get(key) } });
  }
  return { specs, counts, problems };
}

function fieldJson(it: Exclude<Item, { kind: "Res0" | "Res1" | "Unkn" | "Raz" }>, at: (line: number) => string): Record<string, unknown> {
  const base = { bits: bitsText(it), ...doc(it.comment, ""), source: at(it.line) };
  if (it.kind === "Field") return base;
  const e: EnumItem = it;
  const members = Object.fromEntries(e.values.map((v) => [v.name, { value: v.text, ...doc(v.comment, ""), source: at(v.line) }]));
  return { ...base, ...(e.signed !== undefined ? { signed: e.signed } : {}), ...(e.values.length ? { enum: members } : {}) };
}

const bitsText = (b: { msb: number; lsb: number }) => (b.msb === b.lsb ? `${b.msb}` : `${b.msb}:${b.lsb}`);

/** Comment lines written just above an item become its doc. */
function doc(comment: string[], fallback: string): { doc?: string } {
  const text = withComment(fallback, comment);
  return text ? { doc: text } : {};
}

function withComment(base: string, comment: string[]): string {
  return [base, comment.join(" ")].filter((s) => s).join(" ");
}

/** s2_0_c0 before s3_0_c0 before s3_0_c10: by op0, op1, CRn as numbers. */
function byEncodingGroup(a: string, b: string): number {
  const n = (k: string) => k.slice(1).split(/_c?/).map(Number);
  const [x, y] = [n(a), n(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
