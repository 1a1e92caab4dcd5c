/** Why hwspec will not write an output folder; the commands turn it into exit 2. */
export type RefusalReason =
  /** The folder is, lies inside, or contains the spec folder or the project root. */
  | "placement"
  /** The folder holds files hwspec did not write and has no manifest (needs --force). */
  | "foreign"
  /** A file hwspec would write already exists and hwspec did not write it (even with --force). */
  | "collision"
  /** hwspec's own bookkeeping in the folder is not what hwspec writes. */
  | "bookkeeping";

export class OutputRefused extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
    /** The paths the refusal is about, relative to the output folder where it applies. */
    readonly paths: string[] = [],
  ) {
    super(message);
    this.name = "OutputRefused";
  }
}
