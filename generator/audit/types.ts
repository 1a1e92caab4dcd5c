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
  kind: "missing" | "extra" | "moved" | "resized" | "renamed" | "scattered";
  path: string;
  spec?: Position;
  header?: Position & { path: string };
  message: string;
}
