// The CLI as one bundled script in dist/cli/, for start-up: node resolving, reading and compiling
// some two hundred separate modules was most of a short command's time (docs/packaging.md, "The
// CLI is one bundled script"). Called by build.mjs after tsc has written dist/.
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";

/**
 * Left as imports of the installed packages: prettier and ts-morph are large and loaded only when
 * a file needs them (prettier's worker thread imports the same installed copy), esbuild is a
 * native binary, and ajv's compiler is needed only where no validator was precompiled. The two
 * small ajv runtime helpers the precompiled validators require are bundled with them.
 */
export const EXTERNAL = ["prettier", "ts-morph", "typescript", "esbuild", "json-schema-to-typescript", "ajv/dist/2020.js"];

const OWN_URL = /\bimport\.meta\.url\b/g;
/** The bundle's own file URL, defined by its first line (CommonJS has no import.meta). */
const BUNDLE_URL = "__hwspecBundleUrl";

/**
 * Every `import.meta.url` of a bundled module still names that module's own file in dist/, so the
 * lookups beside it (templates, verbatim sources, workers, precompiled validators, the package
 * root) find what the build copied there from inside the bundle.
 */
const ownUrl = (outdir) => ({
  name: "own-url",
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/](generator|runtime)[\\/].*\.js$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const rel = relative(outdir, args.path).split("\\").join("/");
      return { contents: text.replace(OWN_URL, `new URL(${JSON.stringify(rel)}, ${BUNDLE_URL}).href`), loader: "js", resolveDir: dirname(args.path) };
    });
  },
});

/**
 * commander requires node:child_process as it loads, for subcommands that are separate
 * executables (hwspec has none); loading child_process is nearly 2 ms of every start. Inside
 * commander it becomes a module that requires it on first use.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: "child_process", namespace: "hwspec-lazy" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "hwspec-lazy" }, () => ({
      contents: 'let m;\nconst load = () => (m ??= require("node:child_process"));\nmodule.exports = new Proxy({}, { get: (_, k) => load()[k], has: (_, k) => k in load() });\n',
      loader: "js",
    }));
  },
};

/**
 * Bundles dist/generator/cli/main.js into `outdir`/main.cjs. One CommonJS file, because only a
 * classic script can be compiled with a V8 code cache on Node 20 (bin/hwspec.js); a command's
 * module still runs only when the command does (esbuild wraps lazily imported modules). The
 * external packages are loaded with require, so the script holds no `import()` for which node
 * would need a dynamic-import hook. `fingerprint` is the generator's cache fingerprint as
 * computed over dist/ (cache/fingerprint.ts), built in so a start hashes no files. Writes only
 * the bundle when it differs, and removes anything else in `outdir` then.
 */
export async function bundleCli(dist, outdir, fingerprint) {
  const r = await build({
    stdin: { contents: entry(dist), resolveDir: dist, sourcefile: "hwspec-cli-entry.js", loader: "js" },
    outfile: join(outdir, "main.cjs"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    supported: { "dynamic-import": false },
    external: EXTERNAL,
    define: { HWSPEC_BUILD_FINGERPRINT: JSON.stringify(fingerprint) },
    // "use strict" first, as the ES modules the bundle is made of were strict.
    banner: { js: `"use strict";\nconst ${BUNDLE_URL} = require("node:url").pathToFileURL(__filename).href;` },
    legalComments: "eof",
    write: false,
    logLevel: "warning",
    plugins: [ownUrl(outdir), lazyChildProcess],
  });
  mkdirSync(outdir, { recursive: true });
  const [bundle] = r.outputFiles;
  // bin/hwspec.js reads the bundle as Latin-1, a third faster than decoding UTF-8, which gives the
  // same string only for ASCII: esbuild escapes strings and identifiers, but keeps some comments.
  const wide = bundle.contents.findIndex((byte) => byte > 0x7f);
  if (wide >= 0) {
    // Every byte before it is ASCII, so its byte offset is its offset in the text.
    const line = bundle.text.slice(0, wide).split("\n").length;
    throw new Error(`the CLI bundle must be ASCII; line ${line} of ${bundle.path} is not (a comment with a non-ASCII character?)`);
  }
  if (existsSync(bundle.path) && readFileSync(bundle.path).equals(bundle.contents)) return;
  // V8 would refuse an older bundle's code caches anyway; they go with it.
  rmSync(join(outdir, CODE_CACHE), { recursive: true, force: true });
  writeFileSync(`${bundle.path}.tmp`, bundle.contents);
  renameSync(`${bundle.path}.tmp`, bundle.path);
  for (const name of readdirSync(outdir)) if (name !== "main.cjs") rmSync(join(outdir, name), { recursive: true, force: true });
}

/**
 * The bundle's entry: the CLI, and the schema validators the build precompiled (build.mjs), each
 * a module of the bundle run when its kind is first validated.
 */
function entry(dist) {
  const dir = "generator/validate/precompiled";
  const kinds = readdirSync(join(dist, dir))
    .filter((n) => n.endsWith(".cjs"))
    .map((n) => n.slice(0, -4))
    .sort();
  if (!kinds.length) throw new Error(`no precompiled validators in ${join(dist, dir)}; the build writes them before bundling`);
  const validators = kinds.map((k) => `  ${JSON.stringify(k)}: () => require(${JSON.stringify(`./${dir}/${k}.cjs`)}),`).join("\n");
  return `export * from "./generator/cli/main.js";\nimport { providePrecompiled } from "./generator/validate/schemas.js";\nprovidePrecompiled({\n${validators}\n});\n`;
}

/** The folder beside the bundle where bin/hwspec.js keeps V8's code caches of it. */
export const CODE_CACHE = "code-cache";
