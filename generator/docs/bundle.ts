// ts-morph ships the TypeScript compiler it runs on; using that one keeps `typescript` out of the installed package.
import { ts } from "ts-morph";
import { GENERATED_HEADER, tsString } from "../emit/escape.ts";
import type { OutFile } from "../emit/types.ts";

/**
 * The generated TypeScript as one classic browser script, so the decode box runs the very accessors
 * users import, from file:// as well as over HTTP (browsers refuse ES modules from file://).
 * Each `ts/**.ts` file is transpiled alone (typescript.transpileModule, CommonJS) and wrapped in a
 * tiny module table; `require` resolves the relative specifiers between generated files.
 * Module ids and code are the generator's own output; ids are written as escaped JS strings.
 */
export function bundleGenerated(files: readonly OutFile[]): { content: string; modules: string[] } {
  const sources = files.filter((f) => f.path.startsWith("ts/") && f.path.endsWith(".ts") && f.path !== "ts/index.ts");
  const modules: string[] = [];
  let body = "";
  for (const f of [...sources].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const id = f.path.replace(/\.ts$/, "");
    const out = ts.transpileModule(f.content, {
      fileName: f.path,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, verbatimModuleSyntax: false, isolatedModules: true, removeComments: true, sourceMap: false },
    }).outputText;
    modules.push(id);
    body += `defs[${tsString(id)}] = function (exports, require) {\n${out.replace(/\/\/# sourceMappingURL=.*$/m, "").trimEnd()}\n};\n`;
  }
  const content = `// ${GENERATED_HEADER}
// The generated TypeScript of generated/ts, transpiled for the browser. Used by the docs decode box.
(function () {
  "use strict";
  var defs = Object.create(null);
  var cache = Object.create(null);
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
    defs[id](module.exports, function (spec) { return load(resolve(id, spec)); });
    return module.exports;
  }
${body}
  window.hwspecGenerated = Object.freeze({ require: load, modules: Object.freeze(${JSON.stringify(modules)}) });
})();
`;
  return { content, modules };
}
