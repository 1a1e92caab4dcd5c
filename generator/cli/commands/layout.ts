import type { ElabRegister } from "../../elaborate/model.ts";
import { accessText } from "../../inspect/access.ts";
import { fieldEntries } from "../../inspect/decode.ts";
import { deviceJson, deviceText, foundName, whereJson, whereText } from "../../inspect/facts.ts";
import { findShape } from "../../inspect/names.ts";
import { hex } from "../../resolve/values.ts";
import { EXIT, usageError, json, paint, type Io } from "../output.ts";
import { loadProject, type ProjectOptions } from "../project.ts";
import { formatBitsColumn } from "./table.ts";

export function layoutCommand(name: string, opts: ProjectOptions & { json?: boolean }, io: Io): number {
  const front = loadProject(opts, io);
  if (typeof front === "number") return front;
  const found = findShape(name, front.lookup);
  if ("error" in found) {
    return usageError(io, opts.json, `hwspec layout: ${found.error}`);
  }
  const s = found.shape;
  const fields = fieldEntries(s);
  const reg = s.role === "register" ? (s as ElabRegister) : undefined;
  const device = deviceJson(s);
  const result = {
    name: s.qname,
    width: s.width,
    ...whereJson(found),
    ...(reg?.reset !== undefined ? { reset: hex(reg.reset, s.width) } : {}),
    ...(reg ? { access: reg.access } : {}),
    ...(device ? { device } : {}),
    ...(s.doc ? { doc: s.doc } : {}),
    fields,
    reserved: s.reserved.map((r) => ({ lsb: r.lsb, width: r.width, policy: r.policy })),
  };
  if (opts.json) {
    io.out(json(result));
    return EXIT.ok;
  }
  const where = whereText(found);
  // The register's access is only its fields' default, and every field line shows its own.
  const head = [where.at, result.reset && `reset ${result.reset}`].filter(Boolean).join(", ");
  io.out(`${paint(io, "bold", foundName(found))}  ${s.width} bits${head ? `, ${head}` : ""}`);
  if (where.array) io.out(where.array);
  const behaviour = deviceText(s);
  if (behaviour) io.out(behaviour);
  if (s.doc) io.out(paint(io, "dim", s.doc));
  for (const f of fields) {
    const indent = "  ".repeat(f.path.split(".").length);
    io.out(`${formatBitsColumn(f.lsb, f.width)}${indent}${f.path.split(".").pop()}  ${accessText(f.access)}${f.layout ? `  (${f.layout})` : ""}${f.enum ? `  {${Object.entries(f.enum).map(([k, v]) => `${k}=${v}`).join(", ")}}` : ""}`);
  }
  for (const r of s.reserved) io.out(`${formatBitsColumn(r.lsb, r.width)}  ${paint(io, "dim", `reserved (${r.policy})`)}`);
  return EXIT.ok;
}
