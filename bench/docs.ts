/**
 * Docs at scale (issue 17 part 4): `hwspec docs` over synthetic trees of 1,000 and 10,000
 * registers × 16 fields, as files of 100 and as one file, each size in a fresh child process.
 * Reports the build time apart from the front end (wall and CPU, the machine is shared) and the
 * sizes a browser meets: the script every spec page loads (loader + its modules), the search index
 * only the index page loads, the index page, and the largest spec page.
 */
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { round, type BenchConfig, type Row, type SectionResult } from "./harness.ts";
import { FIELDS, PER_FILE, writeSynthTree } from "./synth.ts";

const HERE = dirname(fileURLToPath(import.meta.url));

interface DocsRun {
  front_seconds: number;
  docs_seconds: number;
  docs_cpu_seconds: number;
  files: number;
  total_bytes: number;
  index_bytes: number;
  search_bytes: number;
  largest_page_bytes: number;
  /** Loader plus the largest set of module scripts one spec page loads. */
  largest_page_script_bytes: number;
  pages: number;
}

async function docsOnce(specs: string): Promise<DocsRun> {
  const { Diagnostics } = await import("../generator/diagnostics.ts");
  const { loadTree } = await import("../generator/load/tree.ts");
  const { runFront } = await import("../generator/pipeline.ts");
  const { buildDocs } = await import("../generator/docs/site.ts");
  const t0 = performance.now();
  const d = new Diagnostics();
  const r = runFront(loadTree(specs, d), d);
  if (!r.ok) throw new Error(`synthetic spec rejected: ${r.diagnostics[0]?.message}`);
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const files = await buildDocs(r.front, "html");
  const used = process.cpuUsage(cpu);
  const t2 = performance.now();
  const size = new Map(files.map((f) => [f.path, Buffer.byteLength(f.content)]));
  const pages = files.filter((f) => f.path.startsWith("specs/") && f.path.endsWith(".html"));
  const scripts = pages.map((p) => [...p.content.matchAll(/<script src="\.\.\/([^"]+)"/g)].reduce((n, m) => n + (size.get(m[1]!) ?? 0), 0));
  return {
    front_seconds: (t1 - t0) / 1000,
    docs_seconds: (t2 - t1) / 1000,
    docs_cpu_seconds: (used.user + used.system) / 1e6,
    files: files.length,
    total_bytes: [...size.values()].reduce((a, b) => a + b, 0),
    index_bytes: size.get("index.html") ?? 0,
    search_bytes: size.get("assets/search.js") ?? 0,
    largest_page_bytes: Math.max(...pages.map((p) => size.get(p.path)!)),
    largest_page_script_bytes: Math.max(0, ...scripts),
    pages: pages.length,
  };
}

function inChild(specs: string): DocsRun {
  const out = execFileSync(process.execPath, ["--import", "tsx", join(HERE, "docs.ts"), "--child", specs], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").pop()!) as DocsRun;
}

export interface DocsResults {
  sizes: number[];
  fields_per_register: number;
  runs: Record<"files of 100" | "one file", DocsRun[]>;
}

export async function runDocs(cfg: BenchConfig): Promise<SectionResult<DocsResults>> {
  const sizes = cfg.mode === "full" ? [1000, 10000] : cfg.mode === "quick" ? [100, 1000] : [2, 20];
  const runs: DocsResults["runs"] = { "files of 100": [], "one file": [] };
  const rows: Row[] = [];
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  for (const label of ["files of 100", "one file"] as const) {
    for (const n of sizes) {
      const dir = join(cfg.tmp, `docs-${n}`);
      writeSynthTree(dir, n, label === "one file" ? n : PER_FILE);
      const r = cfg.mode === "smoke" ? await docsOnce(dir) : inChild(dir);
      rmSync(dir, { recursive: true, force: true });
      runs[label].push(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, round(v, 4)])) as unknown as DocsRun);
      rows.push({
        section: "docs",
        name: `docs ${n}×${FIELDS}, ${label}`,
        value: `${r.docs_seconds.toFixed(2)} s`,
        note: `CPU ${r.docs_cpu_seconds.toFixed(2)} s (front end ${r.front_seconds.toFixed(2)} s before it); ${r.pages} spec pages, largest ${kb(r.largest_page_bytes)} + ${kb(r.largest_page_script_bytes)} of script; index ${kb(r.index_bytes)} + search index ${kb(r.search_bytes)}; ${r.files} files, ${(r.total_bytes / 1e6).toFixed(1)} MB`,
      });
    }
  }
  return { results: { sizes, fields_per_register: FIELDS, runs }, rows };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === "--child") {
  console.log(JSON.stringify(await docsOnce(process.argv[3]!)));
}
