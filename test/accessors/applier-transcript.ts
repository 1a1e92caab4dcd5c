/**
 * A transcript of `with`, `patch` and `encode` over shipped layouts: values as hex, failures as
 * their error class and message. The no-eval test compares the transcript of a process that may
 * compile code at run time with one that may not, so both paths of the support module must give
 * the same values and the same typed errors. Run directly, it prints the transcript as JSON.
 */
import { pathToFileURL } from "node:url";
import { LCR_H } from "../../generated/ts/arm/pl011.ts";
import { cr0_bits, cr4_bits } from "../../generated/ts/x86/control-registers.ts";
import { l1e } from "../../generated/ts/x86/pagetable.ts";
import { IA32_VMX_BASIC, IA32_VMX_PROCBASED_CTLS, vmx_pin_based_exec_control_bits } from "../../generated/ts/x86/vmx-msrs.ts";

interface Shape {
  name: string;
  format(v: unknown): string;
  parse(text: string): unknown;
  with(v: unknown, p: unknown): unknown;
  patch(v: unknown, p: unknown): unknown;
  encode(p: unknown): unknown;
}

type Call = [shape: Shape, op: "with" | "patch" | "encode", start: string, fields: unknown];

const s = (x: unknown) => x as Shape;
const inherited = Object.create({ pg: true }) as object;
const undefinedValued = { pg: true, wp: undefined };

const CALLS: Call[] = [
  [s(cr0_bits), "with", "0x0", { pg: true, wp: true }],
  [s(cr0_bits), "with", "0xffffffff", { pe: false }],
  [s(cr0_bits), "with", "0x0", {}],
  [s(cr0_bits), "with", "0x0", undefinedValued],
  [s(cr0_bits), "with", "0x0", inherited],
  [s(cr0_bits), "with", "0x0", { pg: true, bogus: 1 }],
  [s(cr0_bits), "with", "0x0", { pg: 1 }],
  [s(cr0_bits), "with", "0x0", null],
  [s(cr0_bits), "with", "0x0", 7],
  [s(cr0_bits), "encode", "0x0", { pe: true, pg: true }],
  [s(cr4_bits), "with", "0x0", { vmxe: 1 }],
  [s(cr4_bits), "patch", "0x0", { vmxe: true, smep: true }],
  [s(l1e), "with", "0x0", { present: true, frame: { lo: 0x12345, hi: 0x7f } }],
  [s(l1e), "with", "0x8000000000000001", { frame: { lo: 0xffffffff, hi: 0xff } }],
  [s(l1e), "with", "0x0", { frame: { lo: 0, hi: 0x100 } }],
  [s(l1e), "with", "0x0", { frame: 5 }],
  [s(l1e), "patch", "0x0", { nx: true, frame: { lo: 1, hi: 0 } }],
  [s(vmx_pin_based_exec_control_bits), "with", "0x0", { preempt_timer: true, nmi_exiting: true }],
  [s(vmx_pin_based_exec_control_bits), "patch", "0xffffffff", { preempt_timer: false }],
  [s(LCR_H), "with", "0x0", { WLEN: "BITS8", FEN: true }],
  [s(LCR_H), "with", "0x0", { WLEN: "bits8" }],
  [s(LCR_H), "with", "0x0", { WLEN: 4 }],
  [s(LCR_H), "encode", "0x0", { WLEN: 2 }],
  [s(IA32_VMX_BASIC), "encode", "0x0", { vmcs_region_size: 0x1000, memory_type: 6 }],
  [s(IA32_VMX_BASIC), "encode", "0x0", { vmcs_region_size: 0x2000 }],
  [s(IA32_VMX_BASIC), "encode", "0x0", { bogus: 1 }],
  [s(IA32_VMX_BASIC), "with", "0x0", { memory_type: 6 }],
  [s(IA32_VMX_PROCBASED_CTLS), "encode", "0x0", { allowed_1: { activate_secondary_controls: true, hlt_exiting: true } }],
  [s(IA32_VMX_PROCBASED_CTLS), "patch", "0x0", { allowed_0: 0x1234, allowed_1: { hlt_exiting: true } }],
  [s(IA32_VMX_PROCBASED_CTLS), "patch", "0x0", { allowed_1: { hlt_exiting: 3 } }],
  [s(IA32_VMX_PROCBASED_CTLS), "with", "0x0", { allowed_1: 1 }],
];

export function transcript(): string[] {
  return CALLS.map(([shape, op, start, fields]) => {
    const what = `${shape.name}.${op}(${start}, ${JSON.stringify(fields) ?? String(fields)})`;
    try {
      const v = op === "encode" ? shape.encode(fields) : shape[op](shape.parse(start), fields);
      return `${what} = ${shape.format(v)}`;
    } catch (e) {
      return `${what} throws ${(e as Error).name}: ${(e as Error).message}`;
    }
  });
}

/** Whether this process may compile code from strings (what a CSP without 'unsafe-eval' refuses). */
export function evalAllowed(): boolean {
  try {
    return new Function("return true")() === true;
  } catch {
    return false;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(JSON.stringify({ evalAllowed: evalAllowed(), transcript: transcript() }));
}
