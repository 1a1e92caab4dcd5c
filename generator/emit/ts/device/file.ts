import type { CodeBlockWriter } from "ts-morph";
import { emitTs, type Naming } from "../../../expr/index.ts";
import type { ExprLike } from "../../../model/index.ts";
import type { ElabDeviceRegister, ElabDeviceSpec } from "../../../elaborate/model.ts";
import { walkFieldPath, type Lookup } from "../../../elaborate/lookup.ts";
import { hex } from "../../../resolve/values.ts";
import { jsDoc, tsString } from "../../escape.ts";
import { getCode } from "../bits.ts";
import { TsFile } from "../file.ts";
import type { TsModuleNames } from "../../../elaborate/names/ts.ts";
import { tsIdentifier } from "../../../elaborate/names/rename.ts";
import { generateLayout } from "../layout.ts";
import { moduleOf } from "../spec-file.ts";

/**
 * One TS module per device spec: field accessors for its layouts and registers (the registers
 * emitter's generateLayout), then the block: offsets, a state type with reset, a typed hooks
 * interface, derived values and interrupt lines compiled from expressions, and read/write
 * dispatch by offset with access-width and value checks that run before any state changes.
 */
export function generateDeviceFile(spec: ElabDeviceSpec, lookup: Lookup, names: TsModuleNames): TsFile {
  const f = new TsFile(`${moduleOf(spec.rel)}.ts`, `specs/${spec.rel} (${spec.name})`, "");
  const local = f.importShapes(names);
  for (const l of spec.layouts) generateLayout(f, l, lookup, local);
  for (const r of spec.registers) generateLayout(f, r, lookup, local);
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

    w.write(jsDoc(`Byte offset of every register (and alias) of ${spec.name}.`));
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
      ];
      if (r.aliases.length) parts.push(`aliases: Object.freeze([${r.aliases.map(tsString).join(", ")}])`);
      w.writeLine(`Object.freeze({ ${parts.join(", ")} }),`);
    }
    w.writeLine("]);");
    w.blankLine();

    w.write(jsDoc(`The stored registers of ${spec.name}: the device state the dispatch functions read and change.`));
    w.write(`export interface ${p}_State `).block(() => {
      for (const r of stored) w.write(jsDoc(r.doc)).writeLine(`${r.name}: number;`);
    });
    w.blankLine();
    w.write(jsDoc(`A fresh state at reset: each stored register's reset value (0 where the spec gives none).`));
    w.write(`export function ${p}_reset(): ${p}_State `).block(() => {
      w.write("return ").inlineBlock(() => {
        for (const r of stored) w.writeLine(`${r.name}: ${hex(r.reset ?? 0n)},`);
      });
      w.write(";").newLine();
    });
    w.blankLine();

    w.write(jsDoc(`Side effects of ${spec.name} that the runtime implements. Read hooks supply the value read; write hooks get the written value after the register's write semantics. The dispatch calls a hook only after the access has passed every check.`));
    w.write(`export interface ${p}_Hooks `).block(() => {
      for (const h of spec.hooks) {
        const regs = spec.registers.filter((r) => (h.on === "read" ? r.read.kind === "hook" && r.read.hook === h.name : r.onWrite?.hook === h.name));
        w.write(jsDoc(h.doc, [`On ${h.on} of ${regs.map((r) => r.name).join(", ")}.`]));
        if (h.on === "read") w.writeLine(`${h.name}(state: ${p}_State, width: ${p}_AccessWidth): number;`);
        else w.writeLine(`${h.name}(state: ${p}_State, value: number, width: ${p}_AccessWidth): void;`);
      }
    });
    w.blankLine();

    for (const r of spec.registers) {
      if (r.read.kind !== "value") continue;
      w.write(jsDoc(`Derived read value of ${r.name}: ${r.read.expr.text}`));
      w.writeLine(`export function ${p}_value_${r.name}(s: Readonly<${p}_State>): number { return ${compile(r.read.expr)}; }`);
      w.blankLine();
    }

    w.write(jsDoc(`Interrupt output lines of ${spec.name}.`));
    w.write(`export interface ${p}_Lines `).block(() => {
      for (const i of spec.interrupts) w.write(jsDoc(i.doc, [`High while: ${i.expr.text}`])).writeLine(`readonly ${i.name}: boolean;`);
    });
    w.blankLine();
    w.write(jsDoc(`The level of every interrupt line in state \`s\`.`));
    w.write(`export function ${p}_interrupts(s: Readonly<${p}_State>): ${p}_Lines `).block(() => {
      w.write("return ").inlineBlock(() => {
        for (const i of spec.interrupts) w.writeLine(`${i.name}: ${compile(i.expr)},`);
      });
      w.write(";").newLine();
    });
    w.blankLine();

    writeErrors(w, p, spec);
    writeRead(w, p, spec);
    writeWrite(w, p, spec);
  });
  return f;
}

/** Prefix of the block-level names: the last segment of the namespace (`arm.pl011` → `pl011`). */
export function prefixOf(spec: ElabDeviceSpec): string {
  return spec.name.split(".").pop()!;
}

function readText(r: ElabDeviceRegister): string {
  switch (r.read.kind) {
    case "store":
      return "store";
    case "value":
      return `value ${r.read.expr.text}`;
    case "hook":
      return `hook ${r.read.hook}`;
    case "fault":
      return "fault";
  }
}

function writeText(r: ElabDeviceRegister): string {
  const base = r.write.kind === "w1c" ? `w1c ${r.write.target}` : r.write.kind;
  return r.onWrite ? `${base}, hook ${r.onWrite.hook}` : base;
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
  w.write(jsDoc(`Why an access to ${spec.name} was refused. The state is unchanged when one is thrown.`));
  w.writeLine(`export type ${p}_AccessErrorKind = "width" | "value" | "unmapped" | "read-fault";`);
  w.blankLine();
  w.write(jsDoc(`A refused access to ${spec.name}: a width the register does not accept, a value wider than the access, an offset with no register, or a read of a write-only register.`));
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
}

/** `if (width is not allowed) fail(...)` as straight comparisons. */
function widthCheck(p: string, op: "read" | "write", r: ElabDeviceRegister): string {
  const test = r.accessWidths.map((wd) => `width !== ${wd}`).join(" && ");
  return `if (${test}) ${p}_badWidth(${tsString(op)}, ${tsString(r.name)}, offset, width, ${tsString(r.accessWidths.join(", "))});`;
}

/** A write value must be an unsigned integer of at most `width` bits (widths above 32 are refused as numbers). */
function valueCheck(p: string, r: ElabDeviceRegister): string {
  return `if ((value >>> 0) !== value || (width < 32 && value >>> width !== 0)) ${p}_badValue(${tsString(r.name)}, offset, width, value);`;
}

function writeRead(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec): void {
  w.write(jsDoc(`Reads the register at \`offset\` with a \`width\`-bit access; the value is the register's low \`width\` bits. Checks run before any hook, so a refused access changes nothing.`));
  w.write(`export function ${p}_read(s: ${p}_State, hooks: ${p}_Hooks, offset: number, width: number): number `).block(() => {
    w.write("switch (offset) ").block(() => {
      for (const r of spec.registers) {
        w.write(`case ${hex(r.offset, 12)}: `).block(() => {
          w.writeLine(widthCheck(p, "read", r));
          if (r.read.kind === "fault") {
            w.writeLine(`throw new ${p}_AccessError("read-fault", "read", offset, width, ${tsString(`${spec.name}: ${r.name} at offset ${hex(r.offset, 12)} is write-only`)});`);
            return;
          }
          const value =
            r.read.kind === "store" ? `s.${r.name}` : r.read.kind === "value" ? `${p}_value_${r.name}(s)` : `hooks.${r.read.hook}(s, width as ${p}_AccessWidth)`;
          w.writeLine(`return (${value} & ${p}_mask(width)) >>> 0;`);
        });
      }
      w.write("default:").newLine();
      w.indent(() =>
        w.writeLine(`throw new ${p}_AccessError("unmapped", "read", offset, width, \`${spec.name}: no register at offset \${${p}_hexOffset(offset)}\`);`),
      );
    });
  });
  w.blankLine();
}

function writeWrite(w: CodeBlockWriter, p: string, spec: ElabDeviceSpec): void {
  w.write(jsDoc(`Writes \`value\` with a \`width\`-bit access to the register at \`offset\`: store replaces the low \`width\` bits, w1c clears the bits written as 1 in its target, ignore drops the value; then the register's write hook runs. Checks run first, so a refused access changes nothing.`));
  w.write(`export function ${p}_write(s: ${p}_State, hooks: ${p}_Hooks, offset: number, width: number, value: number): void `).block(() => {
    w.write("switch (offset) ").block(() => {
      for (const r of spec.registers) {
        w.write(`case ${hex(r.offset, 12)}: `).block(() => {
          w.writeLine(widthCheck(p, "write", r));
          w.writeLine(valueCheck(p, r));
          if (r.write.kind === "store") w.writeLine(`s.${r.name} = ((s.${r.name} & ~${p}_mask(width)) | value) >>> 0;`);
          else if (r.write.kind === "w1c") w.writeLine(`s.${r.write.target} = (s.${r.write.target} & ~value) >>> 0;`);
          if (r.onWrite) w.writeLine(`hooks.${r.onWrite.hook}(s, value, width as ${p}_AccessWidth);`);
          w.writeLine("return;");
        });
      }
      w.write("default:").newLine();
      w.indent(() =>
        w.writeLine(`throw new ${p}_AccessError("unmapped", "write", offset, width, \`${spec.name}: no register at offset \${${p}_hexOffset(offset)}\`);`),
      );
    });
  });
  w.blankLine();
}
