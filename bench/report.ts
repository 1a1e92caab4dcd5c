/** The printed table, bench/results.json and the generated section of BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, platform, release } from "node:os";
import type { Row } from "./harness.ts";

export const START = "<!-- bench:results:start (written by npm run bench; edits inside are overwritten) -->";
export const END = "<!-- bench:results:end -->";

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  command: string;
  date: string;
  mode: string;
}

export function machine(mode: string, argv: string[]): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? "unknown",
    cores: c.length,
    node: process.version,
    os: `${platform()} ${release()}`,
    command: ["npm run bench", ...(argv.length ? ["--", ...argv] : [])].join(" "),
    date: new Date().toISOString(),
    mode,
  };
}

export function table(rows: Row[]): string {
  const head = ["section", "benchmark", "result", "compared with"];
  const body = rows.map((r) => [r.section, r.name, r.value, r.note ?? ""]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(w[i]!)).join("  ").trimEnd();
  return [line(head), w.map((n) => "-".repeat(n)).join("  "), ...body.map(line)].join("\n");
}

function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return [
    "| section | benchmark | result | compared with |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${esc(r.section)} | ${esc(r.name)} | ${esc(r.value)} | ${esc(r.note ?? "")} |`),
  ].join("\n");
}

export function markdownSection(m: Machine, rows: Row[], targets: string[], earlier: string[] = []): string {
  return [
    START,
    "",
    `Last run: ${m.date} — \`${m.command}\` (${m.mode} mode)`,
    "",
    ...earlier.flatMap((l) => [l, ""]),
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.os}, Node ${m.node}`,
    "",
    "Targets:",
    "",
    ...targets.map((t) => `- ${t}`),
    "",
    markdownTable(rows),
    "",
    "Ratios are this project's time divided by the alternative's, measured in the same run (< 1 is faster).",
    "",
    END,
  ].join("\n");
}

/** Replaces only the text between the markers, creating the file or the section if needed. */
export function writeBenchmarksMd(path: string, section: string): void {
  const intro = "# Benchmarks\n\nRun `npm run bench` (or `npm run bench -- --quick`, under a minute). Everything between the markers below is rewritten by each run; notes outside them are kept.\n\n";
  const text = existsSync(path) ? readFileSync(path, "utf8") : intro;
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  const out = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + END.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, out);
}

/** Says which kept rows come from which earlier run; previousRun reads it back. */
export const keptNote = (sections: string[], origin: string) => `Rows of ${sections.join(", ")} are from an earlier run: ${origin}`;
const KEPT = /^Rows of (.+) are from an earlier run: (.+)$/;

/**
 * What an earlier run wrote into the section of `path`: its rows, and for each row's section the
 * run that measured it (its "Last run" and "Machine" lines, or the note a partial run left).
 */
export function previousRun(path: string): { rows: Row[]; origin: Map<string, string> } | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return undefined;
  const lines = text.slice(a, b).split("\n");
  const field = (prefix: string) => lines.find((l) => l.startsWith(prefix))?.slice(prefix.length) ?? "unknown";
  const own = `${field("Last run: ")}, on ${field("Machine: ")}`;
  const origin = new Map<string, string>();
  for (const line of lines) {
    const m = KEPT.exec(line);
    if (m) for (const s of m[1]!.split(", ")) origin.set(s, m[2]!);
  }
  const rows: Row[] = [];
  for (const line of lines) {
    if (!line.startsWith("| ") || line.startsWith("| section |")) continue;
    const cells = line.slice(2, -2).split(/ \| /).map((c) => c.replace(/\\\|/g, "|"));
    const [section, name, value, note] = cells;
    if (!section || !name || value === undefined) continue;
    rows.push({ section, name, value, ...(note ? { note } : {}) });
    if (!origin.has(section)) origin.set(section, own);
  }
  return { rows, origin };
}
