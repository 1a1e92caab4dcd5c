import type { ElabRegistersSpec } from "../../elaborate/model.ts";
import type { RegistersSpec } from "../../model/index.ts";
import type { KindPlugin } from "../plugin.ts";
import { checkRegisters } from "./check/index.ts";
import { diffRegisters } from "./diff.ts";
import { registersPage } from "./docs.ts";
import { resolveRegistersSpec } from "./resolve.ts";

/** MSR and MMIO register layouts: layouts, registers, groups with availability rules, size facts. */
export const registersKind: KindPlugin<RegistersSpec, ElabRegistersSpec> = {
  kind: "registers",
  schema: "registers.schema.json",
  reaches: ["TypeScript", "C"],
  resolve: resolveRegistersSpec,
  shapes: (s) => [...s.layouts, ...s.registers],
  elaborate: (s, ctx) => ({ ...s, layouts: s.layouts.map((l) => ctx.shape(l)), registers: s.registers.map((r) => ctx.shape(r)) }),
  check: checkRegisters,
  diff: diffRegisters,
  docsPage: registersPage,
};
