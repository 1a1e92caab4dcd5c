/**
 * Injection-proof emission for the device, entries and machine kinds, on every target: TS (tsc),
 * C (gcc), HTML and Markdown (`hwspec docs`), Mermaid, DOT (graphviz) and Promela (spin) via
 * `hwspec export`. The project's own specs are rewritten so that every free text (docs, sources,
 * lock descriptions) is hostile and the whitespace inside expressions is newlines, U+2028 and BOMs.
 * Each output must still compile or parse, have the same structure as the benign output, and carry
 * the hostile text only as inert text. Handlebars: no raw output, no prototype access.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Handlebars from "handlebars";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { loadFiles } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import type { Json } from "../fuzz/arbitraries.ts";
import { runCli } from "../helpers/cli.ts";
import { ROOT, SPECS, snapshot, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";
import { BIDI, CONTROL, codeOnly, EXPR_SPACE, HOSTILE, hostilize, PAYLOADS } from "./inert.ts";

const KINDS = { device: "arm/pl011.json", entries: "x86/pagetable.json", machine: "xen/dpci-softirq.json" } as const;
const MACHINE = "xen.dpci_softirq";
const has = (cmd: string, arg = "--version") => spawnSync(cmd, [arg], { encoding: "utf8" }).status === 0;

const original = (rel: string) => JSON.parse(readFileSync(join(SPECS, rel), "utf8")) as Json;
const specFiles = (hostile: boolean): Record<string, string> =>
  Object.fromEntries(Object.entries(KINDS).map(([, rel]) => [rel, JSON.stringify(hostile ? hostilize(original(rel), HOSTILE, EXPR_SPACE) : original(rel), null, 2)]));

function writeSpecs(dir: string, files: Record<string, string>): string {
  const specs = join(dir, "specs");
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(specs, rel)), { recursive: true });
    writeFileSync(join(specs, rel), text);
  }
  return specs;
}

async function generate(files: Record<string, string>): Promise<OutFile[]> {
  const d = new Diagnostics();
  const r = runFront(loadFiles(files, d), d);
  if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message} [${x.pointer}]`).join("\n"));
  return runBack(r.front);
}

/** Tag names in document order (comments and the XML declaration dropped). */
function tagSequence(html: string): string[] {
  return [...html.replace(/<!--[\s\S]*?-->/g, "").matchAll(/<(\/?[A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]!.toLowerCase());
}

/** Markdown structure: per line, its block kind and the number of unescaped table pipes and backticks. */
function markdownSkeleton(md: string): string[] {
  return md.split("\n").map((line) => {
    const bare = line.replace(/\\./g, "");
    const kind = /^#+ /.exec(line)?.[0] ?? (line.startsWith("|") ? "|" : line === "" ? "" : line.startsWith("![") ? "img" : line.startsWith("**") ? "**" : line.startsWith("<!--") ? "comment" : "p");
    return `${kind} pipes=${(bare.match(/\|/g) ?? []).length} ticks=${(bare.match(/`/g) ?? []).length}`;
  });
}

let work: string;
const out = { hostile: [] as OutFile[], benign: [] as OutFile[] };
const specsDir = { hostile: "", benign: "" };

beforeAll(async () => {
  work = tempDir("hwspec-kinds-");
  specsDir.hostile = writeSpecs(join(work, "hostile"), specFiles(true));
  specsDir.benign = writeSpecs(join(work, "benign"), specFiles(false));
  out.hostile = await generate(specFiles(true));
  out.benign = await generate(specFiles(false));
}, 120_000);

afterAll(() => vi.restoreAllMocks());

describe("hostile free text in device, entries and machine specs", () => {
  it("is accepted: docs are data, never syntax", () => {
    // The rewrite really reached every kind (docs, source, locks and expressions).
    for (const rel of Object.values(KINDS)) {
      const text = specFiles(true)[rel]!;
      expect(text).toContain(JSON.stringify(HOSTILE));
    }
    expect(specFiles(true)["xen/dpci-softirq.json"]).toContain("\u2028");
    expect(out.hostile.length).toBe(out.benign.length);
  });

  it("TS: tsc compiles the generated modules, payloads appear only in comments and strings", () => {
    const dir = join(work, "ts-out");
    for (const f of out.hostile) {
      mkdirSync(dirname(join(dir, "generated", f.path)), { recursive: true });
      writeFileSync(join(dir, "generated", f.path), f.content);
    }
    const ours = out.hostile.filter((f) => f.path.endsWith(".ts") && /(arm\/pl011|x86\/pagetable|xen\/dpci-softirq)\.ts$/.test(f.path));
    expect(ours).toHaveLength(3);
    for (const f of ours) {
      expect(f.content, f.path).not.toMatch(BIDI);
      expect(f.content, f.path).not.toMatch(CONTROL);
      const code = codeOnly(f.content);
      for (const p of PAYLOADS) expect(code.includes(p), `${f.path}: ${p} outside comments and strings`).toBe(false);
      expect(f.content, f.path).toMatch(/Trojan/);
    }
    const tscOut = strictTsc(dir, ["generated/ts"]);
    expect(tscOut).toBe("");
  }, 120_000);

  it("TS: the machine module keeps the hostile doc exactly, as data", async () => {
    const dir = join(work, "ts-out");
    const mod = (await import(/* @vite-ignore */ join(dir, "generated/ts/xen/dpci-softirq.ts"))) as Record<string, unknown>;
    const defs = Object.values(mod).filter((v): v is { doc: string; name: string } => !!v && typeof v === "object" && (v as { name?: unknown }).name === MACHINE);
    expect(defs.length).toBeGreaterThan(0);
    expect(defs[0]!.doc).toBe(HOSTILE);
  });

  it.runIf(has("gcc"))("C: gcc -Wall -Werror accepts the headers, payloads appear only in comments", () => {
    const headers = out.hostile.filter((f) => f.path.endsWith(".h"));
    expect(headers.map((h) => h.path).sort()).toEqual(["c/arm/pl011.h", "c/x86/pagetable.h"]);
    const dir = join(work, "c-out");
    for (const h of headers) {
      expect(h.content, h.path).not.toMatch(BIDI);
      expect(h.content, h.path).not.toMatch(CONTROL);
      const code = codeOnly(h.content);
      for (const p of PAYLOADS) expect(code.includes(p), `${h.path}: ${p} outside comments`).toBe(false);
      const path = join(dir, h.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, h.content);
      const probe = join(dir, "probe.c");
      writeFileSync(probe, `#include "${path}"\nint main(void) { return 0; }\n`);
      const r = spawnSync("gcc", ["-std=c11", "-fsyntax-only", "-Wall", "-Werror", "-Wextra", probe], { encoding: "utf8" });
      expect(r.stderr, h.path).toBe("");
      expect(r.status, h.path).toBe(0);
    }
  }, 60_000);

  describe("docs (hwspec docs --out)", () => {
    const site = { hostile: new Map<string, string>(), benign: new Map<string, string>() };
    beforeAll(async () => {
      for (const which of ["hostile", "benign"] as const) {
        const dir = join(work, `site-${which}`);
        const r = await runCli(["--specs", specsDir[which], "docs", "--out", dir, "-q"]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        site[which] = snapshot(dir);
      }
    }, 120_000);

    it("writes the same files for hostile and benign text", () => {
      expect([...site.hostile.keys()]).toEqual([...site.benign.keys()]);
      expect([...site.hostile.keys()].some((p) => p.endsWith(".html"))).toBe(true);
      expect([...site.hostile.keys()].some((p) => p.endsWith(".md"))).toBe(true);
    });

    it("HTML and SVG: the same tags as the benign site; only the site's own external scripts", () => {
      for (const [path, html] of site.hostile) {
        if (!/\.(html|svg)$/.test(path)) continue;
        expect(tagSequence(html), path).toEqual(tagSequence(site.benign.get(path)!));
        expect(html, path).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/); // CR is HTML whitespace
        expect(html, path).not.toMatch(BIDI);
        if (path.endsWith(".html")) {
          // The site's own scripts only, all external: site.js, the search index (index page) or the
          // module loader and generated modules (spec pages with a decode box).
          const scripts = (html.match(/<script/gi) ?? []).length;
          expect(scripts, path).toBeGreaterThanOrEqual(1);
          expect((html.match(/<\/script/gi) ?? []).length, path).toBe(scripts);
          expect((html.match(/<script src="[^"]*assets\/(generated|site|search|ts\/[a-z0-9/_-]+)\.js"><\/script>/g) ?? []).length, path).toBe(scripts);
          expect((html.match(/<script src="[^"]*assets\/site\.js"><\/script>/g) ?? []).length, path).toBe(1);
        }
        // Attribute values never contain a raw quote from a spec: every tag is well formed.
        for (const tag of html.replace(/<!--[\s\S]*?-->/g, "").match(/<[A-Za-z][^>]*>/g) ?? []) {
          expect(tag, path).toMatch(/^<[A-Za-z][A-Za-z0-9-]*(\s+[A-Za-z_:][-A-Za-z0-9_:.]*(="[^"<]*")?)*\s*\/?>$/);
        }
      }
      const page = site.hostile.get("specs/xen.dpci_softirq.html")!;
      expect(page).toContain("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page).toContain("{{constructor.constructor(&#x27;alert(1)&#x27;)()}}");
    });

    it("Markdown: the same block structure as the benign pages; no raw HTML, bidi or control characters", () => {
      for (const [path, md] of site.hostile) {
        if (!path.endsWith(".md")) continue;
        expect(markdownSkeleton(md), path).toEqual(markdownSkeleton(site.benign.get(path)!));
        expect(md, path).not.toMatch(BIDI);
        expect(md, path).not.toMatch(CONTROL);
        // Outside code spans (expressions like `a << 12`), the only raw `<` is the generated-file comment on the first line.
        expect(md.split("\n").slice(1).join("\n").replace(/`[^`\n]*`/g, ""), path).not.toContain("<");
      }
      expect(site.hostile.get("md/xen.dpci_softirq.md")).toContain("&lt;/script&gt;");
    });
  });

  describe("hwspec export", () => {
    const exported = async (format: string, which: "hostile" | "benign") => {
      const r = await runCli(["--specs", specsDir[which], "export", MACHINE, "--format", format]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      return r.stdout;
    };

    it("Mermaid: every line is one statement and no spec text leaves a quoted label", async () => {
      const text = await exported("mermaid", "hostile");
      const benign = await exported("mermaid", "benign");
      expect(text.split("\n").length).toBe(benign.split("\n").length);
      const label = String.raw`"(?:[A-Za-z0-9 _.,:()=+\-*/!\[\]]|#\d+;)*"`;
      const id = "[A-Za-z_][A-Za-z0-9_]*";
      const line = new RegExp(
        `^(%%[^\\n]*|flowchart TD|  subgraph ${id}\\[${label}\\]|    ${id}(\\[${label}\\]|\\(\\[${label}\\]\\))|  end|  ${id} -->(\\|${label}\\|)? ${id}|)$`,
      );
      for (const l of text.split("\n")) expect(l).toMatch(line);
      expect(text).not.toMatch(BIDI);
      expect(text).toContain("#10;"); // the newlines inside expressions, as entities
    });

    it.runIf(has("dot", "-V"))("DOT: graphviz parses it; no spec newline splits a statement", async () => {
      const text = await exported("dot", "hostile");
      const benign = await exported("dot", "benign");
      expect(text.split("\n").length).toBe(benign.split("\n").length);
      expect(text).not.toMatch(BIDI);
      expect(text).not.toMatch(CONTROL);
      const r = spawnSync("dot", ["-Tsvg"], { input: text, encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const b = spawnSync("dot", ["-Tsvg"], { input: benign, encoding: "utf8" });
      // The same graph: as many nodes and edges as the benign one.
      const count = (svg: string, cls: string) => (svg.match(new RegExp(`class="${cls}"`, "g")) ?? []).length;
      for (const cls of ["node", "edge", "cluster"]) expect(count(r.stdout, cls)).toBe(count(b.stdout, cls));
    });

    it.runIf(has("spin", "-V"))("Promela: spin -a accepts it; hostile docs stay inside comments", async () => {
      const text = await exported("promela", "hostile");
      const benign = await exported("promela", "benign");
      expect(text.split("\n").length).toBe(benign.split("\n").length);
      expect(text).not.toMatch(BIDI);
      expect(text).not.toMatch(CONTROL);
      expect(text).toContain("Trojan");
      const code = codeOnly(text);
      for (const p of PAYLOADS) expect(code.includes(p), `${p} outside comments`).toBe(false);
      expect(code).toBe(codeOnly(benign));
      const dir = join(work, "spin");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "m.pml"), text);
      const r = spawnSync("spin", ["-a", "m.pml"], { cwd: dir, encoding: "utf8" });
      expect(r.stderr + (r.status === 0 ? "" : r.stdout)).toBe("");
      expect(r.status).toBe(0);
      expect(readdirSync(dir)).toContain("pan.c");
    }, 60_000);
  });
});

describe("Handlebars", () => {
  const templates = (dir: string) => readdirSync(join(ROOT, dir)).filter((n) => n.endsWith(".hbs")).map((n) => join(ROOT, dir, n));

  it("templates never use raw output ({{{ }}} or {{& }})", () => {
    const files = [...templates("generator/emit/c/templates"), ...templates("generator/docs/templates")];
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      expect(text.includes("{{{"), f).toBe(false);
      expect(/\{\{~?&/.test(text), f).toBe(false);
    }
  });

  it("both engines compile strictly, the docs engine escapes, and every render disables prototype access", async () => {
    const compiles: (CompileOptions | undefined)[] = [];
    const runs: (Handlebars.RuntimeOptions | undefined)[] = [];
    const realCreate = Handlebars.create.bind(Handlebars);
    vi.spyOn(Handlebars, "create").mockImplementation(() => {
      const inst = realCreate();
      const compile = inst.compile.bind(inst);
      inst.compile = ((text: string, opts?: CompileOptions) => {
        compiles.push(opts);
        const t = compile(text, opts);
        return (ctx: unknown, rt?: Handlebars.RuntimeOptions) => {
          runs.push(rt);
          return t(ctx, rt);
        };
      }) as typeof inst.compile;
      return inst;
    });
    vi.resetModules();
    const { frontOf } = await import("../helpers/project.ts");
    const { buildDocs } = await import("../../generator/docs/site.ts");
    const docsEngine = await import("../../generator/docs/engine.ts");
    const r = frontOf(specFiles(true));
    if (!r.ok) throw new Error("hostile specs do not load");
    await buildDocs(r.front, "html");
    vi.mocked(Handlebars.create).mockRestore();

    // C templates (noEscape: values are pre-escaped by the C emitter) and docs templates (escaping on).
    expect(compiles.length).toBeGreaterThanOrEqual(6);
    for (const o of compiles) expect(o?.strict).toBe(true);
    expect(compiles.filter((o) => !o?.noEscape).length).toBeGreaterThanOrEqual(4);
    expect(runs.length).toBeGreaterThan(0);
    const topLevel = runs.filter((rt) => !(rt as { partial?: boolean } | undefined)?.partial);
    expect(topLevel.length).toBeGreaterThan(0);
    for (const rt of topLevel) {
      expect(rt?.allowProtoPropertiesByDefault).toBe(false);
      expect(rt?.allowProtoMethodsByDefault).toBe(false);
      expect(rt?.allowedProtoProperties).toBeUndefined();
      expect(rt?.allowedProtoMethods).toBeUndefined();
    }

    // Behaviour, not just options: an inherited value never renders, an own one is escaped.
    const proto = { title: "PROTO_LEAK" };
    const view = Object.assign(Object.create(proto) as object, { width: 1, height: 1, boxes: [], ticks: [] });
    const warn = vi.spyOn(console, "error").mockImplementation(() => {});
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    let rendered: string;
    try {
      rendered = docsEngine.render("svg-file", view);
    } catch (e) {
      rendered = String(e); // strict mode: an inherited value counts as missing
    }
    expect(rendered).not.toContain("PROTO_LEAK");
    warn.mockRestore();
    log.mockRestore();
    const own = docsEngine.render("svg-file", { title: "</title><script>x</script>{{y}}", width: 1, height: 1, boxes: [], ticks: [] });
    expect(own).not.toContain("<script");
    expect(own).toContain("&lt;/title&gt;&lt;script&gt;");
  }, 120_000);
});

type CompileOptions = Parameters<typeof Handlebars.compile>[1];

describe("object-machinery names in device, entries and machine specs", () => {
  // Each case renames one declared name everywhere (declaration and references), so the only
  // problem left in the spec is the name itself.
  const cases: [keyof typeof KINDS, string, string][] = [
    ["device", "register", "RSR"],
    ["device", "layout", "pl011_int"],
    ["device", "field", "DATA"],
    ["device", "hook", "pop_rx"],
    ["device", "interrupt", "UARTINTR"],
    ["device", "constant", "GUEST_VPL011_SPI"],
    ["entries", "constant", "PAGETABLE_ORDER"],
    ["entries", "flag", "_PAGE_AVAIL2"],
    ["entries", "flag set", "_PAGE_AVAIL"],
    ["entries", "level", "L1"],
    ["entries", "format", "l1e"],
    ["entries", "conversion", "l1f_to_lNf"],
    ["machine", "variable", "mapped"],
    ["machine", "lock", "desc_lock"],
    ["machine", "process", "binder"],
    ["machine", "local", "dup"],
    ["machine", "step label", "raise_softirq"],
    ["machine", "enum", "Dom"],
    ["machine", "enum member", "D"],
    ["machine", "bit", "SCHED"],
    ["machine", "constant", "IRQS"],
    ["machine", "invariant", "domain_alive"],
    ["machine", "assertion", "list_not_corrupted"],
  ];
  for (const name of ["__proto__", "constructor", "prototype"]) {
    for (const [kind, where, word] of cases) {
      it(`${kind}: rejects a ${where} named ${name} with a located diagnostic`, () => {
        const rel = KINDS[kind];
        const before = readFileSync(join(SPECS, rel), "utf8");
        expect(before, `${word} is not in ${rel}`).toMatch(new RegExp(`"${word}"`));
        const text = before.replace(new RegExp(`\\b${word}\\b`, "g"), name);
        const d = new Diagnostics();
        const r = runFront(loadFiles({ [rel]: text }, d), d);
        expect(r.ok, "accepted").toBe(false);
        if (r.ok) return;
        const lineOf = (x: { line: number }) => text.split("\n")[x.line - 1] ?? "";
        const hit = r.diagnostics.find((x) => x.message.includes(name) && lineOf(x).includes(name));
        expect(hit, JSON.stringify(r.diagnostics.slice(0, 5))).toBeDefined();
        expect(hit!.file).toBe(`specs/${rel}`);
        expect(hit!.line).toBeGreaterThanOrEqual(1);
        expect(hit!.col).toBeGreaterThanOrEqual(1);
        expect(hit!.message).not.toMatch(/\n\s+at /);
      });
    }
  }
});
