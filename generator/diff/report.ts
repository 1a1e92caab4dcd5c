import type { DiffResult } from "./index.ts";
import type { Change } from "./types.ts";

/** Stable JSON: keys in a fixed order, changes already sorted by diffModels. */
export function diffJson(oldLabel: string, newLabel: string, r: DiffResult) {
  return {
    old: oldLabel,
    new: newLabel,
    breaking: r.breaking,
    compatible: r.compatible,
    changes: r.changes.map((c) => ({
      spec: c.spec,
      subject: c.subject,
      path: c.path,
      change: c.change,
      severity: c.severity,
      reason: c.reason,
      ...(c.old !== undefined ? { old: c.old } : {}),
      ...(c.new !== undefined ? { new: c.new } : {}),
    })),
  };
}

export type Paint = (code: "red" | "green" | "yellow" | "dim" | "bold", text: string) => string;

/** The human report: one block per spec, one line per change plus its reason. */
export function diffText(oldLabel: string, newLabel: string, r: DiffResult, paint: Paint): string[] {
  const lines: string[] = [];
  const n = r.changes.length;
  lines.push(
    `${paint("bold", `${oldLabel} → ${newLabel}`)}: ${n === 0 ? "no changes" : `${n} change${n === 1 ? "" : "s"} (${r.breaking} breaking, ${r.compatible} compatible)`}`,
  );
  let spec = "";
  for (const c of r.changes) {
    if (c.spec !== spec) {
      spec = c.spec;
      lines.push("", paint("bold", spec));
    }
    const tag = c.severity === "breaking" ? paint("red", "breaking  ") : paint("green", "compatible");
    lines.push(`  ${tag} ${describe(c)}`);
    lines.push(`             ${paint("dim", c.reason)}`);
  }
  return lines;
}

function describe(c: Change): string {
  const what = c.path ? `${c.subject} ${c.path}` : c.subject;
  const values = c.old !== undefined && c.new !== undefined ? `: ${c.old} → ${c.new}` : c.old !== undefined ? ` (was ${c.old})` : c.new !== undefined ? ` (${c.new})` : "";
  return `${what} ${c.change}${values}`;
}
