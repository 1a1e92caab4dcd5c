import type { Loc } from "../diagnostics.ts";

/** Every model object remembers where it came from so later stages can point at the input. */
export interface Located {
  loc: Loc;
}

export interface SpecBase extends Located {
  kind: string;
  /** Dotted namespace, e.g. "x86.vmx". */
  name: string;
  doc: string;
  source?: string;
  /** Path relative to the specs root, e.g. "x86/vmx-msrs.json"; decides output file names. */
  rel: string;
  /** Namespace of the spec this one is an overlay of. */
  extends?: string;
}

/** The interrupt number one output line of a device instance is wired to. */
export interface InstanceInterrupt extends Located {
  /** The device's line (`interrupts` of the spec). */
  line: string;
  number: bigint;
  doc: string;
}

/**
 * Where one copy of a register block or device sits (`instance`): its base in the spec's index
 * space and, for a device, the interrupt number of each line. Usually set by an overlay that
 * changes nothing else, so the copy reuses its base spec's generated code.
 */
export interface Instance extends Located {
  base: bigint;
  interrupts: InstanceInterrupt[];
  doc: string;
}
