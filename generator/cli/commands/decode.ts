import { decodeValue, encodeValue, violationsOf, type Assignment } from "../../inspect/decode.ts";
import { findShape, type Found } from "../../inspect/names.ts";
import { accessText } from "../../inspect/access.ts";
import { deviceJson, deviceText, foundName, whereJson, whereText } from "../../inspect/facts.ts";
import { hex } from "../../resolve/values.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { formatBitsColumn } from "./table.ts";

/** Hex (0x), binary (0b), octal (0o) or decimal, with optional underscores; exact up to 64 bits. */
export function parseNumber(text: string): bigint | undefined {
  const s = text.trim().replace(/_/g, "").toLowerCase();
  if (!/^(0x[0-9a-f]+|0b[01]+|0o[0-7]+|[0-9]+)$/.test(s)) return undefined;
  return BigInt(s);
}

/**
 * Prints the fields of a raw value. Reserved bits against their policy and values outside a
 * field's enum are flagged (and listed as "violations" in --json); with --strict they make the exit code 1.
 */
export function decodeCommand(name: string, value: string, opts: ProjectOptions & { json?: boolean; strict?: boolean }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    return usageError(io, opts.json, `hwspec decode: ${found.error}`);
  }
  const raw = parseNumber(value);
  if (raw === undefined) {
    return usageError(io, opts.json, `hwspec decode: "${value}" is not a number (use 0x.., 0b.., 0o.. or decimal)`);
  }
  if (raw >> BigInt(found.shape.width) !== 0n) {
    return usageError(io, opts.json, `hwspec decode: ${hex(raw)} does not fit in the ${found.shape.width}-bit ${found.shape.name}`);
  }
  const r = decodeValue(found.shape, raw, front.lookup);
  const violations = violationsOf(r);
  const code = opts.strict && violations.length ? EXIT.findings : EXIT.ok;
  if (opts.json) {
    io.out(json(decodedJson(found, r, violations)));
    return code;
  }
  const where = whereText(found);
  io.out(`${paint(io, "bold", foundName(found))}${where.at ? ` (${where.at})` : ""} = ${r.raw}`);
  if (where.array) io.out(where.array);
  const behaviour = deviceText(found.shape);
  if (behaviour) io.out(behaviour);
  for (const f of r.fields) {
    const depth = f.path.split(".").length;
    const label = "  ".repeat(depth) + f.path.split(".").pop();
    const unnamed = f.enum && !f.meaning ? ` ${paint(io, "yellow", "(not a named value)")}` : "";
    // Only accesses with side effects are worth a note in a decoded value; rw and ro are the norm.
    const access = accessText(f.access) === f.access ? "" : `  ${paint(io, "dim", accessText(f.access))}`;
    io.out(`${formatBitsColumn(f.lsb, f.width)}${label.padEnd(40)} ${f.value}${f.signedValue !== undefined ? ` = ${f.signedValue}` : ""}${f.meaning ? ` (${f.meaning})` : ""}${unnamed}${access}`);
  }
  for (const res of r.reserved) {
    if (res.value !== "0x0" || res.violation) {
      io.out(`${formatBitsColumn(res.lsb, res.width)}  ${paint(io, res.violation ? "yellow" : "dim", `reserved ${res.policy} = ${res.value}${res.violation ? " (violates policy)" : ""}`)}`);
    }
  }
  if (violations.length) {
    const what = `${violations.length} violation${violations.length === 1 ? "" : "s"}`;
    io.err(`${paint(io, opts.strict ? "red" : "yellow", opts.strict ? what : `warning: ${what}`)}: ${violations.map((v) => v.message).join("; ")}`);
  }
  return code;
}

export function encodeCommand(name: string, pairs: string[], opts: ProjectOptions & { json?: boolean; from?: string }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    return usageError(io, opts.json, `hwspec encode: ${found.error}`);
  }
  const assignments: Assignment[] = [];
  for (const p of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_.]*)=(.+)$/.exec(p);
    const text = m?.[2]?.trim() ?? "";
    const v = m ? (text === "true" ? 1n : text === "false" ? 0n : parseNumber(text)) : undefined;
    // Anything shaped like an identifier is an enum member's name, looked up against the field.
    if (m && v === undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) {
      assignments.push({ path: m[1]!, name: text });
      continue;
    }
    if (!m || v === undefined) {
      return usageError(io, opts.json, `hwspec encode: "${p}" is not path=value (value: number, true, false or the name of an enum member)`);
    }
    assignments.push({ path: m[1]!, value: v });
  }
  let start: bigint | undefined;
  if (opts.from !== undefined) {
    start = parseNumber(opts.from);
    if (start === undefined || start >> BigInt(found.shape.width) !== 0n) {
      return usageError(io, opts.json, `hwspec encode: --from "${opts.from}" is not a ${found.shape.width}-bit number`);
    }
  }
  const r = encodeValue(found.shape, assignments, front.lookup, start);
  if ("error" in r) {
    return usageError(io, opts.json, `hwspec encode: ${r.error}`);
  }
  const decoded = decodeValue(found.shape, r.raw, front.lookup);
  if (opts.json) io.out(json(decodedJson(found, decoded)));
  else io.out(decoded.raw);
  return EXIT.ok;
}

/** decode/encode --json: the decoded value with where the register (or element) lives, see docs/cli.md. */
function decodedJson(found: Found, r: ReturnType<typeof decodeValue>, violations?: ReturnType<typeof violationsOf>) {
  // The element's place replaces the register's own (element 0's), which decodeValue gives.
  const { name, width, raw, fields, reserved } = r;
  const device = deviceJson(found.shape);
  return { name, width, ...whereJson(found), ...(device ? { device } : {}), raw, fields, reserved, ...(violations ? { violations } : {}) };
}
