/**
 * 7. `hwspec import svd` at scale: a synthetic CMSIS-SVD of N registers × 16 fields (one
 * peripheral per 100 registers, every field with an access word and every fourth with an
 * enumeratedValues set), imported in process: XML read, SVD model, spec writing, and the full
 * front end the import runs before it writes. Target: 5,000 registers × 16 fields in ≤ 2 s
 * (`target_ratio` = seconds / 2 ≤ 1); `growth_10x` (time at N over time at N/10) shows whether
 * the cost stays linear.
 */
import { importSvd } from "../generator/import/svd/index.ts";
import { verifyImported } from "../generator/import/output.ts";
import { ImportReport } from "../generator/import/report.ts";
import { median, round, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

export interface SvdResults {
  registers: number[];
  fields_per_register: number;
  bytes: number[];
  seconds: number[];
  /** Of `seconds`: XML read, SVD model and spec writing. */
  read_seconds: number[];
  /** Of `seconds`: validate, resolve, elaborate and check of the written specs. */
  check_seconds: number[];
  /** CPU seconds of `seconds` (process.cpuUsage: every thread), steadier than wall time on a shared machine. */
  cpu_seconds: number[];
  /** The largest size again with derivedFrom on three of every four enumeratedValues (synthSvd `derived`). */
  derived: { registers: number; seconds: number; cpu_seconds: number };
  /** seconds of the largest size over the target (2 s for 5,000 registers). */
  target_ratio: number;
  growth_10x: number;
}

const ACCESS = ["read-write", "read-only", "write-only"];
const WRITES = ["oneToClear", "oneToSet", "modify"];

/**
 * A synthetic SVD: `n` 32-bit registers of 16 two-bit fields each. With `derived`, every fourth
 * field's enumeratedValues after the first of its register is `derivedFrom` the first one, named
 * per register: the lookups that real SVDs make by the thousand.
 */
export function synthSvd(n: number, derived = false): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>', '<device schemaVersion="1.3">', "  <name>BENCH</name>", "  <size>32</size>", "  <resetValue>0</resetValue>", "  <resetMask>0xFFFFFFFF</resetMask>", "  <peripherals>"];
  for (let p = 0; p * 100 < n; p++) {
    const count = Math.min(100, n - p * 100);
    out.push("    <peripheral>", `      <name>P${p}</name>`, `      <baseAddress>0x${(0x40000000 + p * 0x1000).toString(16)}</baseAddress>`, "      <addressBlock><offset>0</offset><size>0x1000</size><usage>registers</usage></addressBlock>", "      <registers>");
    for (let r = 0; r < count; r++) {
      out.push("        <register>", `          <name>R${r}</name>`, `          <description>Register ${r} of peripheral ${p}</description>`, `          <addressOffset>0x${(r * 4).toString(16)}</addressOffset>`, "          <fields>");
      for (let f = 0; f < 16; f++) {
        out.push(`            <field><name>F${f}</name><description>Field ${f}</description><bitOffset>${f * 2}</bitOffset><bitWidth>2</bitWidth><access>${ACCESS[f % 3]}</access>`);
        if (f % 3 === 0) out.push(`              <modifiedWriteValues>${WRITES[f % 2]}</modifiedWriteValues>`);
        if (f % 4 === 0 && derived && f > 0) out.push(`              <enumeratedValues derivedFrom="P${p}_R${r}_MODE"/>`);
        else if (f % 4 === 0) out.push(`              <enumeratedValues>${derived ? `<name>P${p}_R${r}_MODE</name>` : ""}<enumeratedValue><name>OFF</name><value>0</value></enumeratedValue><enumeratedValue><name>ON</name><value>1</value></enumeratedValue></enumeratedValues>`);
        out.push("            </field>");
      }
      out.push("          </fields>", "        </register>");
    }
    out.push("      </registers>", "    </peripheral>");
  }
  out.push("  </peripherals>", "</device>", "");
  return out.join("\n");
}

/** Seconds of the import proper (XML → specs) and of the front-end check it runs before writing. */
function importOnce(text: string): { read: number; check: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = importSvd(text, "bench.svd");
  const t1 = performance.now();
  const report = new ImportReport();
  verifyImported(r.files, "specs/bench/", report);
  const t2 = performance.now();
  const c = process.cpuUsage(c0);
  if (r.report.errors.length || report.errors.length) throw new Error(`synthetic SVD did not import: ${[...r.report.errors, ...report.errors][0]!.message}`);
  return { read: (t1 - t0) / 1000, check: (t2 - t1) / 1000, cpu: (c.user + c.system) / 1e6 };
}

export async function runSvd(cfg: BenchConfig): Promise<SectionResult<SvdResults>> {
  const top = cfg.mode === "full" ? 5000 : cfg.mode === "quick" ? 1000 : 50;
  const sizes = [top / 10, top];
  const rounds = cfg.mode === "full" ? 5 : cfg.mode === "quick" ? 3 : 1;
  const texts = sizes.map((n) => synthSvd(n));
  importOnce(texts[0]!); // warm-up: module loading and JIT are not the import's cost
  const runs = texts.map((t) => Array.from({ length: rounds }, () => importOnce(t)));
  const read_seconds = runs.map((r) => round(median(r.map((x) => x.read))));
  const check_seconds = runs.map((r) => round(median(r.map((x) => x.check))));
  const seconds = runs.map((r) => round(median(r.map((x) => x.read + x.check))));
  const cpu_seconds = runs.map((r) => round(median(r.map((x) => x.cpu))));
  const derivedText = synthSvd(top, true);
  const derivedRuns = Array.from({ length: rounds }, () => importOnce(derivedText));
  const derived = { registers: top, seconds: round(median(derivedRuns.map((x) => x.read + x.check))), cpu_seconds: round(median(derivedRuns.map((x) => x.cpu))) };
  const target_ratio = round(seconds[1]! / (2 * (top / 5000)));
  const growth_10x = round(seconds[1]! / seconds[0]!);
  const rows: Row[] = [
    ...sizes.map((n, i): Row => ({ section: "svd", name: `import ${n} registers × 16 fields`, value: `${seconds[i]} s`, note: `${(texts[i]!.length / 1e6).toFixed(1)} MB of SVD: read + write ${read_seconds[i]} s, full check ${check_seconds[i]} s; CPU ${cpu_seconds[i]} s` })),
    { section: "svd", name: `import ${top} registers × 16 fields, enumeratedValues derivedFrom`, value: `${derived.seconds} s`, note: `3 of every 4 enumeratedValues derived by name; CPU ${derived.cpu_seconds} s` },
    { section: "svd", name: "target ratio (s / 2 s per 5,000 registers)", value: String(target_ratio), note: "≤ 1" },
    { section: "svd", name: "growth for 10× input", value: String(growth_10x), note: "≈ 10 when linear" },
  ];
  return { results: { registers: sizes, fields_per_register: 16, bytes: texts.map((t) => t.length), seconds, read_seconds, check_seconds, cpu_seconds, derived, target_ratio, growth_10x }, rows };
}
