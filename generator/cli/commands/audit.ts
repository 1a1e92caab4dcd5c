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
import { elementAddress, elementName } from "../../inspect/address.ts";
import { SPACES } from "../../elaborate/spaces.ts";
import type { ElabRegister } from "../../elaborate/model.ts";
import { foundName } from "../../inspect/facts.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { declarations, findAggregate, headerText, macroKind, scanMembers } from "../../audit/scan.ts";
import { runProbe } from "../../audit/probe.ts";
import { compare, compareAddresses } from "../../audit/compare.ts";
import type { AddressProbe, ScannedMember } from "../../audit/types.ts";
import { cFieldMember } from "../../elaborate/names/c.ts";

export interface AuditOptions extends ProjectOptions {
  cHeader: string;
  cType?: string;
  cAddress?: string;
  json?: boolean;
}

export function auditCommand(name: string, opts: AuditOptions, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    return usageError(io, opts.json, `hwspec audit: ${found.error}`);
  }
  if (opts.cType === undefined && opts.cAddress === undefined) {
    return usageError(io, opts.json, `hwspec audit: give --c-type (the union or struct to check bit by bit), --c-address (the macro giving the register's address) or both`);
  }
  const headerPath = resolve(opts.cHeader);
  if (!existsSync(headerPath)) {
    return usageError(io, opts.json, `hwspec audit: header ${opts.cHeader} not found`);
  }
  const shape = found.shape;
  const label = foundName(found);

  let ctype: string | undefined;
  let members: ScannedMember[] = [];
  let noRaw = false;
  if (opts.cType !== undefined) {
    const text = headerText(headerPath);
    const agg = findAggregate(text, opts.cType);
    if (!agg) {
      return usageError(io, opts.json, `hwspec audit: no definition of ${opts.cType} in ${opts.cHeader} (give "union tag", "struct tag", a tag or a typedef name)`);
    }
    const tagOnly = /^\s*[A-Za-z_]\w*\s*$/.test(opts.cType);
    ctype = tagOnly && new RegExp(`\\b${agg.kind}\\s+${opts.cType.trim()}\\s*\\{`).test(text) ? `${agg.kind} ${opts.cType.trim()}` : opts.cType.trim();
    members = scanMembers(text, agg.body);
    noRaw = !declarations(agg.body).some((d) => /\braw\s*$/.test(d) && !/\[/.test(d));
  }

  // The address macro: every element of an array through a function-like macro, or the named
  // element (element 0 of a whole array) through an object-like one.
  let address: AddressPlan | undefined;
  if (opts.cAddress !== undefined) {
    const planned = planAddress(opts.cAddress, found, headerPath, opts.cHeader);
    if ("error" in planned) return usageError(io, opts.json, `hwspec audit: ${planned.error}`);
    address = planned;
  }

  const probe = runProbe(headerPath, ctype, members, address);
  if (!probe.ok) {
    const hint = ctype && noRaw ? ` (or ${ctype} has no "raw" member to set bits through)` : "";
    return usageError(io, opts.json, `hwspec audit: ${opts.cHeader} does not compile with gcc${hint}:\n${probe.message}`);
  }
  // A header names a field by its C member: the spec's name, or `int_` for a field `int` (C reserves it).
  const spec = ctype ? fieldEntries(shape).map((e) => ({ ...e, path: e.path.split(".").map((name) => cFieldMember({ name })).join(".") })) : [];
  const findings = ctype ? compare(spec, probe.positions) : [];
  if (address) {
    const a = address;
    const spell = (arg: number) => {
      const element = a.args ? arg : a.element;
      return { path: element !== undefined ? elementName(shape.name, element) : shape.name, ...(element !== undefined ? { element } : {}), call: a.args ? `${a.macro}(${arg})` : a.macro };
    };
    findings.push(...compareAddresses(a.expected, probe.addresses, spell));
  }
  const header = [...probe.positions].map(([path, p]) => (typeof p === "string" ? { path, status: p } : { path, ...p }));
  const addressJson = address && {
    macro: address.macro,
    kind: address.kind,
    elements: [...address.expected].map(([arg, spec]) => {
      const got = probe.addresses.get(arg);
      const element = address!.args ? arg : address!.element;
      return { ...(element !== undefined ? { element } : {}), spec: `0x${spec.toString(16)}`, header: got === undefined ? null : `0x${got.toString(16)}` };
    }),
  };
  if (opts.json) {
    io.out(
      json({
        name: shape.qname,
        ...(found.element !== undefined ? { element: found.element } : {}),
        header: opts.cHeader,
        ...(ctype ? { cType: ctype } : {}),
        ...(addressJson ? { address: addressJson } : {}),
        agree: findings.length === 0,
        members: header,
        findings,
      }),
    );
  } else if (!findings.length) {
    const parts = [
      ...(ctype ? [`${ctype} in ${opts.cHeader} matches ${label} (${spec.length} field${spec.length === 1 ? "" : "s"})`] : []),
      ...(address ? [addressAgreement(address, found, opts.cHeader)] : []),
    ];
    io.out(`${paint(io, "green", "agree")}: ${parts.join("; ")}`);
  } else {
    const what = ctype ? `${ctype} in ${opts.cHeader}` : `${address!.macro} in ${opts.cHeader}`;
    io.out(`${paint(io, "red", `${findings.length} difference${findings.length === 1 ? "" : "s"}`)} between ${what} and ${label}:`);
    for (const f of findings) io.out(`  ${f.kind.padEnd(9)} ${f.message}`);
  }
  return findings.length ? EXIT.findings : EXIT.ok;
}

type Found = Exclude<ReturnType<typeof findShape>, { error: string }>;

/** What to ask gcc about the macro and what the spec expects: addresses by probed argument. */
interface AddressPlan extends AddressProbe {
  kind: "function" | "object";
  expected: Map<number, bigint>;
  /** The element an object-like macro is compared with (undefined for a plain register). */
  element?: number;
}

function planAddress(macro: string, found: Found, headerPath: string, headerName: string): AddressPlan | { error: string } {
  const shape = found.shape;
  // The name goes into the probe's source, so it must be an identifier and nothing more.
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(macro)) return { error: `--c-address takes a macro name, not "${macro}"` };
  const reg = shape.role === "register" ? (shape as ElabRegister) : undefined;
  if (!reg) return { error: `${shape.qname} is a layout, so it has no address to check; --c-address needs a register` };
  const kind = macroKind(headerPath, macro);
  if (!kind) return { error: `no macro ${macro} in ${headerName} (or the headers it includes with quotes)` };
  const expected = new Map<number, bigint>();
  if (kind === "function") {
    if (!reg.array) return { error: `${macro} takes an argument, but ${reg.name} is not an array; give an object-like macro for its ${SPACES[reg.space].noun}` };
    for (let i = 0; i < reg.array.count; i++) expected.set(i, elementAddress(reg, i));
    return { macro, kind, args: [...expected.keys()], expected };
  }
  const element = found.element ?? (reg.array ? 0 : undefined);
  expected.set(0, elementAddress(reg, element ?? 0));
  return { macro, kind, expected, ...(element !== undefined ? { element } : {}) };
}

function addressAgreement(a: AddressPlan, found: Found, header: string): string {
  const name = found.shape.name;
  if (a.kind === "function") return `${a.macro}(n) in ${header} gives the address of every element of ${name} (${a.expected.size})`;
  if (a.element === undefined) return `${a.macro} in ${header} is the address of ${name}`;
  // An object-like macro names one element; the others are not checked, and the reader should know.
  const rest = found.element === undefined ? " (only element 0 is checked: name an element or give a function-like macro for the others)" : "";
  return `${a.macro} in ${header} is the address of ${elementName(name, a.element)}${rest}`;
}
