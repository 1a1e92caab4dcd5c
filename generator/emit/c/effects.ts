import type { Effects } from "../../elaborate/model.ts";
import { storageType } from "./names.ts";

// The C counterpart of the TS target's mergeStatements: the same Effects masks, printed as C over
// one working integer, from small term structures rather than from TS text.

/**
 * The integer types of one register. Registers of 8 and 16 bits compute in uint32_t, so no
 * operand is promoted to a signed int (where `~` would make a negative value), and convert back
 * on return.
 */
export interface CWord {
  /** The register's storage type, used for parameters and the result. */
  storage: string;
  /** The type the bits are computed in: uint32_t or uint64_t. */
  work: "uint32_t" | "uint64_t";
  bits: number;
}

export function cWord(width: number): CWord {
  return { storage: storageType(width), work: width > 32 ? "uint64_t" : "uint32_t", bits: width };
}

/** A mask constant of the working type, padded to the register's width: `0x000000ffU`, `0x...ULL`. */
export function cMask(value: bigint, word: CWord): string {
  const digits = value.toString(16).padStart(word.bits / 4, "0");
  return `0x${digits}${word.work === "uint64_t" ? "ULL" : "U"}`;
}

/** The inputs of a merge, each as an expression of the working type. */
export interface MergeInputs {
  /** The value being changed, an lvalue of the working type. */
  v: string;
  written: string;
  lanes: string;
  onceDone: string;
}

/** Where a term acts: the lanes, the term's mask, and for write-once bits those not yet written. */
type Where = { k: "lanes" } | { k: "mask"; value: bigint } | { k: "notDone" };

/**
 * One line of the merge. `assign` stores the written bits where it acts; `clear`, `set` and
 * `toggle` act where the written bit is 1 (`how: "written"`), 0 (`"notWritten"`), or anywhere
 * the write reaches (no `how`).
 */
interface Term {
  op: "assign" | "clear" | "set" | "toggle";
  how?: "written" | "notWritten";
  where: Where[];
}

/** The write terms of the Effects doc comment, in the order both targets apply them. */
function writeTerms(e: Effects): Term[] {
  const at = (value: bigint, once = false): Where[] => [{ k: "lanes" }, { k: "mask", value }, ...(once ? [{ k: "notDone" } as const] : [])];
  const terms: [bigint, Omit<Term, "where">, boolean][] = [
    [e.store, { op: "assign" }, false],
    [e.once, { op: "assign" }, true],
    [e.w1c, { op: "clear", how: "written" }, false],
    [e.w1s, { op: "set", how: "written" }, false],
    [e.w0c, { op: "clear", how: "notWritten" }, false],
    [e.w0s, { op: "set", how: "notWritten" }, false],
    [e.w1t, { op: "toggle", how: "written" }, false],
    [e.wc, { op: "clear" }, false],
    [e.ws, { op: "set" }, false],
  ];
  return terms.filter(([mask]) => mask !== 0n).map(([mask, t, once]) => ({ ...t, where: at(mask, once) }));
}

/**
 * A `where` factor as C; a mask of every bit of the register is left out, since the lanes it is
 * ANDed with never hold bits outside the register.
 */
function whereText(f: Where, inputs: MergeInputs, word: CWord): string | undefined {
  if (f.k === "lanes") return inputs.lanes;
  if (f.k === "notDone") return `~${inputs.onceDone}`;
  return f.value === (1n << BigInt(word.bits)) - 1n ? undefined : cMask(f.value, word);
}

const and = (parts: string[]) => parts.join(" & ");
const group = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${and(parts)})`);

/** Statements turning `v` into the stored value after a write, one per non-empty mask; fixed bits last. */
export function cMergeStatements(e: Effects, word: CWord, inputs: MergeInputs): string[] {
  const { v } = inputs;
  const out: string[] = [];
  for (const t of writeTerms(e)) {
    const where = t.where.map((f) => whereText(f, inputs, word)).filter((x): x is string => x !== undefined);
    const how = t.how === "written" ? [inputs.written] : t.how === "notWritten" ? [`~${inputs.written}`] : [];
    const bits = [...how, ...where];
    if (t.op === "assign") out.push(`${v} = (${v} & ~${group(where)}) | (${and([inputs.written, ...where])});`);
    else if (t.op === "clear") out.push(`${v} &= ~${group(bits)};`);
    else out.push(`${v} ${t.op === "set" ? "|=" : "^="} ${and(bits)};`);
  }
  if (e.fixedMask !== 0n) out.push(e.fixedValue === 0n ? `${v} &= ~${cMask(e.fixedMask, word)};` : `${v} = (${v} & ~${cMask(e.fixedMask, word)}) | ${cMask(e.fixedValue, word)};`);
  return out;
}

/** Which inputs the merge reads, from the terms it prints (unused parameters get a `(void)` cast). */
export function cMergeUses(e: Effects): { written: boolean; lanes: boolean; onceDone: boolean } {
  const terms = writeTerms(e);
  return {
    written: terms.some((t) => t.op === "assign" || t.how !== undefined),
    lanes: terms.length > 0,
    onceDone: terms.some((t) => t.where.some((f) => f.k === "notDone")),
  };
}

/** The value a read returns from `s` (a name of the working type): write-only bits cleared, fixed bits fixed; a primary expression. */
export function cReadValue(e: Effects, word: CWord, s: string): string {
  const zero = e.readZero | e.fixedMask;
  let code = s;
  if (zero !== 0n) code = `(${code} & ~${cMask(zero, word)})`;
  if (e.fixedValue !== 0n) code = `(${code} | ${cMask(e.fixedValue, word)})`;
  return code;
}

/** The stored value after a read of lanes `l` from `s`: rc bits cleared, rs bits set, as a parenthesised expression; undefined when a read changes nothing. */
export function cAfterRead(e: Effects, word: CWord, s: string, l: string): string | undefined {
  if (!e.readSideEffects) return undefined;
  let code = s;
  if (e.rc !== 0n) code = `(${code} & ~(${l} & ${cMask(e.rc, word)}))`;
  if (e.rs !== 0n) code = `(${code} | (${l} & ${cMask(e.rs, word)}))`;
  return code;
}
