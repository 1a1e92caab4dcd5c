import { evaluate, type Expr, type Scope } from "../expr/index.ts";
import type { ElabEntriesSpec, ElabEntryFormat } from "./model.ts";

/** Every name an entries expression can see, with its value. */
export interface EntryValues {
  constants: Map<string, bigint>;
  /** Flag name to its mask in the flags word. */
  flags: Map<string, bigint>;
  /** Flag-set name to the OR of its members. */
  sets: Map<string, bigint>;
}

/**
 * Values of constants, flags and flag sets. Constants are evaluated in spec order (an expression
 * sees only constants before it); `onError` hears about names or expressions that fail, and the
 * failing entry is left out.
 */
export function entryValues(spec: Pick<ElabEntriesSpec, "constants" | "flags" | "flagSets">, onError?: (what: string, message: string, at: number) => void): EntryValues {
  const constants = new Map<string, bigint>();
  for (const c of spec.constants) {
    if (c.literal !== undefined) constants.set(c.name, c.literal);
    else if (c.expr) {
      try {
        const v = evaluate(c.expr.ast, {
          ref: (path) => {
            const hit = path.length === 1 ? constants.get(path[0]!) : undefined;
            if (hit === undefined) throw new NameError(path.join("."));
            return hit;
          },
        });
        if (typeof v !== "bigint") throw new Error("is not an integer");
        constants.set(c.name, v);
      } catch (e) {
        const span = (e as { span?: { start: number } }).span;
        onError?.(c.name, e instanceof NameError ? `unknown constant "${e.message}" (constants may use only constants defined before them)` : (e as Error).message, span?.start ?? 0);
      }
    }
  }
  const flags = new Map<string, bigint>();
  for (const f of spec.flags?.flags ?? []) flags.set(f.name, 1n << BigInt(f.bit));
  const sets = new Map<string, bigint>();
  for (const s of spec.flagSets) {
    let v = 0n;
    let ok = true;
    for (const m of s.members) {
      const x = flags.get(m.name) ?? sets.get(m.name);
      if (x === undefined) ok = false;
      else v |= x;
    }
    if (ok) sets.set(s.name, v);
  }
  return { constants, flags, sets };
}

class NameError extends Error {}

/** The value of a name in entries expressions: a flag, a flag set or a constant. */
export function valueOf(values: EntryValues, name: string): bigint | undefined {
  return values.flags.get(name) ?? values.sets.get(name) ?? values.constants.get(name);
}

/** Scope of conversions: one parameter of the flags width, plus every named value. */
export function entryScope(spec: ElabEntriesSpec, values: EntryValues, param: string): Scope {
  return {
    ref(path) {
      const [head, ...rest] = path;
      if (rest.length) return { error: `"${path.join(".")}" is not a name here (entries expressions have no fields)` };
      if (head === param) return { type: { t: "int", width: spec.flags?.width ?? 32 } };
      if (valueOf(values, head!) !== undefined) return { type: { t: "int" } };
      return { error: `unknown name "${head}" (not the parameter "${param}", a flag, a flag set or a constant of ${spec.name})` };
    },
  };
}

/** Scope of `when` conditions and validity tests: `entry` (the raw entry), `flags` (its flags word, if the spec has one) and every named value. */
export function conditionScope(spec: ElabEntriesSpec, values: EntryValues): Scope {
  return {
    ref(path) {
      const [head, ...rest] = path;
      if (rest.length) return { error: `"${path.join(".")}" is not a name here (entries expressions have no fields)` };
      if (head === "entry") return { type: { t: "int", width: spec.width } };
      if (head === "flags" && spec.flags) return { type: { t: "int", width: spec.flags.width } };
      if (valueOf(values, head!) !== undefined) return { type: { t: "int" } };
      const flags = spec.flags ? "flags, " : "";
      const hint = head === "flags" ? ` (${spec.name} has no flags word: test "entry")` : "";
      return { error: `unknown name "${head}" (not entry, ${flags}a flag, a flag set or a constant of ${spec.name})${hint}` };
    },
  };
}

/** Scope of asserts and level shifts: constants, flags, flag sets and `sizeof(format)`. */
export function factScope(spec: ElabEntriesSpec, values: EntryValues, what: string): Scope {
  return {
    ref(path) {
      if (path.length === 1 && valueOf(values, path[0]!) !== undefined) return { type: { t: "int" } };
      // A format name is only meaningful as the argument of sizeof, which `call` checks.
      if (path.length === 1 && formatOf(spec, path[0]!)) return { type: { t: "int" } };
      return { error: `unknown name "${path.join(".")}" in ${what} (not a constant, flag or flag set of ${spec.name})` };
    },
    call(fn, args, argExprs) {
      if (fn !== "sizeof") return { error: `unknown function "${fn}" (available: sizeof)` };
      const a = argExprs[0];
      if (args.length !== 1 || a?.k !== "ref" || a.path.length !== 1) return { error: "sizeof takes one entry format name" };
      if (!formatOf(spec, a.path[0]!)) return { error: `sizeof: unknown entry format "${a.path[0]}"` };
      return { type: { t: "int" } };
    },
  };
}

export function formatOf(spec: ElabEntriesSpec, name: string): ElabEntryFormat | undefined {
  for (const l of spec.levels) for (const f of l.formats) if (f.name === name) return f;
  return undefined;
}

/** Evaluates a checked fact or level expression exactly. */
export function evalFact(e: Expr, spec: ElabEntriesSpec, values: EntryValues): bigint | boolean {
  return evaluate(e, {
    ref: (path) => valueOf(values, path[0]!)!,
    call: (_fn, _args) => {
      throw new Error("internal: sizeof is folded before evaluation");
    },
  });
}

/** Replaces `sizeof(format)` by the format's bytes so the fact can be evaluated and emitted. */
export function foldSizeof(e: Expr, spec: ElabEntriesSpec): Expr {
  switch (e.k) {
    case "call": {
      const a = e.args[0];
      const f = a?.k === "ref" ? formatOf(spec, a.path[0]!) : undefined;
      return f ? { k: "num", value: BigInt(f.width / 8), span: e.span } : e;
    }
    case "unary":
      return { ...e, arg: foldSizeof(e.arg, spec) };
    case "binary":
      return { ...e, left: foldSizeof(e.left, spec), right: foldSizeof(e.right, spec) };
    case "cond":
      return { ...e, test: foldSizeof(e.test, spec), then: foldSizeof(e.then, spec), else: foldSizeof(e.else, spec) };
    default:
      return e;
  }
}

/** Shift and entries-per-table of a level, as the elaborated model answers them. */
export function levelNumbers(spec: ElabEntriesSpec, _values?: EntryValues) {
  return spec.levels.map((l) => ({ level: l, shift: l.vaShift, entries: l.entryCount }));
}
