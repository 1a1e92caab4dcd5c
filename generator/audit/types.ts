/** What audit finds in a C header and how it compares with the spec. */
/** A member the scanner found: its dotted name (as the spec would say it) and the C access path. */
export interface ScannedMember {
  path: string;
  access: string;
}

export interface Position {
  lsb: number;
  width: number;
}

export interface Finding {
  kind: "missing" | "extra" | "moved" | "resized" | "renamed" | "scattered" | "address";
  path: string;
  spec?: Position;
  header?: Position & { path: string };
  /** For `address`: the array element, and its address in the spec and as the header's macro computes it. */
  element?: number;
  address?: { spec: string; header: string };
  message: string;
}

/** An address macro to evaluate: function-like ones at every listed argument, object-like ones once. */
export interface AddressProbe {
  macro: string;
  /** Arguments for a function-like macro; undefined for an object-like one. */
  args?: number[];
}
