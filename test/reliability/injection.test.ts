import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { commentText, jsDoc, tsString } from "../../generator/emit/escape.ts";
import { loadFiles } from "../../generator/load/tree.ts";
import { runBack, runFront } from "../../generator/pipeline.ts";
import { ROOT, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";
import { codeOnly } from "./inert.ts";

const HOSTILE = [
  "end */ export const pwned = 1; /* start",
  "/* nested open",
  "template ${process.exit(1)} and `backtick` and \\` escaped",
  "quotes \" ' and \\\" and \\",
  "</script><script>alert(1)</script>",
  "{{constructor.constructor('x')()}} {{{raw}}}",
  "line one\nline two */ injected();\r\n// not a comment\u2028sep\u2029para",
  "Trojan \u202e source \u2066isolate\u2069 \u2067rtl\u2069 \u2068fsi\u2069 \u202a\u202b\u202c\u202d \u200e\u200f \u061c \ufeff bom",
  "NUL \u0000 and ESC \u001b[31m red",
  "#endif\n#define X 1\n#include </etc/passwd>",
  "*/ #error boom /*",
  "emoji \u{1F600} and \ud800 lone surrogate",
  "splice *\\\n/ trigraph ??/\n ???/ ??=define ??( ??) ??!*/ after_splice(); ends with backslash \\",
].join(" | ");

const PAYLOADS = ["pwned", "injected", "after_splice", "process.exit", "alert", "#define X", "passwd", "#error", "{{", "</script"];

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/;

function hostileSpec(doc: string) {
  const layout = (d: string) => ({
    width: 32,
    doc: d,
    fields: {
      lo: { bits: "7:0", doc: d, enum: { A: 0, B: 1 } },
      hi: { bits: "31", doc: d },
    },
    reserved: [{ bits: "30:8", policy: "res0", doc: d }],
  });
  return {
    $schema: "../schema/registers.schema.json",
    kind: "registers",
    name: "evil.spec",
    doc,
    source: doc,
    layouts: { evil_bits: layout(doc) },
    registers: {
      EVIL_REG: { index: "0x10", width: 32, access: "rw", doc, fields: { lo: { bits: "7:0", doc }, hi: { bits: "31", doc } }, reserved: "res0" },
    },
    groups: { evil: { registers: ["EVIL_REG"], available: "true", doc } },
    assert: [{ expr: "sizeof(EVIL_REG.raw) == 4", doc }],
  };
}


describe("escape helpers", () => {
  it("tsString round-trips through the JS parser and contains only printable ASCII", () => {
    const lit = tsString(HOSTILE);
    expect(lit).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(lit.replace(/\\u\{([0-9a-f]+)\}/g, (_, h) => String.fromCodePoint(parseInt(h, 16)).replace(/./su, (c) => JSON.stringify(c).slice(1, -1))))).toBe(HOSTILE);
    expect(new Function(`return ${lit};`)()).toBe(HOSTILE);
  });

  it("commentText and jsDoc never close the comment and carry no control or bidi characters", () => {
    for (const text of [commentText(HOSTILE), jsDoc(HOSTILE)]) {
      const body = text.startsWith("/**") ? text.slice(3, -4) : text;
      expect(body).not.toContain("*/");
      expect(body).not.toMatch(BIDI);
      expect(body).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    }
  });
});

describe("hostile docs in a registers spec", () => {
  it("generate code in which the hostile text is inert: tsc compiles it and gcc accepts the header", async () => {
    const d = new Diagnostics();
    const text = JSON.stringify(hostileSpec(HOSTILE), null, 2);
    const r = runFront(loadFiles({ "evil/spec.json": text }, d), d);
    if (!r.ok) throw new Error(r.diagnostics.map((x) => `${x.line}:${x.col} ${x.message}`).join("\n"));
    const files = await runBack(r.front);
    const dir = tempDir("hwspec-evil-");
    for (const f of files) {
      mkdirSync(dirname(join(dir, "generated", f.path)), { recursive: true });
      writeFileSync(join(dir, "generated", f.path), f.content);
    }
    const ours = files.filter((f) => f.path.includes("evil/"));
    expect(ours.map((f) => f.path).some((p) => p.endsWith(".ts"))).toBe(true);
    for (const f of ours) {
      // No raw bidi or control character anywhere; no comment closed early.
      expect(f.content, f.path).not.toMatch(BIDI);
      expect(f.content, f.path).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      const code = codeOnly(f.content);
      for (const p of PAYLOADS) expect(code.includes(p), `${f.path}: ${p} outside comments and strings`).toBe(false);
      // The doc is still there, as text.
      expect(f.content, f.path).toMatch(/Trojan/);
    }
    const tscOut = strictTsc(dir, ["generated/ts"]);
    expect(tscOut).toBe("");

    // The hostile strings survive as data: descriptors carry the reserved ranges' doc exactly
    // (a field's doc is its JSDoc alone, checked above as text).
    const mod = (await import(/* @vite-ignore */ join(dir, "generated/ts/evil/spec.ts"))) as Record<string, { reserved?: { doc?: string }[] }>;
    const docs = Object.values(mod).flatMap((v) => (v && typeof v === "object" && Array.isArray(v.reserved) ? v.reserved.map((r) => r.doc) : []));
    expect(docs).toContain(HOSTILE);

    const headers = ours.filter((f) => f.path.endsWith(".h"));
    const gcc = spawnSync("gcc", ["--version"]);
    if (headers.length && gcc.status === 0) {
      for (const h of headers) {
        const probe = join(dir, "probe.c");
        writeFileSync(probe, `#include "${join(dir, "generated", h.path)}"\nint main(void) { return 0; }\n`);
        const r = spawnSync("gcc", ["-std=c11", "-fsyntax-only", "-Wall", "-Werror", probe], { encoding: "utf8" });
        expect(r.stderr, h.path).toBe("");
        expect(r.status, h.path).toBe(0);
      }
    }
  });

  for (const name of ["__proto__", "constructor", "prototype"]) {
    for (const where of ["layout", "field", "register", "enum"] as const) {
      it(`rejects ${where} named ${name} with a located diagnostic`, () => {
        const spec = hostileSpec("ok") as Record<string, any>;
        if (where === "layout") spec.layouts = { [name]: spec.layouts.evil_bits };
        if (where === "field") spec.layouts.evil_bits.fields = { [name]: { bits: "7:0" }, hi: { bits: "31" } };
        if (where === "register") {
          spec.registers = { [name]: spec.registers.EVIL_REG };
          spec.groups.evil.registers = [name];
          spec.assert = [];
        }
        if (where === "enum") spec.layouts.evil_bits.fields.lo.enum = { [name]: 0 };
        // Object literals treat a computed __proto__ key as an own property, so the JSON text has it.
        const text = JSON.stringify(spec, null, 2);
        expect(text).toContain(`"${name}"`);
        const d = new Diagnostics();
        const r = runFront(loadFiles({ "evil/spec.json": text }, d), d);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        const hit = r.diagnostics.find((x) => x.message.includes(name));
        expect(hit, JSON.stringify(r.diagnostics)).toBeDefined();
        expect(hit!.file).toBe("specs/evil/spec.json");
        expect(hit!.line).toBeGreaterThanOrEqual(1);
        expect(hit!.col).toBeGreaterThanOrEqual(1);
        if (where === "enum") {
          // Enum members are reported at their field (a located diagnostic, one level coarser).
          expect(hit!.pointer).toBe("/layouts/evil_bits/fields/lo");
          expect(text.split("\n")[hit!.line - 1]).toContain('"lo"');
        } else {
          expect(hit!.pointer).toContain(name);
          expect(text.split("\n")[hit!.line - 1]).toContain(`"${name}"`);
        }
      });
    }
  }
});
