import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, tempDir } from "../helpers/project.ts";
import { mismatch, parseGuide, squash, type Block } from "./guide-blocks.ts";
import { STRICT_TSC_OPTIONS } from "../helpers/tsc.ts";

// Every example of docs/guide/ runs here: each page gets a fresh project folder built from its
// files, its commands run in that folder with `npx hwspec` meaning this checkout's CLI, and their
// output must be what the page says. A page that stops matching the tool fails this test.

const run = promisify(execFile);
const GUIDE = join(ROOT, "docs/guide");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const HWSPEC = join(ROOT, "bin/hwspec.js");
/** Pages whose examples need `hwspec init` say so with this marker. */
const NEEDS_INIT = "<!-- guide-test: needs init -->";
const INDEX = "docs/guide/README.md";

// The commands a page may use, mapped onto this checkout so the test never reaches a registry.
const PREAMBLE = `
set -e
exec 2>&1
npx() {
  case "$1" in
    hwspec) shift; node "$GUIDE_HWSPEC" "$@" ;;
    tsx) shift; node "$GUIDE_TSX" "$@" ;;
    tsc) shift; node "$GUIDE_TSC" "$@" ;;
    *) echo "npx $1: not available to guide examples" >&2; return 127 ;;
  esac
}
`;

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function hasGcc(): Promise<boolean> {
  try {
    await run("gcc", ["--version"]);
    return true;
  } catch {
    return false;
  }
}

async function initBuilt(): Promise<boolean> {
  try {
    // An unknown command also prints the program's help with exit 0, so the usage line decides.
    const r = await run(process.execPath, [HWSPEC, "init", "--help"], { encoding: "utf8" });
    return /Usage: hwspec init\b/.test(r.stdout);
  } catch {
    return false;
  }
}

async function shell(cwd: string, script: string): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: "1",
    // `sort` and globbing order follow the locale; the pages' outputs assume byte order.
    LC_ALL: "C",
    GUIDE_HWSPEC: HWSPEC,
    GUIDE_TSX: TSX,
    GUIDE_TSC: TSC,
  };
  delete env.FORCE_COLOR;
  try {
    const r = await run("bash", ["-c", PREAMBLE + script], { cwd, env, encoding: "utf8", maxBuffer: 16 << 20 });
    return { code: 0, output: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

/** Strict tsc over the page's TypeScript files, with the options generated code is written for. */
async function strictTsc(root: string, files: string[]): Promise<string> {
  const dir = join(root, "tsc-check");
  mkdirSync(dir, { recursive: true });
  const config = {
    compilerOptions: { ...STRICT_TSC_OPTIONS, noUncheckedIndexedAccess: true },
    files: files.map((f) => join("../project", f)),
  };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
  try {
    await run(process.execPath, [TSC, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    return "";
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ""}${err.stderr ?? ""}` || "tsc failed";
  }
}

interface Page {
  name: string;
  markdown: string;
}

function pages(): Page[] {
  const out = readdirSync(GUIDE)
    .filter((n) => n.endsWith(".md"))
    .sort()
    .map((n) => ({ name: `docs/guide/${n}`, markdown: readFileSync(join(GUIDE, n), "utf8") }));
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Use hwspec in your project\n");
  if (start >= 0) {
    const end = readme.indexOf("\n## ", start + 1);
    out.push({ name: "README.md (Use hwspec in your project)", markdown: readme.slice(start, end < 0 ? undefined : end) });
  }
  return out;
}

async function runPage(page: Page, blocks: Block[]): Promise<void> {
  const root = tempDir("hwspec-guide-");
  temps.push(root);
  const project = join(root, "project");
  mkdirSync(join(project, "node_modules"), { recursive: true });
  // What `npm install --save-dev hwspec` leaves behind, as far as specs' "$schema" paths care.
  symlinkSync(ROOT, join(project, "node_modules/hwspec"), "dir");

  const tsFiles = new Set<string>();
  let tsCheckedUpTo = 0;
  const cFiles = new Set<string>();
  const compiledC = new Set<string>();
  const gcc = await hasGcc();
  const where = (line: number) => `${page.name}:${line}`;

  const checkTs = async (line: number) => {
    if (tsFiles.size === 0 || tsFiles.size === tsCheckedUpTo) return;
    const errors = await strictTsc(root, [...tsFiles]);
    expect(errors, `${where(line)}: strict tsc over ${[...tsFiles].join(", ")}`).toBe("");
    tsCheckedUpTo = tsFiles.size;
  };

  for (const b of blocks) {
    if (b.kind === "file") {
      const target = join(project, b.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, b.text);
      if (b.path.endsWith(".ts")) {
        tsFiles.add(b.path);
        tsCheckedUpTo = -1;
      }
      if (b.path.endsWith(".c")) cFiles.add(b.path);
      if (b.lang === "json") {
        const json = JSON.parse(b.text) as { $schema?: string };
        if (json.$schema !== undefined)
          expect(existsSync(resolve(dirname(target), json.$schema)), `${where(b.line)}: $schema ${json.$schema} resolves`).toBe(true);
      }
    } else if (b.kind === "fragment") {
      // A fragment may come before or after the file it quotes.
      const all = blocks.flatMap((x) => (x.kind === "file" ? [squash(x.text)] : []));
      expect(all.some((t) => t.includes(squash(b.text))), `${where(b.line)}: fragment is quoted from a file of the page`).toBe(true);
    } else if (b.kind === "shown") {
      expect(b.reason.length, `${where(b.line)}: norun needs a reason`).toBeGreaterThan(0);
    } else {
      if (/\bgcc\b/.test(b.script)) {
        for (const cmd of b.script.split("\n").filter((l) => /\bgcc\b/.test(l)))
          expect(cmd, `${where(b.line)}: C examples compile with warnings as errors`).toMatch(/-Wall -Wextra -Werror/);
        if (!gcc) {
          if (process.env.CI) throw new Error(`${where(b.line)}: gcc is required in CI`);
          console.warn(`${where(b.line)}: gcc not installed, C example not run`);
          continue;
        }
        for (const c of cFiles) if (b.script.includes(c)) compiledC.add(c);
      }
      if (/\bnpx tsx\b/.test(b.script)) await checkTs(b.line);
      const r = await shell(project, b.script);
      expect(r.code, `${where(b.line)}: exit status of\n${b.script}\noutput:\n${r.output}`).toBe(b.exit);
      if (b.output) {
        const why = mismatch(b.output, r.output);
        expect(why, `${where(b.output.line)}: output of\n${b.script}`).toBeUndefined();
      }
    }
  }
  await checkTs(blocks[blocks.length - 1]?.line ?? 0);
  if (gcc) for (const c of cFiles) expect(compiledC, `${page.name}: ${c} is compiled by a gcc command of the page`).toContain(c);
}

// Pages run two at a time: the machine has two cores and every command is a fresh process.
let free = 2;
const waiting: (() => void)[] = [];
async function slot<T>(job: () => Promise<T>): Promise<T> {
  if (free === 0) await new Promise<void>((r) => waiting.push(r));
  else free--;
  try {
    return await job();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else free++;
  }
}

describe.concurrent("docs/guide examples", () => {
  for (const page of pages()) {
    // Each command is a real process; the limit is generous so a loaded machine does not fail
    // the test (it is not a timing assertion).
    it(page.name, { timeout: 900_000 }, async () => {
      const blocks = parseGuide(page.markdown);
      if (page.name === INDEX) {
        for (const other of pages().filter((p) => p.name.startsWith("docs/guide/") && p.name !== INDEX))
          expect(page.markdown, `the guide's index links ${other.name}`).toContain(`](${other.name.slice("docs/guide/".length)})`);
        return;
      }
      expect(blocks.some((b) => b.kind === "run"), `${page.name} runs at least one command`).toBe(true);
      if (page.markdown.includes(NEEDS_INIT) && !(await initBuilt()))
        throw new Error(`${page.name}: init not built yet (hwspec init --help does not show the init command)`);
      await slot(() => runPage(page, blocks));
    });
  }
});

describe("guide block conventions", () => {
  const fence = "```";
  it("gives every fenced block a role and refuses one without", () => {
    const page = [
      `${fence}json file=specs/a.json`,
      `{ "a": 1 }`,
      fence,
      "",
      `${fence}sh exit=1`,
      "npx hwspec check",
      fence,
      "",
      `${fence}text output`,
      "1 error",
      fence,
      `${fence}json fragment`,
      `"a": 1`,
      fence,
    ].join("\n");
    expect(parseGuide(page).map((b) => b.kind)).toEqual(["file", "run", "fragment"]);
    const run = parseGuide(page)[1];
    expect(run).toMatchObject({ kind: "run", exit: 1, output: { mode: "exact", text: "1 error\n" } });
    expect(() => parseGuide(`${fence}json\n{}\n${fence}\n`)).toThrow(/without a role/);
    expect(() => parseGuide(`${fence}text output\nx\n${fence}\n`)).toThrow(/must directly follow a sh block/);
    expect(() => parseGuide(`${fence}sh\nls\n${fence}\nprose\n${fence}text output\nx\n${fence}\n`)).toThrow(/directly follow/);
    expect(() => parseGuide(`${fence}sh\nls\n`)).toThrow(/never closed/);
  });

  it("compares output exactly, or line by line in order for subsets", () => {
    const exact = { line: 1, mode: "exact" as const, text: "a\nb\n" };
    expect(mismatch(exact, "a  \nb\n\n")).toBeUndefined();
    expect(mismatch(exact, "a\nc\n")).toMatch(/expected exactly/);
    const subset = { line: 1, mode: "subset" as const, text: "one\nthree\n" };
    expect(mismatch(subset, "  one,\ntwo\nthree\n")).toBeUndefined();
    expect(mismatch(subset, "three\none\n")).toMatch(/in order/);
  });
});
