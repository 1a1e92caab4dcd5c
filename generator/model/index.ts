import type { RegistersSpec } from "./registers.ts";

export type * from "./common.ts";
export type * from "./registers.ts";
export type * from "./expr.ts";

/** The one contract between front and back ends: pure data, no JSON, no TypeScript. */
export type Spec = RegistersSpec;

export interface Model {
  /** Sorted by namespace. */
  specs: Spec[];
}
