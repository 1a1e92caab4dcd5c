import type { Diagnostics } from "../diagnostics.ts";
import type { ElabDeviceSpec, ElabRegistersSpec } from "../elaborate/model.ts";
import { hex } from "../resolve/values.ts";
import { didYouMean } from "../suggest.ts";

const U64_MAX = (1n << 64n) - 1n;
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `instance` facts: every wired line is a line of the device, and every absolute address
 * (base + a register's address, the block's end for a device) is exact in a TS number, which is
 * how the generated module gives them, and fits 64 bits. A system register's address is an
 * encoding, not a number one can offset, so it has no instances.
 */
export function checkInstance(spec: ElabRegistersSpec | ElabDeviceSpec, d: Diagnostics): void {
  const inst = spec.instance;
  if (!inst) return;
  if (spec.kind === "registers" && spec.space === "sysreg") {
    d.error(inst.loc, `${spec.name}: system registers are addressed by encoding (op0, op1, CRn, CRm, op2), which a base cannot offset; "instance" is for registers with MMIO offsets or numeric indices`);
    return;
  }
  if (spec.kind === "device") {
    const lines = spec.interrupts.map((i) => i.name);
    for (const i of inst.interrupts) {
      if (!lines.includes(i.line)) d.error(i.loc, `instance of ${spec.name} wires line "${i.line}", which the device does not have${didYouMean(i.line, lines)}${lines.length ? "" : " (it has no interrupt lines)"}`);
    }
  }
  const ends = spec.registers.map((r) => r.address + (r.array ? (r.array.stride * BigInt(r.array.count - 1)) : 0n));
  const last = inst.base + (spec.kind === "device" ? spec.block.size - 1n : ends.reduce((a, b) => (a > b ? a : b), 0n));
  if (last > U64_MAX) d.error(inst.loc, `instance of ${spec.name} at ${hex(inst.base)} ends at ${hex(last)}, beyond 64 bits`);
  else if (last > SAFE) d.error(inst.loc, `instance of ${spec.name} at ${hex(inst.base)} reaches ${hex(last)}, beyond 2^53 - 1: the generated TypeScript gives addresses as exact numbers`);
}
