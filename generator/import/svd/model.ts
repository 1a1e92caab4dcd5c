import type { Loc } from "../../diagnostics.ts";

/** A value read from the SVD with where it is written. */
export interface At<T> {
  value: T;
  loc: Loc;
}

/** SVD's registerPropertiesGroup: inherited device → peripheral → cluster → register. */
export interface SvdProps {
  size?: At<number>;
  access?: At<string>;
  protection?: At<string>;
  resetValue?: At<bigint>;
  resetMask?: At<bigint>;
}

/** dimElementGroup: `dim` copies `dimIncrement` bytes apart, named by `dimIndex` (default 0..dim-1). */
export interface SvdDim {
  dim: number;
  increment: bigint;
  /** The substitutions of `%s`, in order; `explicit` when dimIndex was written. */
  index: string[];
  explicit: boolean;
  loc: Loc;
}

export interface SvdEnumValue {
  name: string;
  doc: string;
  /** Every value the entry stands for (`#1x` stands for two); empty for isDefault. */
  values: bigint[];
  isDefault: boolean;
  loc: Loc;
}

export interface SvdEnumSet {
  name?: string;
  usage: At<"read" | "write" | "read-write">;
  values: SvdEnumValue[];
  loc: Loc;
  derivedFrom?: At<string>;
}

export interface SvdField {
  name: string;
  loc: Loc;
  doc: string;
  lsb: number;
  width: number;
  bitsLoc: Loc;
  access?: At<string>;
  modifiedWriteValues?: At<string>;
  readAction?: At<string>;
  writeConstraint?: Loc;
  enums: SvdEnumSet[];
  dim?: SvdDim;
}

export interface SvdRegister {
  type: "register";
  name: string;
  loc: Loc;
  doc: string;
  offset: bigint;
  offsetLoc: Loc;
  /** Own properties merged over the inherited ones. */
  props: SvdProps;
  modifiedWriteValues?: At<string>;
  readAction?: At<string>;
  writeConstraint?: Loc;
  alternateRegister?: At<string>;
  alternateGroup?: At<string>;
  fields: SvdField[];
  dim?: SvdDim;
}

export interface SvdCluster {
  type: "cluster";
  name: string;
  loc: Loc;
  doc: string;
  offset: bigint;
  offsetLoc: Loc;
  props: SvdProps;
  items: (SvdRegister | SvdCluster)[];
  dim?: SvdDim;
}

export interface SvdAddressBlock {
  offset: bigint;
  size: bigint;
  usage: string;
  loc: Loc;
}

export interface SvdInterrupt {
  name: string;
  doc: string;
  value: bigint;
  loc: Loc;
}

export interface SvdPeripheral {
  name: string;
  loc: Loc;
  doc: string;
  baseAddress: bigint;
  props: SvdProps;
  addressBlocks: SvdAddressBlock[];
  interrupts: SvdInterrupt[];
  items: (SvdRegister | SvdCluster)[];
  derivedFrom?: At<string>;
}

export interface SvdDevice {
  name: string;
  loc: Loc;
  doc: string;
  vendor?: string;
  version?: string;
  props: SvdProps;
  peripherals: SvdPeripheral[];
}
