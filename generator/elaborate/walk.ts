import type { Expr } from "../expr/index.ts";
import type { ElabEntriesSpec } from "./model.ts";
import { entryValues, levelNumbers } from "./entry-values.ts";

/**
 * What a page-table walk needs from an entries spec, gathered once from the elaborated model: the
 * generated walk descriptor (emit/ts/walk.ts) prints it and `hwspec decode --walk` evaluates it,
 * so both walk by the same answers. Conditions stay expressions; each consumer compiles them.
 */
export interface WalkModel {
  spec: string;
  entryWidth: number;
  vaBits: number;
  /** Root first (largest VA shift first). */
  levels: WalkModelLevel[];
}

export interface WalkModelLevel {
  name: string;
  vaShift: number;
  indexBits: number;
  entryBytes: number;
  /** The validity test; an entry failing it is not present. */
  valid: Expr;
  formats: WalkModelFormat[];
}

export interface WalkModelFormat {
  name: string;
  role: "table" | "leaf" | "reserved";
  when: Expr;
  address?: { lsb: number; width: number; shift: number };
  res0: bigint;
  align: bigint;
  fields: { name: string; lsb: number; width: number }[];
}

const TRUE: Expr = { k: "bool", value: true, span: { start: 0, end: 4 } };

/** The validity test of a spec whose model has none: the flag whose field is `present`. */
function presentTest(spec: ElabEntriesSpec): Expr {
  const f = spec.flags.flags.find((x) => x.field === "present");
  if (!f) return TRUE;
  const span = { start: 0, end: 0 };
  return {
    k: "binary",
    op: "!=",
    left: { k: "binary", op: "&", left: { k: "ref", path: ["flags"], span }, right: { k: "ref", path: [f.name], span }, span },
    right: { k: "num", value: 0n, span },
    span,
  } as Expr;
}

export function walkModel(spec: ElabEntriesSpec): WalkModel {
  const values = entryValues(spec);
  const levels = levelNumbers(spec, values)
    .slice()
    .sort((a, b) => b.shift - a.shift);
  const valid = presentTest(spec);
  const out: WalkModelLevel[] = levels.map(({ level, shift, entries }, i) => {
    const last = i === levels.length - 1;
    return {
      name: level.name,
      vaShift: shift,
      indexBits: Math.log2(entries),
      entryBytes: spec.width / 8,
      valid,
      formats: level.formats.map((f) => {
        // A format maps what its level translates when its address field starts at the level's shift.
        const role = last || f.address.shift === shift ? "leaf" : "table";
        return {
          name: f.name,
          role,
          when: f.when.ast,
          address: { lsb: f.address.lsb, width: f.address.width, shift: f.address.shift },
          res0: f.res0Mask,
          align: role === "leaf" ? 1n << BigInt(shift) : 1n,
          fields: f.flat.map((x) => ({ name: x.path.join("."), lsb: x.lsb, width: x.field.width })),
        };
      }),
    };
  });
  const root = out[0]!;
  return { spec: spec.name, entryWidth: spec.width, vaBits: root.vaShift + root.indexBits, levels: out };
}
