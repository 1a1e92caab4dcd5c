import type { Loc } from "../diagnostics.ts";
import type { ExprLike } from "./expr.ts";
import type { Instance, Located, SpecBase } from "./common.ts";
import type { Layout, Register } from "./registers.ts";

/** Bus access widths in bits. */
export type AccessWidth = 8 | 16 | 32 | 64;

/** What a write does to device state: `store` merges the written bits by each field's access; `ignore` drops them. */
export type WriteSemantics = { kind: "store" } | { kind: "ignore" };

/** How a read gets its value. */
export type ReadSemantics =
  | { kind: "store" }
  | { kind: "value"; expr: ExprLike }
  | { kind: "hook"; hook: string; loc: Loc }
  /** Write-only register, or `"read": "fault"`: reads fail. */
  | { kind: "fault" };

/** What an access to an offset no register covers does. */
export type UnmappedPolicy = "fault" | "raz-wi";

export interface UnmappedRange extends Located {
  first: bigint;
  /** Inclusive. */
  last: bigint;
  policy: UnmappedPolicy;
  doc: string;
}

export interface Hook extends Located {
  name: string;
  on: "read" | "write";
  doc: string;
}

export interface Interrupt extends Located {
  name: string;
  expr: ExprLike;
  doc: string;
}

export interface Constant extends Located {
  name: string;
  value: bigint;
  doc: string;
}

/**
 * A register of a device block. It is a `Register` (space `mmio`, address = offset) so every
 * consumer of registers — `layout`, `decode`, field accessors — works on it unchanged.
 */
export interface DeviceRegister extends Register {
  space: "mmio";
  /** The byte offset in the block; the same number as `address`, kept under the device's own word. */
  offset: bigint;
  /** Bus access widths this register accepts (a subset of the block's). */
  accessWidths: AccessWidth[];
  /** Where the register's access widths are written (the register itself when inherited from the block). */
  accessWidthsLoc: Loc;
  aliases: string[];
  /** Qualified name of the layout its fields came from, when shared. */
  sharedLayout?: string;
  read: ReadSemantics;
  write: WriteSemantics;
  /** Hook called with the written value after `write`. */
  onWrite?: { hook: string; loc: Loc };
  /** The register whose storage this one reads and writes (`alias_of`). */
  aliasOf?: { name: string; loc: Loc };
  /** How accesses narrower than the register address it. */
  narrow: "low" | "lanes";
  /** `store`: reserved bits are kept as written instead of following their policy. */
  reservedWrites: "policy" | "store";
  /** True when the register keeps a value of its own in device state (never for an alias). */
  stored: boolean;
}

export interface DeviceBlock extends Located {
  size: bigint;
  accessWidths: AccessWidth[];
  doc: string;
  /** Policy of offsets no register or range covers. */
  unmapped: UnmappedPolicy;
  /** Sorted by first offset. */
  unmappedRanges: UnmappedRange[];
}

export interface DeviceSpec extends SpecBase {
  kind: "device";
  block: DeviceBlock;
  layouts: Layout[];
  /** In offset order. */
  registers: DeviceRegister[];
  hooks: Hook[];
  interrupts: Interrupt[];
  constants: Constant[];
  /** Where this copy of the block sits on a platform, when the spec says. */
  instance?: Instance;
}
