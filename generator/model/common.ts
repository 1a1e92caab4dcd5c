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
