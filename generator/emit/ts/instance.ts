import type { ElabDeviceSpec, ElabRegistersSpec } from "../../elaborate/model.ts";
import { tsDeviceNames, tsInstanceNames } from "../../elaborate/names/ts.ts";
import { hex } from "../../resolve/values.ts";
import { jsDoc, tsString } from "../escape.ts";
import type { TsFile } from "./file.ts";

const num = (v: bigint) => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? hex(v) : `${hex(v)}n`);

/**
 * The facts of an instance (`instance`): where it sits, each register's absolute address and,
 * for a device, each line's interrupt number and a device class that knows its base. The class
 * drives the dispatch of `dispatch` (the base's, when the instance keeps its behaviour).
 */
export function generateInstance(f: TsFile, spec: ElabRegistersSpec | ElabDeviceSpec, dispatch?: ElabDeviceSpec): void {
  const inst = spec.instance;
  if (!inst) return;
  const n = tsInstanceNames(spec);
  const space = spec.kind === "device" ? "mmio" : spec.space;
  f.add((w) => {
    w.write(jsDoc(inst.doc, [`Where ${spec.name} sits${spec.inherits ? `: an instance of ${spec.inherits.base}` : ""}.`]));
    w.write(`export const ${n.INSTANCE} = Object.freeze(`).inlineBlock(() => {
      w.writeLine(`name: ${tsString(spec.name)},`);
      if (spec.inherits) w.writeLine(`extends: ${tsString(spec.inherits.base)},`);
      w.writeLine(`space: ${tsString(space)},`);
      w.writeLine(`base: ${num(inst.base)},`);
      if (spec.kind === "device") {
        w.writeLine(`size: ${hex(spec.block.size)},`);
        w.writeLine(`interrupts: Object.freeze({ ${inst.interrupts.map((i) => `${tsString(i.line)}: ${num(i.number)}`).join(", ")} } as const),`);
      }
    });
    w.write(");").newLine().blankLine();
    w.write(jsDoc(`Absolute address of every register${spec.kind === "device" ? " (and alias)" : ""} of ${spec.name}: the base plus its ${spec.kind === "device" ? "offset" : "address"}; element 0 of an array.`));
    w.write(`export const ${n.ADDRESSES} = Object.freeze(`).inlineBlock(() => {
      for (const r of spec.registers) {
        const at = num(inst.base + r.address);
        // Quoted keys: a key is not a use of the imported shape of that name (imports are kept by use).
        w.writeLine(`${tsString(r.name)}: ${at},`);
        if (spec.kind === "device") for (const a of (r as ElabDeviceSpec["registers"][number]).aliases) w.writeLine(`${tsString(a)}: ${at},`);
      }
    });
    w.write(");").newLine().blankLine();
    if (spec.kind === "device" && dispatch) writeDeviceClass(w, spec, dispatch);
  });
}

function writeDeviceClass(w: Parameters<Parameters<TsFile["add"]>[0]>[0], spec: ElabDeviceSpec, dispatch: ElabDeviceSpec): void {
  const inst = spec.instance!;
  const d = tsDeviceNames(dispatch);
  const n = tsInstanceNames(spec);
  const last = inst.base + spec.block.size - 1n;
  w.write(jsDoc(`${spec.name} at ${hex(inst.base)}: the dispatch of ${dispatch.name} addressed by absolute address. Accesses outside ${hex(inst.base)}..${hex(last)} are refused as unmapped before any state changes.`));
  w.write(`export class ${n.Device} `).block(() => {
    w.write(jsDoc("Address of offset 0 of the block.")).writeLine(`readonly base = ${num(inst.base)};`);
    w.write(jsDoc("Bytes the block spans.")).writeLine(`readonly size = ${hex(spec.block.size)};`);
    w.write(jsDoc("The interrupt number each line raises on this platform.")).writeLine(`readonly irq = ${n.INSTANCE}.interrupts;`);
    w.writeLine(`readonly state: ${d.State};`);
    w.writeLine(`readonly hooks: ${d.Hooks};`);
    w.blankLine();
    w.write(`constructor(hooks: ${d.Hooks}, state: ${d.State} = ${d.reset}()) `).block(() => {
      w.writeLine("this.hooks = hooks;");
      w.writeLine("this.state = state;");
    });
    w.blankLine();
    w.write(jsDoc("Whether `address` lies inside this instance's block."));
    w.write("contains(address: number): boolean ").block(() => {
      w.writeLine("return Number.isInteger(address) && address >= this.base && address - this.base < this.size;");
    });
    w.blankLine();
    w.write(jsDoc("Reads the register at absolute `address` with a `width`-bit access."));
    w.write("read(address: number, width: number): number ").block(() => {
      w.writeLine(`if (!this.contains(address)) this.outside("read", address, width);`);
      w.writeLine(`return ${d.read}(this.state, this.hooks, address - this.base, width);`);
    });
    w.blankLine();
    w.write(jsDoc("Writes `value` to the register at absolute `address` with a `width`-bit access."));
    w.write("write(address: number, width: number, value: number): void ").block(() => {
      w.writeLine(`if (!this.contains(address)) this.outside("write", address, width);`);
      w.writeLine(`${d.write}(this.state, this.hooks, address - this.base, width, value);`);
    });
    w.blankLine();
    w.write(jsDoc("The level of every interrupt line now."));
    w.write(`lines(): ${d.Lines} `).block(() => {
      w.writeLine(`return ${d.interrupts}(this.state);`);
    });
    w.blankLine();
    w.write(`private outside(op: "read" | "write", address: number, width: number): never `).block(() => {
      w.writeLine(
        `throw new ${d.AccessError}("unmapped", op, address - this.base, width, ${tsString(`${spec.name}: `)} + op + " at " + String(address) + " is outside the block at ${hex(inst.base)}..${hex(last)}");`,
      );
    });
  });
  w.blankLine();
}
