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

export function markdownSection(m: Machine, rows: Row[], targets: string[], earlier?: string): string {
  return [
    START,
    "",
    `Last run: ${m.date} — \`${m.command}\` (${m.mode} mode)`,
    "",
    ...(earlier ? [earlier, ""] : []),
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

/** The rows and the "Last run" line of the section an earlier run wrote into `path`. */
export function previousRun(path: string): { lastRun: string; rows: Row[] } | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, "utf8");
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return undefined;
  const lines = text.slice(a, b).split("\n");
  const lastRun = lines.find((l) => l.startsWith("Last run: "))?.slice("Last run: ".length) ?? "unknown";
  const rows: Row[] = [];
  for (const line of lines) {
    if (!line.startsWith("| ") || line.startsWith("| section |")) continue;
    const cells = line.slice(2, -2).split(/ \| /).map((c) => c.replace(/\\\|/g, "|"));
    const [section, name, value, note] = cells;
    if (section && name && value !== undefined) rows.push({ section, name, value, ...(note ? { note } : {}) });
  }
  return { lastRun, rows };
}
