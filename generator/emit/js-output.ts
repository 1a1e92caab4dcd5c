import { posix } from "node:path";
import { Project, ts } from "ts-morph";
import { GENERATED_HEADER } from "./escape.ts";
import type { OutFile } from "./types.ts";

/**
 * The `js+dts` output: every generated TS module compiled to JavaScript plus a declaration
 * file, so a project with no TypeScript tooling can run the code and an editor still sees the
 * types. Relative imports must already use `.js` (the generator writes them that way for this
 * output). Files of other languages pass through.
 */
export function toJsAndDts(files: readonly OutFile[]): OutFile[] {
  const sources = files.filter((f) => f.lang === "ts");
  if (!sources.length) return [...files];
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      declaration: true,
      strict: true,
      skipLibCheck: true,
      lib: ["lib.es2022.d.ts"],
      types: [],
      outDir: "/out",
      rootDir: "/src",
    },
  });
  for (const f of sources) project.createSourceFile(`/src/${f.path}`, f.content);
  const byPath = new Map(sources.map((f) => [f.path, f]));
  const out: OutFile[] = files.filter((f) => f.lang !== "ts");
  for (const emitted of project.emitToMemory().getFiles()) {
    const rel = posix.relative("/out", emitted.filePath);
    const source = byPath.get(rel.replace(/\.d\.ts$|\.js$/, ".ts"));
    if (!source) throw new Error(`internal: ${rel} compiled from no generated module`);
    const text = emitted.text.includes(GENERATED_HEADER) ? emitted.text : `// ${GENERATED_HEADER}\n// Source: ${source.source}\n${emitted.text}`;
    out.push({ path: rel, lang: rel.endsWith(".d.ts") ? "ts" : "js", source: source.source, content: text });
  }
  return out;
}
