import type { ErrorObject } from "ajv";
import { childPointer, Diagnostics } from "../diagnostics.ts";
import type { SpecSource } from "../load/source.ts";
import { KINDS, schemaFor, type CompiledSchema, type Kind } from "./schemas.ts";

/** Messages for values whose schema is a named concept; ajv's wording names regexes, not ideas. */
const CONCEPT: Record<string, string> = {
  Identifier: "must be an identifier: a letter or _ followed by letters, digits or _ (at most 64)",
  Namespace: "must be a dotted lower-case namespace like \"x86.vmx\"",
  Value: "must be an unsigned integer or a string in hex (0x..), binary (0b..) or decimal",
  Bits: "must be a bit position \"n\" or a range \"hi:lo\"",
  Reserved: "must be a policy (res0, res1, ignore) or a list of {bits, policy, doc}",
  Assert: "must be an expression string or an object {expr, doc}",
  Op0: "is out of range: op0 of a system-register encoding is 0..3",
  Op1: "is out of range: op1 of a system-register encoding is 0..7",
  CRn: "is out of range: CRn of a system-register encoding is 0..15",
  CRm: "is out of range: CRm of a system-register encoding is 0..15",
  Op2: "is out of range: op2 of a system-register encoding is 0..7",
};

/** Validates the shape of one parsed spec; returns its kind when valid. */
export function validateSpec(src: SpecSource, d: Diagnostics): Kind | undefined {
  const json = src.json;
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    d.error(src.at(""), "a spec must be a JSON object");
    return undefined;
  }
  const kind = (json as Record<string, unknown>).kind;
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) {
    const where = kind === undefined ? src.at("") : src.at("/kind");
    const what = kind === undefined ? "missing \"kind\"" : `unknown kind ${JSON.stringify(kind)}`;
    d.error(where, `${what}: expected one of ${KINDS.join(", ")}`);
    return undefined;
  }
  return validateAgainst(src, kind, d) ? (kind as Kind) : undefined;
}

/** Validates `src` against `specs/schema/<schemaName>.schema.json` (spec kinds, and "config"). */
export function validateAgainst(src: SpecSource, schemaName: string, d: Diagnostics): boolean {
  const before = d.count;
  const json = src.json as Record<string, unknown>;
  checkSchemaRef(src, json.$schema, schemaName, d);
  const schema = schemaFor(schemaName);
  if (schema.validate(json) && d.count === before) return true;
  for (const e of pick(schema.validate.errors ?? [])) report(src, e, schema, d);
  return false;
}

/**
 * `$schema` must name hwspec's schema for the spec's kind: any relative path or URL whose last
 * segment is `<kind>.schema.json`. Only the name is compared, not whether the file exists, so a
 * spec stays valid wherever the package is installed; a wrong kind or a typo is what this catches.
 */
export function checkSchemaRef(src: SpecSource, ref: unknown, kind: string, d: Diagnostics): void {
  if (typeof ref !== "string") return; // missing or not a string: the schema itself reports it
  const expected = `${kind}.schema.json`;
  const last = ref.replace(/[?#].*$/, "").split(/[/\\]/).pop() ?? "";
  if (last === expected) return;
  d.error(src.at("/$schema"), `"$schema" ${JSON.stringify(ref)} does not name hwspec's ${kind} schema: expected a relative path or URL ending in ${expected}`);
}

/** Drops the branch-by-branch noise of anyOf/oneOf: one message per alternative set. */
function pick(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf");
  const inside = (e: ErrorObject) =>
    alternatives.some(
      (a) => a !== e && e.instancePath.startsWith(a.instancePath) && e.schemaPath.startsWith(a.schemaPath + "/"),
    );
  const kept = errors.filter((e) => !inside(e) && e.keyword !== "propertyNames" && e.keyword !== "if");
  const seen = new Set<string>();
  return kept.filter((e) => {
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}|${e.propertyName ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function report(src: SpecSource, e: ErrorObject, schema: CompiledSchema, d: Diagnostics): void {
  const ptr = e.instancePath;
  const concept = e.parentSchema ? schema.conceptOf(e.parentSchema) : undefined;
  const p = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) {
    const at = src.keyAt(childPointer(ptr, e.propertyName));
    d.error(at, `invalid name ${JSON.stringify(e.propertyName)}: ${CONCEPT[concept ?? ""] ?? e.message}`);
    return;
  }
  switch (e.keyword) {
    case "required":
      d.error(src.at(ptr), `missing required property "${String(p.missingProperty)}"`);
      return;
    case "additionalProperties": {
      const name = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object })?.properties ?? {});
      d.error(src.keyAt(childPointer(ptr, name)), `unknown property "${name}"${suggest(name, allowed)}`);
      return;
    }
    case "type":
      d.error(src.at(ptr), `expected ${String(p.type)}, got ${typeName(e.data)}`);
      return;
    case "enum":
      d.error(
        src.at(ptr),
        `${JSON.stringify(e.data)} is not allowed: expected one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      );
      return;
    case "const":
      d.error(src.at(ptr), `expected ${JSON.stringify(p.allowedValue)}, got ${JSON.stringify(e.data)}`);
      return;
    default: {
      const msg = concept && CONCEPT[concept] ? CONCEPT[concept] : (e.message ?? "is invalid");
      const shown = typeof e.data === "string" || typeof e.data === "number" ? `${JSON.stringify(e.data)} ` : "";
      d.error(src.at(ptr), `${shown}${msg}`);
    }
  }
}

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function suggest(name: string, allowed: string[]): string {
  const close = allowed.filter((a) => distance(a.toLowerCase(), name.toLowerCase()) <= Math.max(1, Math.floor(name.length / 3)));
  if (close.length) return ` (did you mean "${close[0]}"?)`;
  return allowed.length ? ` (allowed: ${allowed.join(", ")})` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}
