/**
 * Generated code is exactly prettier-formatted, although the registers emitter prints its modules
 * itself (generator/emit/ts/print.ts) and they skip prettier: prettier with the generator's own
 * options changes nothing in the committed tree, nor in what random accepted spec trees generate.
 */
import { readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import fc from "fast-check";
import { format } from "prettier";
import { afterAll, describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { emitAll } from "../../generator/emit/emit.ts";
import { OPTIONS, PARSER } from "../../generator/emit/format.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import { GENERATED, tempDir } from "../helpers/project.ts";
import { writeFiles } from "../property/compile.ts";
import { treeArb } from "../property/tree-arbitraries.ts";

const BY_EXT: Record<string, OutFile["lang"]> = { ".ts": "ts", ".md": "md", ".json": "json", ".css": "css", ".js": "js" };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** First differing line, so a failure names what the printer got wrong. */
function firstDifference(ours: string, theirs: string): string {
  const a = ours.split("\n");
  const b = theirs.split("\n");
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `line ${i + 1}:\n  printed:  ${JSON.stringify(a.slice(i, i + 3))}\n  prettier: ${JSON.stringify(b.slice(i, i + 3))}`;
}

async function unchangedByPrettier(path: string, lang: OutFile["lang"], text: string): Promise<string | undefined> {
  const parser = PARSER[lang];
  if (!parser) return undefined;
  const formatted = await format(text, { ...OPTIONS, parser });
  return formatted === text ? undefined : `${path}: ${firstDifference(text, formatted)}`;
}

describe("generated output is prettier-formatted", () => {
  it("prettier changes nothing in the committed generated tree", async () => {
    const files = walk(GENERATED).filter((f) => BY_EXT[extname(f)]);
    expect(files.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const f of files) {
      const p = await unchangedByPrettier(f, BY_EXT[extname(f)]!, readFileSync(f, "utf8"));
      if (p) problems.push(p);
    }
    expect(problems).toEqual([]);
  });

  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("files the emitters print themselves are prettier-formatted for random spec trees", async () => {
    const trees = fc.sample(treeArb, { numRuns: 60, seed: 17 });
    let printed = 0;
    const problems: string[] = [];
    for (const [i, tree] of trees.entries()) {
      const dir = tempDir("hwspec-idempotence-");
      dirs.push(dir);
      writeFiles(dir, Object.entries(tree).map(([path, spec]) => ({ path, content: JSON.stringify(spec, null, 2) + "\n" })));
      const d = new Diagnostics();
      const r = runFront(loadTree(dir, d), d);
      if (!r.ok) continue;
      for (const f of await emitAll(r.front)) {
        if (!f.printed) continue;
        printed++;
        const p = await unchangedByPrettier(`tree ${i} ${f.path}`, f.lang, f.content);
        if (p) problems.push(p);
      }
    }
    expect(problems).toEqual([]);
    // The check is only as good as the number of files it reached.
    expect(printed).toBeGreaterThan(10);
  }, 600_000);
});
