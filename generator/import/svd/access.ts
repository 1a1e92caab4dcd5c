import type { Loc } from "../../diagnostics.ts";
import type { At } from "./model.ts";

/** hwspec's access vocabulary (specs/schema/device.schema.json `Access`). */
export type HwAccess = "rw" | "ro" | "wo" | "w1c" | "w1s" | "w0c" | "w0s" | "w1t" | "wc" | "ws" | "rc" | "rs" | "write-once";

/** modifiedWriteValues → the word for that write effect; `modify` (the default) and zeroToToggle have none. */
export const WRITE_EFFECT: Record<string, HwAccess | undefined> = {
  oneToClear: "w1c",
  oneToSet: "w1s",
  zeroToClear: "w0c",
  zeroToSet: "w0s",
  oneToToggle: "w1t",
  clear: "wc",
  set: "ws",
  zeroToToggle: undefined,
  modify: undefined,
};

/** readAction → the word for that read effect; `modify` and `modifyExternal` have none. */
export const READ_EFFECT: Record<string, HwAccess | undefined> = { clear: "rc", set: "rs", modify: undefined, modifyExternal: undefined };

/** access → the word with no side effect. */
export const PLAIN_ACCESS: Record<string, HwAccess> = {
  "read-write": "rw",
  "read-only": "ro",
  "write-only": "wo",
  "read-writeOnce": "write-once",
  writeOnce: "write-once",
};

export interface AccessInput {
  access?: At<string>;
  modifiedWriteValues?: At<string>;
  readAction?: At<string>;
}

/**
 * One hwspec access word for SVD's three separate properties (docs/importers.md has the table).
 * Where SVD says more than one word can hold (a write effect and a read effect, a write effect on
 * a read-only field, zeroToToggle), the nearest word is chosen and each lost part is a warning
 * at the element that says it.
 */
export function mapAccess(p: AccessInput, what: string): { access: HwAccess; warnings: { loc: Loc; message: string }[] } {
  const warnings: { loc: Loc; message: string }[] = [];
  const a = p.access?.value ?? "read-write";
  const plain = PLAIN_ACCESS[a] ?? "rw";
  if (a === "writeOnce" && p.access) warnings.push({ loc: p.access.loc, message: `${what}: access writeOnce (write-only, first write only) is imported as write-once, whose reads return the stored value instead of being undefined` });
  const mwv = p.modifiedWriteValues;
  const ra = p.readAction;
  const write = mwv ? WRITE_EFFECT[mwv.value] : undefined;
  const read = ra ? READ_EFFECT[ra.value] : undefined;
  if (mwv?.value === "zeroToToggle") warnings.push({ loc: mwv.loc, message: `${what}: modifiedWriteValues zeroToToggle has no word in hwspec's access vocabulary; imported as ${plain}` });
  if (ra && !read) warnings.push({ loc: ra.loc, message: `${what}: readAction ${ra.value} (a read changes the field in a way SVD does not say) has no word in hwspec's access vocabulary; reads are imported without side effects` });
  if (write) {
    if (plain === "ro") {
      warnings.push({ loc: mwv!.loc, message: `${what}: modifiedWriteValues ${mwv!.value} on a read-only field is contradictory; imported as ro` });
      return { access: read ?? "ro", warnings };
    }
    if (read) warnings.push({ loc: ra!.loc, message: `${what}: readAction ${ra!.value} together with modifiedWriteValues ${mwv!.value} needs two words; imported as ${write}, the read side effect is lost` });
    if (plain === "wo") warnings.push({ loc: mwv!.loc, message: `${what}: write-only with modifiedWriteValues ${mwv!.value} is imported as ${write}, whose reads return the stored value` });
    if (plain === "write-once") warnings.push({ loc: mwv!.loc, message: `${what}: ${a} with modifiedWriteValues ${mwv!.value} is imported as ${write}; the write-once limit is lost` });
    return { access: write, warnings };
  }
  if (read) {
    if (plain !== "ro") warnings.push({ loc: ra!.loc, message: `${what}: readAction ${ra!.value} on a ${a} field is imported as ${read}, which ignores writes` });
    return { access: read, warnings };
  }
  return { access: plain, warnings };
}
