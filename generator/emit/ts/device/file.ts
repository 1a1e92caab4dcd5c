import type { CodeBlockWriter } from "ts-morph";
import { emitTs, type Naming } from "../../../expr/index.ts";
import type { ExprLike } from "../../../model/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../../elaborate/model.ts";
import { walkFieldPath, type Lookup } from "../../../elaborate/lookup.ts";
import { hex } from "../../../resolve/values.ts";
import { jsDoc, tsString } from "../../escape.ts";
import { getCode, paramName } from "../bits.ts";
import { TsFile } from "../file.ts";
import type { TsModuleNames } from "../../../elaborate/names/ts.ts";
import { tsIdentifier } from "../../../elaborate/names/rename.ts";
import { generateLayout } from "../layout.ts";
import { generateInstance } from "../instance.ts";
import { tsDeviceExports } from "../../../elaborate/names/ts.ts";
import { moduleOf } from "../spec-file.ts";
import { afterReadCode, mergeStatements, readValueCode } from "../effects.ts";

/**
 * One TS module per device spec: field accessors for its layouts and registers (the registers
 * emitter's generateLayout), then the block: offsets, a state type with reset, a typed hooks
 * interface, derived values and interrupt lines compiled from expressions, and read/write
 * dispatch by offset with access-width and value checks that run before any state changes.
 */
export function generateDeviceFile(spec: ElabDeviceSpec, lookup: Lookup, names: TsModuleNames, base?: ElabDeviceSpec): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const local = f.importShapes(names);
  if (names.reexport) f.reexport(names.reexport.module, names.reexport.values, names.reexport.types);
  // An overlay's inherited shapes are the base module's: imported and re-exported, not declared again.
  const own = (s: { name: string }) => !spec.inherits?.inherited.has(s.name);
  for (const l of spec.layouts.filter(own)) generateLayout(f, l, lookup, local);
  for (const r of spec.registers.filter(own)) generateLayout(f, r, lookup, local);
  if (spec.inherits?.sameBehaviour && base) {
    // The base's dispatch serves this instance unchanged: its names are imported for the device class.
    const baseModule = moduleOf(spec.inherits.baseRel);
    const e = tsDeviceExports(base);
    for (const v of e.values) f.import(baseModule, v);
    for (const t of e.types) f.import(baseModule, t, true);
    generateInstance(f, spec, base);
    return f;
  }
  f.uses("HwspecError");
  const p = prefixOf(spec);
  const stored = spec.registers.filter((r) => r.stored);
  const naming = expressionNaming(spec, lookup);
  const compile = (e: ExprLike) => emitTs(e.ast, naming, { types: spec.typed.get(e.ast)!.types });
  const widths = spec.block.accessWidths;

  f.add((w) => {
    for (const c of spec.constants) {
      w.write(jsDoc(c.doc, [`${hex(c.value)}`]));
      w.writeLine(`export const ${tsIdentifier(c.name)} = ${c.value <= BigInt(Number.MAX_SAFE_INTEGER) ? hex(c.value) : `${hex(c.value)}n`};`);
    }
    if (spec.constants.length) w.blankLine();

    w.write(jsDoc(`Bus access widths in bits that the ${spec.name} block accepts.`));
    w.writeLine(`export type ${p}_AccessWidth = ${widths.join(" | ")};`);
    w.blankLine();
    w.write(jsDoc(spec.block.doc, [`The MMIO block of ${spec.name}.`]));
    w.write(`export const ${p}_BLOCK = Object.freeze(`).inlineBlock(() => {
      w.writeLine(`name: ${tsString(spec.name)},`);
      w.writeLine(`size: ${hex(spec.block.size)},`);
      w.writeLine(`accessWidths: Object.freeze([${widths.join(", ")}] as const),`);
    });
    w.write(");").newLine().blankLine();

    w.write(jsDoc(`Byte offset of every register (and alias) of ${spec.name}; element 0 of an array.`));
    w.write(`export const ${p}_OFFSETS = Object.freeze(`).inlineBlock(() => {
      for (const r of spec.registers) {
        w.writeLine(`${r.name}: ${hex(r.offset, 12)},`);
        for (const a of r.aliases) w.writeLine(`${a}: ${hex(r.offset, 12)},`);
      }
    });
    w.write(");").newLine().blankLine();

    w.write(jsDoc(`How each register of ${spec.name} is read and written.`));
    w.write(`export const ${p}_REGISTERS = Object.freeze([`).newLine();
    for (const r of spec.registers) {
      const parts = [
        `name: ${tsString(r.name)}`,
        `offset: ${hex(r.offset, 12)}`,
        `width: ${r.width}`,
        `access: ${tsString(r.access)}`,
        `accessWidths: Object.freeze([${r.accessWidths.join(", ")}])`,
        `reset: ${r.reset === undefined ? "undefined" : hex(r.reset)}`,
        `read: ${tsString(readText(r))}`,
        `write: ${tsString(writeText(r))}`,
        `stored: ${r.stored}`,
        `narrow: ${tsString(r.narrow)}`,
      ];
      if (r.array) parts.push(`count: ${r.array.count}`, `stride: ${hex(r.array.stride)}`);
      if (r.aliasOf) parts.push(`aliasOf: ${tsString(r.aliasOf.name)}`);
      if (r.aliases.length) parts.push(`aliases: Object.freeze([${r.aliases.map(tsString).join(", ")}])`);
      w.writeLine(`Object.freeze({ ${parts.join(", ")} }),`);
    }
    w.writeLine("]);");
    w.blankLine();

    w.write(jsDoc(`The stored registers of ${spec.name}: the device state the dispatch functions read and change. An array register holds one value per element; \`NAME$once\` records the write-once bits already written since reset.`));
    w.write(`export interface ${p}_State `).block(() => {
      for (const r of stored) w.write(jsDoc(r.doc)).writeLine(`${r.name}: ${r.array ? "number[]" : "number"};`);
      for (const r of onceRegisters(spec)) w.writeLine(`${r.name}$once: ${r.array ? "number[]" : "number"};`);
    });
    w.blankLine();
    w.write(jsDoc(`A fresh state at reset: each stored register's reset value (0 where the spec gives none), every element of an array alike.`));
    w.write(`export function ${p}_reset(): ${p}_State `).block(() => {
      w.write("return ").inlineBlock(() => {
        const init = (r: ElabDeviceRegister, v: string) => (r.array ? `new Array<number>(${r.array.count}).fill(${v})` : v);
        for (const r of stored) w.writeLine(`${r.name}: ${init(r, hex(r.reset ?? 0n))},`);
        for (const r of onceRegisters(spec)) w.writeLine(`${r.name}$once: ${init(r, "0")},`);
      });
      w.write(";").newLine();
    });
    w.blankLine();

    w.write(jsDoc(`Side effects of ${spec.name} that the runtime implements. Read hooks supply the value read; write hooks get the written value after the register's write semantics. The dispatch calls a hook only after the access has passed every check.`));
    w.write(`export interface ${p}_Hooks `).block(() => {
      for (const h of spec.hooks) {
        const regs = spec.registers.filter((r) => (h.on === "read" ? r.read.kind === "hook" && r.read.hook === h.name : r.onWrite?.hook === h.name));
        w.write(jsDoc(h.doc, [`On ${h.on} of ${regs.map((r) => r.name).join(", ")}.`]));
        // `index` is the array element (0 for a single register), so one hook serves a whole array.
        if (h.on === "read") w.writeLine(`${h.name}(state: ${p}_State, width: ${p}_AccessWidth, index: number): number;`);
        else w.writeLine(`${h.name}(state: ${p}_State, value: number, width: ${p}_AccessWidth, index: number): void;`);
      }
    });
    w.blankLine();

    for (const r of spec.registers) {
      if (r.read.kind !== "value") continue;
      w.write(jsDoc(`Derived read value of ${r.name}: ${r.read.expr.text}`));
      const code = compile(r.read.expr);
      // A constant value (Xen's read-as-zero registers) reads no state: noUnusedParameters.
      w.writeLine(`export function ${p}_value_${r.name}(${paramName("s", code)}: Readonly<${p}_State>): number { return ${code}; }`);
      w.blankLine();
    }

    w.write(jsDoc(`Interrupt output lines of ${spec.name}.`));
    w.write(`export interface ${p}_Lines `).block(() => {
      for (const i of spec.interrupts) w.write(jsDoc(i.doc, [`High while: ${i.expr.text}`])).writeLine(`readonly ${i.name}: boolean;`);
    });
    w.blankLine();
    w.write(jsDoc(`The level of every interrupt line in state \`s\`.`));
    const lines = spec.interrupts.map((i) => `${i.name}: ${compile(i.expr)},`);
    w.write(`export function ${p}_interrupts(${paramName("s", lines.join("\n"))}: Readonly<${p}_State>): ${p}_Lines `).block(() => {
      w.write("return ").inlineBlock(() => {
        for (const l of lines) w.writeLine(l);
      });
      w.write(";").newLine();
    });
    w.blankLine();

    writeErrors(w, p, spec);
    writeRead(w, p, spec);
    writeWrite(w, p, spec);
  });
  generateInstance(f, spec, spec);
  return f;
}

/** Prefix of the block-level names: the last segment of the namespace (`arm.pl011` → `pl011`). */
export function prefixOf(spec: ElabDeviceSpec): string {
  return spec.name.split(".").pop()!;
}

function readText(r: ElabDeviceRegister): string {
  switch (r.read.kind) {
    case "store":
      return r.aliasOf ? `store of ${r.aliasOf.name}` : "store";
    case "value":
      return `value ${r.read.expr.text}`;
    case "hook":
      return `hook ${r.read.hook}`;
    case "fault":
      return "fault";
  }
}

function writeText(r: ElabDeviceRegister): string {
  const base = r.aliasOf && r.write.kind === "store" ? `store into ${r.aliasOf.name}` : r.write.kind;
  return r.onWrite ? `${base}, hook ${r.onWrite.hook}` : base;
}

/** Registers whose own or aliased writes have write-once bits, by the storage they track. */
function onceRegisters(spec: ElabDeviceSpec): ElabDeviceRegister[] {
  const names = new Set(spec.registers.filter((r) => r.effects.once !== 0n && r.write.kind === "store").map((r) => r.storage));
  return spec.registers.filter((r) => names.has(r.name));
}

function expressionNaming(spec: ElabDeviceSpec, lookup: Lookup): Naming {
  return {
    ref(path) {
      const [head, ...rest] = path;
      if (rest.length === 0 || (rest.length === 1 && rest[0] === "raw")) return `s.${head}`;
      const reg = spec.registers.find((r) => r.name === head)!;
      const hit = walkFieldPath(reg, rest, lookup);
      if ("error" in hit) throw new Error(`internal: ${hit.error}`);
      return `(${getCode({ lsb: hit.lsb, width: hit.field.width, wide: false }, `s.${head}`)})`;
    },
  };
}

function writeErrors(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec): void {
  const lanes = spec.registers.some((r) => r.narrow === "lanes");
  w.write(jsDoc(`Why an access to ${spec.name} was refused. The state is unchanged when one is thrown.`));
  w.writeLine(`export type ${p}_AccessErrorKind = "width" | "value" | "unmapped" | "read-fault"${lanes ? ` | "misaligned"` : ""};`);
  w.blankLine();
  w.write(jsDoc(`A refused access to ${spec.name}: a width the register does not accept, a value wider than the access, an offset with no register, or a read of a write-only register${lanes ? ", or a narrow access not aligned to its own width" : ""}.`));
  w.write(`export class ${p}_AccessError extends HwspecError `).block(() => {
    w.writeLine(`override name = ${tsString(`${p}_AccessError`)};`);
    // Plain fields, not parameter properties: the module stays erasable (Node's type stripping, erasableSyntaxOnly).
    w.writeLine(`readonly kind: ${p}_AccessErrorKind;`);
    w.writeLine(`readonly op: "read" | "write";`);
    w.writeLine("readonly offset: number;");
    w.writeLine("readonly width: number;");
    w.write(`constructor(kind: ${p}_AccessErrorKind, op: "read" | "write", offset: number, width: number, message: string) `).block(() => {
      w.writeLine("super(message);");
      w.writeLine("this.kind = kind;");
      w.writeLine("this.op = op;");
      w.writeLine("this.offset = offset;");
      w.writeLine("this.width = width;");
    });
  });
  w.blankLine();
  w.writeLine(`const ${p}_hexOffset = (offset: number): string => "0x" + offset.toString(16).padStart(3, "0");`);
  w.writeLine(`const ${p}_mask = (width: number): number => (width >= 32 ? 0xffffffff : (1 << width) - 1) >>> 0;`);
  w.blankLine();
  // The checks are inline comparisons at each case; only the failure paths are functions, so the
  // hot dispatch allocates nothing and stays small enough to inline.
  w.writeLine(`function ${p}_badWidth(op: "read" | "write", name: string, offset: number, width: number, allowed: string): never {`);
  w.indent(() => {
    w.writeLine(`throw new ${p}_AccessError("width", op, offset, width, \`${spec.name}: bad \${op} width \${String(width)} for \${name} at offset \${${p}_hexOffset(offset)} (allowed: \${allowed})\`);`);
  });
  w.writeLine("}");
  w.blankLine();
  w.writeLine(`function ${p}_badValue(name: string, offset: number, width: number, value: number): never {`);
  w.indent(() => {
    w.writeLine(`throw new ${p}_AccessError("value", "write", offset, width, \`${spec.name}: value \${String(value)} does not fit a \${width}-bit write to \${name} at offset \${${p}_hexOffset(offset)}\`);`);
  });
  w.writeLine("}");
  w.blankLine();
  w.writeLine(`function ${p}_refuse(kind: ${p}_AccessErrorKind, op: "read" | "write", offset: number, width: number, message: string): never {`);
  w.indent(() => w.writeLine(`throw new ${p}_AccessError(kind, op, offset, width, \`${spec.name}: \${message}\`);`));
  w.writeLine("}");
  w.blankLine();
}

/** `if (width is not allowed) fail(...)` as straight comparisons. */
function widthCheck(p: string, op: "read" | "write", r: ElabDeviceRegister, name: string): string {
  const test = r.accessWidths.map((wd) => `width !== ${wd}`).join(" && ");
  return `if (${test}) ${p}_badWidth(${tsString(op)}, ${name}, offset, width, ${tsString(r.accessWidths.join(", "))});`;
}

/** A write value must be an unsigned integer of at most `width` bits (widths above 32 are refused as numbers). */
function valueCheck(p: string, name: string): string {
  return `if ((value >>> 0) !== value || (width < 32 && value >>> width !== 0)) ${p}_badValue(${name}, offset, width, value);`;
}

/**
 * Where an access lands in one register: the element index (`i`, for arrays) and the byte lane
 * (`k`, for lanes registers) as code, plus the name used in messages.
 */
interface Hit {
  r: ElabDeviceRegister;
  /** Element index expression, or undefined for a single register. */
  i?: string;
  /** Byte offset inside the register, or undefined when the access starts at its offset. */
  k?: string;
}

const elementName = (h: Hit) => (h.i ? `${tsString(h.r.name + "[")} + String(${h.i}) + "]"` : tsString(h.r.name));
const at = (h: Hit, reg: string) => (h.i ? `s.${reg}[${h.i}]!` : `s.${reg}`);
const slot = (h: Hit, reg: string) => (h.i ? `s.${reg}[${h.i}]` : `s.${reg}`);

/** The range branch of an array or lanes register: binds `i` and `k`, then runs `body` when the offset hits it. */
function rangeBranch(w: CodeBlockWriter, r: ElabDeviceRegister, body: (h: Hit) => void): void {
  const bytes = BigInt(r.width / 8);
  const count = BigInt(r.array?.count ?? 1);
  const stride = r.array?.stride ?? bytes;
  const end = r.offset + (count - 1n) * stride + bytes;
  w.write(`if (offset >= ${hex(r.offset, 12)} && offset < ${hex(end, 12)}) `).block(() => {
    const rel = r.offset === 0n ? "offset" : `offset - ${hex(r.offset, 12)}`;
    if (!r.array) {
      w.writeLine(`const k = ${rel};`);
      body({ r, k: "k" });
      return;
    }
    const pow = (stride & (stride - 1n)) === 0n;
    const shift = pow ? stride.toString(2).length - 1 : 0;
    w.writeLine(`const rel = ${rel};`);
    w.writeLine(pow ? `const i = rel >>> ${shift};` : `const i = Math.floor(rel / ${hex(stride)});`);
    w.writeLine(pow ? `const k = rel & ${hex(stride - 1n)};` : `const k = rel - i * ${hex(stride)};`);
    // Bytes between elements (stride wider than the register), and inner offsets of a register
    // that only answers at its own offset, belong to no register.
    const miss = r.narrow === "low" ? ["k === 0"] : stride > bytes ? [`k < ${bytes}`] : [];
    const hit: Hit = { r, i: "i", ...(r.narrow === "lanes" ? { k: "k" } : {}) };
    if (miss.length) w.write(`if (${miss.join(" && ")}) `).block(() => body(hit));
    else body(hit);
  });
}

/** Lane alignment check and the shift of the accessed lane, for lanes registers. */
function laneCode(w: CodeBlockWriter, p: string, op: "read" | "write", h: Hit): string {
  if (!h.k) return "0";
  w.writeLine(`if ((${h.k} & ((width >>> 3) - 1)) !== 0) return ${p}_refuse("misaligned", ${tsString(op)}, offset, width, \`\${String(width)}-bit ${op} at offset \${${p}_hexOffset(offset)} is not aligned to its width\`);`);
  return `(${h.k} << 3)`;
}

function readBody(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec, h: Hit): void {
  const r = h.r;
  w.writeLine(widthCheck(p, "read", r, elementName(h)));
  if (r.read.kind === "fault") {
    const what = h.i ? `${elementName(h)} + " at offset " + ${p}_hexOffset(offset) + " is write-only"` : tsString(`${r.name} at offset ${hex(r.offset, 12)} is write-only`);
    w.writeLine(`return ${p}_refuse("read-fault", "read", offset, width, ${what});`);
    return;
  }
  const shift = laneCode(w, p, "read", h);
  const index = h.i ?? "0";
  let value: string;
  if (r.read.kind === "value") value = `${p}_value_${r.name}(s)`;
  else if (r.read.kind === "hook") value = `hooks.${r.read.hook}(s, width as ${p}_AccessWidth, ${index})`;
  else {
    w.writeLine(`const stored = ${at(h, r.storage)};`);
    if (r.effects.readSideEffects) {
      const l = shift === "0" ? `${p}_mask(width)` : `(${p}_mask(width) << ${shift}) >>> 0`;
      w.writeLine(`const l = ${l};`);
      w.writeLine(`${slot(h, r.storage)} = ${afterReadCode(r.effects, 0, "stored", "l")};`);
    }
    value = readValueCode(r.effects, 0, "stored").replace(/ >>> 0$/, "");
  }
  w.writeLine(shift === "0" ? `return (${value} & ${p}_mask(width)) >>> 0;` : `return ((${value}) >>> ${shift} & ${p}_mask(width)) >>> 0;`);
}

function writeBody(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec, h: Hit): void {
  const r = h.r;
  w.writeLine(widthCheck(p, "write", r, elementName(h)));
  w.writeLine(valueCheck(p, elementName(h)));
  const shift = laneCode(w, p, "write", h);
  if (r.write.kind === "store" && (r.stored || r.aliasOf)) {
    const e = r.effects;
    const target = slot(h, r.storage);
    w.writeLine(`let v = ${at(h, r.storage)};`);
    w.writeLine(shift === "0" ? "const w = value;" : `const w = (value << ${shift}) >>> 0;`);
    w.writeLine(shift === "0" ? `const l = ${p}_mask(width);` : `const l = (${p}_mask(width) << ${shift}) >>> 0;`);
    const once = e.once !== 0n;
    if (once) w.writeLine(`const d = ${at(h, `${r.storage}$once`)};`);
    for (const st of mergeStatements(e, 0)) w.writeLine(st);
    w.writeLine(`${target} = v >>> 0;`);
    if (once) w.writeLine(`${slot(h, `${r.storage}$once`)} = (d | (l & ${hex(e.once)})) >>> 0;`);
  }
  if (r.onWrite) w.writeLine(`hooks.${r.onWrite.hook}(s, value, width as ${p}_AccessWidth, ${h.i ?? "0"});`);
  w.writeLine("return;");
}

/** Registers reached by an exact offset (`switch`), and the rest (arrays, lanes) by range. */
function splitRegisters(spec: ElabDeviceSpec): { exact: ElabDeviceRegister[]; ranged: ElabDeviceRegister[] } {
  const ranged = (r: ElabDeviceRegister) => r.array !== undefined || r.narrow === "lanes";
  return { exact: spec.registers.filter((r) => !ranged(r)), ranged: spec.registers.filter(ranged) };
}

/** The end of a dispatch: unmapped ranges, then the block's own policy. */
function unmapped(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec, op: "read" | "write"): void {
  const blockWidths = spec.block.accessWidths.map((wd) => `width !== ${wd}`).join(" && ");
  const done = op === "read" ? "return 0;" : "return;";
  const refuse = `return ${p}_refuse("unmapped", ${tsString(op)}, offset, width, "no register at offset " + ${p}_hexOffset(offset));`;
  const policies = [...spec.block.unmappedRanges.map((u) => u.policy), spec.block.unmapped];
  // RAZ/WI still refuses widths the bus cannot make, like any access to the block.
  if (policies.includes("raz-wi")) w.writeLine(`if (${blockWidths}) ${p}_badWidth(${tsString(op)}, "unmapped space", offset, width, ${tsString(spec.block.accessWidths.join(", "))});`);
  for (const u of spec.block.unmappedRanges) {
    if (u.policy === spec.block.unmapped) continue;
    w.writeLine(`if (offset >= ${hex(u.first, 12)} && offset <= ${hex(u.last, 12)}) ${u.policy === "raz-wi" ? done : refuse}`);
  }
  if (spec.block.unmapped === "raz-wi") {
    w.writeLine(`if (offset >= 0 && offset < ${hex(spec.block.size, 12)}) ${done}`);
    w.writeLine(`return ${p}_refuse("unmapped", ${tsString(op)}, offset, width, "offset " + ${p}_hexOffset(offset) + " is outside the block");`);
  } else w.writeLine(refuse);
}

function writeRead(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec): void {
  const { exact, ranged } = splitRegisters(spec);
  w.write(jsDoc(`Reads the register at \`offset\` with a \`width\`-bit access; the value is the register's bits at that offset (the low \`width\` bits, or the addressed lane). Write-only fields read as 0, read-to-clear/set fields change after the read. Checks run before any hook or change, so a refused access changes nothing.`));
  w.write(`export function ${p}_read(s: ${p}_State, hooks: ${p}_Hooks, offset: number, width: number): number `).block(() => {
    if (exact.length) {
      w.write("switch (offset) ").block(() => {
        for (const r of exact) w.write(`case ${hex(r.offset, 12)}: `).block(() => readBody(w, p, spec, { r }));
      });
    }
    for (const r of ranged) rangeBranch(w, r, (h) => readBody(w, p, spec, h));
    unmapped(w, p, spec, "read");
  });
  w.blankLine();
}

function writeWrite(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec): void {
  const { exact, ranged } = splitRegisters(spec);
  w.write(jsDoc(`Writes \`value\` with a \`width\`-bit access at \`offset\`: the written lanes merge into the register's storage (its own, or its alias target's) by each field's access — rw stores, w1c/w1s clear/set where 1 is written, write-once stores once, res0/res1/const bits keep their fixed values — unless the register ignores writes; then the register's write hook runs. Checks run first, so a refused access changes nothing.`));
  w.write(`export function ${p}_write(s: ${p}_State, hooks: ${p}_Hooks, offset: number, width: number, value: number): void `).block(() => {
    if (exact.length) {
      w.write("switch (offset) ").block(() => {
        for (const r of exact) w.write(`case ${hex(r.offset, 12)}: `).block(() => writeBody(w, p, spec, { r }));
      });
    }
    for (const r of ranged) rangeBranch(w, r, (h) => writeBody(w, p, spec, h));
    unmapped(w, p, spec, "write");
  });
  w.blankLine();
}
