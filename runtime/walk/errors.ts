import { HwspecError } from "../../generated/ts/support.ts";

/** A walk asked for something the descriptor cannot translate: the call is wrong, not the tables. */
export class WalkArgumentError extends HwspecError {
  override name = "WalkArgumentError";
  /** Which argument: `va`, `root` or `read` (a value the memory callback returned). */
  readonly argument: "va" | "root" | "read";
  constructor(argument: "va" | "root" | "read", message: string) {
    super(message);
    this.argument = argument;
  }
}
