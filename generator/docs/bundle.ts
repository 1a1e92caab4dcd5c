import { GENERATED_HEADER, tsString } from "../emit/escape.ts";
import type { OutFile } from "../emit/types.ts";

/** One generated module as a classic browser script: its id (`ts/x86/vmx-msrs`), file and direct imports. */
export interface BrowserModule {
  id: string;
  /** Path in the site, `assets/ts/<...>.js`. */
  path: string;
  content: string;
  imports: string[];
}

/**
 * The generated TypeScript as classic browser scripts, so the decode box runs the very accessors
 * users import, from file:// as well as over HTTP (browsers refuse ES modules from file://).
 * One script per generated module (docs/auditing.md, "Docs at scale"): a spec page loads the
 * small loader (`assets/generated.js`), its own module and what that module imports, never the
 * whole tree. Each `ts/**.ts` file is transpiled alone to CommonJS with esbuild (TypeScript's own
 * transpileModule costs about 100× more CPU, which alone exceeded the build budget of a large tree)
 * and handed to `hwspecGenerated.define`; `require` resolves the relative specifiers between
 * generated files. Module ids and code are the generator's own output; ids are escaped JS strings,
 * and esbuild writes non-ASCII characters of string literals as escapes.
 */
export async function bundleModules(files: readonly OutFile[]): Promise<{ loader: string; modules: Map<string, BrowserModule> }> {
  const sources = files.filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts") && f.path !== "ts/index.ts");
  const sorted = [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // Loaded here, not at start-up: only the docs need it, and every CLI command imports this file's callers.
  const { transform } = await import("esbuild");
  // All at once: esbuild transpiles on its own threads while this one goes on.
  const codes = await Promise.all(sorted.map((f) => transform(f.content, { loader: "ts", format: "cjs", target: "es2020", charset: "ascii", legalComments: "none", sourcefile: f.path })));
  const modules = new Map<string, BrowserModule>();
  sorted.forEach((f, i) => {
    const id = f.path.replace(/\.ts$/, "");
    const out = codes[i]!.code;
    const imports = [...new Set([...out.matchAll(/\brequire\(("(?:[^"\\]|\\.)*")\)/g)].map((m) => resolve(id, JSON.parse(m[1]!) as string)))].sort();
    const content = `// ${GENERATED_HEADER}\n// ${f.path} of the generated TypeScript, transpiled for the docs decode box.\nwindow.hwspecGenerated.define(${tsString(id)}, function (exports, require, module) {\n${out.trimEnd()}\n});\n`;
    modules.set(id, { id, path: `assets/${id}.js`, content, imports });
  });
  return { loader: LOADER, modules };
}

/** The scripts a page needs for `ids`: each module after everything it imports, each once. */
export function scriptsFor(ids: readonly string[], modules: ReadonlyMap<string, BrowserModule>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const m = modules.get(id);
    if (!m) throw new Error(`internal: no generated module ${id}`);
    m.imports.forEach(visit);
    out.push(m.path);
  };
  [...ids].sort().forEach(visit);
  return out;
}

/** `spec` (a relative specifier of the generated code) from module `from`, as a module id. */
function resolve(from: string, spec: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const p of spec.replace(/\.(ts|js)$/, "").split("/")) {
    if (p === "..") parts.pop();
    else if (p !== ".") parts.push(p);
  }
  return parts.join("/");
}

const LOADER = `// ${GENERATED_HEADER}
// The module table of the generated TypeScript in the docs: each assets/ts/**.js script defines one module.
(function () {
  "use strict";
  var defs = Object.create(null);
  var cache = Object.create(null);
  var order = [];
  function resolve(from, spec) {
    var parts = from.split("/").slice(0, -1);
    spec.replace(/\\.(ts|js)$/, "").split("/").forEach(function (p) {
      if (p === "..") parts.pop();
      else if (p !== ".") parts.push(p);
    });
    return parts.join("/");
  }
  function load(id) {
    if (cache[id]) return cache[id].exports;
    if (!defs[id]) throw new Error("hwspec: no generated module " + id);
    var module = { exports: {} };
    cache[id] = module;
    defs[id](module.exports, function (spec) { return load(resolve(id, spec)); }, module);
    return module.exports;
  }
  function define(id, fn) {
    if (defs[id]) return;
    defs[id] = fn;
    order.push(id);
  }
  window.hwspecGenerated = Object.freeze({ require: load, define: define, get modules() { return order.slice(); } });
})();
`;
