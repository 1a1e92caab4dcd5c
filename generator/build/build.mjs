// `npm run build` (run by `npm install` as prepare, by `npm pack`, before tests and before `npm run
// generate`): compiles the TypeScript to dist/ and puts beside it the files the code reads at run
// time, at the same relative paths, so `import.meta.url` lookups work from dist/ as from the sources.
// Plain JavaScript so it runs with nothing but node and the typescript package.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "dist");

/** Read by generator code through `new URL(…, import.meta.url)`: templates, verbatim sources, the prettier worker. */
const ASSETS = [
  "generator/emit/c/templates",
  "generator/docs/templates",
  "generator/docs/static",
  "generator/emit/ts/static",
  "generator/emit/fsm/static",
  "generator/emit/format-worker.mjs",
];

// Build mode skips work when dist/ is newer than every input, so a build before each test run costs
// well under a second when nothing changed.
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const r = spawnSync(process.execPath, [tsc, "-b", join(ROOT, "tsconfig.build.json")], { stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);

for (const rel of ASSETS) {
  const to = join(DIST, rel);
  mkdirSync(dirname(to), { recursive: true });
  cpSync(join(ROOT, rel), to, { recursive: true });
}

// ajv standalone validators, compiled with the options the run-time path uses (see validate/schemas.ts).
const schemas = await import(new URL("../../dist/generator/validate/schemas.js", import.meta.url).href);
const { Ajv2020 } = await import("ajv/dist/2020.js");
const standalone = (await import("ajv/dist/standalone/index.js")).default.default;
for (const kind of schemas.KINDS) {
  const ajv = new Ajv2020({ ...schemas.AJV_OPTIONS, code: { source: true } });
  const file = schemas.precompiledPath(kind);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `// Precompiled from specs/schema/${kind}.schema.json by generator/build/build.mjs.\n${standalone(ajv, ajv.compile(schemas.loadSchemaJson(kind)))}\n`);
}
