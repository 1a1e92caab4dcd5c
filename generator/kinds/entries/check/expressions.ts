import type { Diagnostics } from "../../../diagnostics.ts";
import { checkExpr, EmitError, emitTs, evaluate } from "../../../expr/index.ts";
import type { ElabEntriesSpec } from "../../../elaborate/model.ts";
import { offsetLoc } from "../../../resolve/expr.ts";
import { hex } from "../../../resolve/values.ts";
import { entryScope, entryValues, evalFact, factScope, foldSizeof, type EntryValues } from "../../../elaborate/entry-values.ts";

/** Bits a value may have to be an exact TypeScript number. */
const EXACT_BITS = 53;

/** Constants evaluate (in order) and fit their declared width and a TypeScript number. */
export function checkConstants(spec: ElabEntriesSpec, d: Diagnostics): EntryValues {
  const values = entryValues(spec, (name, message, at) => {
    const c = spec.constants.find((x) => x.name === name)!;
    d.error(c.expr ? offsetLoc(c.expr.loc, at) : c.loc, `constant "${name}": ${message}`);
  });
  for (const c of spec.constants) {
    const v = values.constants.get(c.name);
    if (v === undefined) continue;
    if (c.width !== undefined && v >> BigInt(c.width) !== 0n) {
      d.error(c.loc, `constant "${c.name}" = ${hex(v)} does not fit in ${c.width} bits`);
    } else if (v >> BigInt(EXACT_BITS) !== 0n) {
      d.error(c.loc, `constant "${c.name}" = ${hex(v)} does not fit in ${EXACT_BITS} bits, so it is not exact as a TypeScript number`);
    }
  }
  return values;
}

/** Conversions take and give a flags value, name only known things, and compile to TypeScript. */
export function checkConversions(spec: ElabEntriesSpec, values: EntryValues, d: Diagnostics): void {
  const flags = spec.flags;
  if (!flags) {
    for (const c of spec.conversions) d.error(c.loc, `conversion "${c.name}" converts flags words, but ${spec.name} has no flags word ("flags")`);
    return;
  }
  for (const c of spec.conversions) {
    const clash = values.flags.has(c.param) || values.sets.has(c.param) || values.constants.has(c.param);
    if (clash) d.error(c.loc, `conversion "${c.name}": parameter "${c.param}" hides a flag, flag set or constant of the same name`);
    const r = checkExpr(c.expr.ast, entryScope(spec, values, c.param), { t: "int", width: flags.width });
    for (const err of r.errors) d.error(offsetLoc(c.expr.loc, err.span.start), `conversion "${c.name}": ${err.message}`);
    if (r.errors.length) continue;
    try {
      emitTs(c.expr.ast, { ref: (p) => p.join("_") });
    } catch (e) {
      if (!(e instanceof EmitError)) throw e;
      d.error(offsetLoc(c.expr.loc, e.span.start), `conversion "${c.name}": ${e.message}`);
      continue;
    }
    // The result must stay a flags value: try every value of the named bits with the others clear and set.
    const limit = (1n << BigInt(flags.width)) - 1n;
    for (const f of [0n, limit, ...[...values.flags.values()]]) {
      const out = evaluate(c.expr.ast, { ref: (p) => (p[0] === c.param ? f : (values.flags.get(p[0]!) ?? values.sets.get(p[0]!) ?? values.constants.get(p[0]!))!) }, { width: 32 });
      if (typeof out === "bigint" && out > limit) {
        d.error(c.expr.loc, `conversion "${c.name}" gives ${hex(out)} for ${hex(f)}, which does not fit in the ${flags.width}-bit flags word`);
        break;
      }
    }
  }
}

/** Facts must be booleans over constants and sizeof(format), and hold. */
export function checkAsserts(spec: ElabEntriesSpec, values: EntryValues, d: Diagnostics): void {
  for (const a of spec.asserts) {
    const r = checkExpr(a.expr.ast, factScope(spec, values, "an assert"), { t: "bool" });
    for (const err of r.errors) d.error(offsetLoc(a.expr.loc, err.span.start), `expression: ${err.message}`);
    if (r.errors.length) continue;
    let v: bigint | boolean;
    try {
      v = evalFact(foldSizeof(a.expr.ast, spec), spec, values);
    } catch (e) {
      d.error(a.expr.loc, `assert: ${(e as Error).message}`);
      continue;
    }
    if (v !== true) d.error(a.expr.loc, `assert is false: ${a.expr.text}`);
  }
}
