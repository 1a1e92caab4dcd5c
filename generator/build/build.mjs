// `npm run build` (run by `npm install` as prepare, by `npm pack`, before tests and before `npm run
// generate`): compiles the TypeScript to dist/ and puts beside it the files the code reads at run
// time, at the same relative paths, so `import.meta.url` lookups work from dist/ as from the sources.
// Plain JavaScript so it runs with nothing but node and the typescript package.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleCli } from "./bundle.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "dist");
const CLI = join(DIST, "cli");

/** Read by generator code through `new URL(…, import.meta.url)`: templates, verbatim sources, the prettier worker. */
const ASSETS = [
  "generator/emit/c/templates",
  "generator/docs/templates",
  "generator/docs/static",
  "generator/emit/ts/static",
  "generator/emit/fsm/static",
  "generator/emit/format-worker.mjs",
  "generator/cli/import-module.cjs",
];

// Build mode skips work when dist/ is newer than every input, so a build before each test run costs
// well under a second when nothing changed.
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-b", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

/**
 * Writes only what differs: tests start bin/hwspec.js while another test packs the package (which
 * builds again), and rewriting an unchanged file could let a starting CLI read it half written.
 */
function put(file, content) {
  if (existsSync(file) && readFileSync(file).equals(content)) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

function copy(from, to) {
  if (statSync(from).isDirectory()) for (const name of readdirSync(from)) copy(join(from, name), join(to, name));
  else put(to, readFileSync(from));
}

for (const rel of ASSETS) copy(join(ROOT, rel), join(DIST, rel));

// ajv standalone validators, compiled with the options the run-time path uses (see validate/schemas.ts).
const schemas = await import(new URL("../../dist/generator/validate/schemas.js", import.meta.url).href);
const { Ajv2020 } = await import("ajv/dist/2020.js");
const standalone = (await import("ajv/dist/standalone/index.js")).default.default;
for (const kind of schemas.PRECOMPILED) {
  const ajv = new Ajv2020({ ...schemas.AJV_OPTIONS, code: { source: true } });
  const code = `// Precompiled from specs/schema/${kind}.schema.json by generator/build/build.mjs.\n${standalone(ajv, ajv.compile(schemas.loadSchemaJson(kind)))}\n`;
  put(schemas.precompiledPath(kind), Buffer.from(code));
}

const precompiled = new Set(schemas.PRECOMPILED.map((k) => schemas.precompiledPath(k)));

// Handlebars templates precompiled, so the CLI loads only Handlebars' runtime (generator/templates.ts).
const { precompileSet, PRECOMPILED } = await import(new URL("../../dist/generator/templates.js", import.meta.url).href);
const templateSets = [
  (await import(new URL("../../dist/generator/emit/c/templates.js", import.meta.url).href)).C_TEMPLATES,
  (await import(new URL("../../dist/generator/docs/engine.js", import.meta.url).href)).DOCS_TEMPLATES,
];
for (const set of templateSets) {
  // set.dir is the copy in dist/ (ASSETS), since the module was imported from there.
  const file = fileURLToPath(new URL(PRECOMPILED, set.dir));
  put(file, Buffer.from(precompileSet(set.dir, set.names, set.options)));
  precompiled.add(file);
}

// tsc never deletes: output of a source that was moved or removed would stay in dist/ and ship.
// Whatever the sources, the asset list and the schema kinds no longer account for goes.
function prune(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (full === CLI) continue;
    if (statSync(full).isDirectory()) {
      prune(full);
      if (readdirSync(full).length === 0) rmSync(full, { recursive: true });
      continue;
    }
    const rel = relative(DIST, full).split(sep).join("/");
    const asset = ASSETS.some((a) => rel === a || rel.startsWith(`${a}/`)) && existsSync(join(ROOT, rel));
    const source = /\.(d\.ts|js)$/.test(rel) && existsSync(join(ROOT, rel.replace(/\.(d\.ts|js)$/, ".ts")));
    if (!asset && !source && !precompiled.has(full) && rel !== ".tsbuildinfo") rmSync(full);
  }
}
prune(DIST);

// The bundle the CLI runs (bundle.mjs), with the fingerprint of the generator just built.
const { generatorFingerprint } = await import(new URL("../../dist/generator/cache/fingerprint.js", import.meta.url).href);
await bundleCli(DIST, CLI, generatorFingerprint());
