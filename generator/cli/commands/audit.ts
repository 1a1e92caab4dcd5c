/**
 * `hwspec audit <name> --c-header <file> --c-type <type>`: checks a hand-written C header against a
 * spec. A small declaration scanner finds the member names of the union or struct; gcc then tells
 * where each member really lives: a probe program sets one bit of `raw` at a time and reads every
 * member. Nothing about bit positions is guessed from the text.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fieldEntries } from "../../inspect/decode.ts";
import { findShape } from "../../inspect/names.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { declarations, findAggregate, headerText, scanMembers } from "../../audit/scan.ts";
import { runProbe } from "../../audit/probe.ts";
import { compare } from "../../audit/compare.ts";
import { cFieldMember } from "../../elaborate/names/c.ts";


export interface AuditOptions extends ProjectOptions {
  cHeader: string;
  cType: string;
  json?: boolean;
}


export function auditCommand(name: string, opts: AuditOptions, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    return usageError(io, opts.json, `hwspec audit: ${found.error}`);
  }
  const headerPath = resolve(opts.cHeader);
  if (!existsSync(headerPath)) {
    return usageError(io, opts.json, `hwspec audit: header ${opts.cHeader} not found`);
  }
  const text = headerText(headerPath);
  const agg = findAggregate(text, opts.cType);
  if (!agg) {
    return usageError(io, opts.json, `hwspec audit: no definition of ${opts.cType} in ${opts.cHeader} (give "union tag", "struct tag", a tag or a typedef name)`);
  }
  const tagOnly = /^\s*[A-Za-z_]\w*\s*$/.test(opts.cType);
  const ctype = tagOnly && new RegExp(`\\b${agg.kind}\\s+${opts.cType.trim()}\\s*\\{`).test(text) ? `${agg.kind} ${opts.cType.trim()}` : opts.cType.trim();
  const members = scanMembers(text, agg.body);
  const probe = runProbe(headerPath, ctype, members);
  if (!probe.ok) {
    const noRaw = !declarations(agg.body).some((d) => /\braw\s*$/.test(d) && !/\[/.test(d));
    return usageError(io, opts.json, `hwspec audit: ${opts.cHeader} does not compile with gcc${noRaw ? ` (or ${ctype} has no "raw" member to set bits through)` : ""}:\n${probe.message}`);
  }
  // A header names a field by its C member: the spec's name, or `int_` for a field `int` (C reserves it).
  const spec = fieldEntries(found.shape).map((e) => ({ ...e, path: e.path.split(".").map((name) => cFieldMember({ name })).join(".") }));
  const findings = compare(spec, probe.positions);
  const header = [...probe.positions].map(([path, p]) => (typeof p === "string" ? { path, status: p } : { path, ...p }));
  if (opts.json) {
    io.out(json({ name: found.shape.qname, header: opts.cHeader, cType: ctype, agree: findings.length === 0, members: header, findings }));
  } else if (!findings.length) {
    io.out(`${paint(io, "green", "agree")}: ${ctype} in ${opts.cHeader} matches ${found.shape.qname} (${spec.length} fields)`);
  } else {
    io.out(`${paint(io, "red", `${findings.length} difference${findings.length === 1 ? "" : "s"}`)} between ${ctype} in ${opts.cHeader} and ${found.shape.qname}:`);
    for (const f of findings) io.out(`  ${f.kind.padEnd(9)} ${f.message}`);
  }
  return findings.length ? EXIT.findings : EXIT.ok;
}
