import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { strictTsc } from "../helpers/tsc.ts";
import { Diagnostics, type Diagnostic } from "../../generator/diagnostics.ts";
import type { OutFile } from "../../generator/emit/types.ts";
import { decodeValue, fieldEntries } from "../../generator/inspect/decode.ts";
import { loadFiles } from "../../generator/load/tree.ts";
import { runBack, runFront, type Front } from "../../generator/pipeline.ts";
import { ROOT, SPECS, tempDir } from "../helpers/project.ts";
import { listSpecFiles } from "../../generator/load/tree.ts";
import { mutatedSpecArb, projectMutationArb, validSpecArb, type Spec } from "./arbitraries.ts";
import { readFileSync } from "node:fs";
import { relative, sep } from "node:path";

/** FUZZ_RUNS (npm run fuzz: 10,000) scales every property; the default keeps `npm test` modest. */
const RUNS = Number(process.env.FUZZ_RUNS) || 200;
const VALID_RUNS = Math.max(20, Math.floor(RUNS / 10));
/** Mutations of the project's own specs (every kind); their pipeline runs cost more than small fuzz specs. */
const PROJECT_RUNS = Math.max(100, Math.floor(RUNS / 2));
const TSC_SAMPLES = 3;
/** Long runs (npm run fuzz) need more than the suite's per-test timeout; this is not a timing assertion. */
const TIMEOUT = { timeout: Math.max(120_000, RUNS * 250) };
const FILE = "fuzz/spec.json";

type Outcome = { ok: true; front: Front; files: OutFile[] } | { ok: false; diagnostics: Diagnostic[] };

/** The whole pipeline over one spec text; any exception is a failure of the property. */
async function pipeline(text: string, file = FILE): Promise<Outcome> {
  const d = new Diagnostics();
  const r = runFront(loadFiles({ [file]: text }, d), d);
  if (!r.ok) return r;
  return { ok: true, front: r.front, files: await runBack(r.front) };
}

function expectLocated(diags: Diagnostic[], text: string, file = FILE) {
  expect(diags.length).toBeGreaterThan(0);
  const lines = text.split("\n").length;
  for (const x of diags) {
    const what = JSON.stringify(x);
    expect(x.file, what).toBe(`specs/${file}`);
    expect(Number.isInteger(x.line) && x.line >= 1 && x.line <= lines + 1, what).toBe(true);
    expect(Number.isInteger(x.col) && x.col >= 1, what).toBe(true);
    expect(typeof x.pointer, what).toBe("string");
    expect(x.pointer === "" || x.pointer.startsWith("/"), what).toBe(true);
    expect(typeof x.message === "string" && x.message.trim().length > 0, what).toBe(true);
    expect(x.message, what).not.toMatch(/\n\s+at |TypeError|ReferenceError|undefined is not|Cannot read prop/);
  }
}

interface Ns {
  decode(v: unknown): Record<string, unknown>;
  encode(f: object): unknown;
  fromBigInt(x: bigint): unknown;
  toBigInt(v: unknown): bigint;
}
const toBig = (x: unknown): bigint =>
  typeof x === "boolean" ? (x ? 1n : 0n) : typeof x === "number" ? BigInt(x) : typeof x === "bigint" ? x : BigInt((x as { hi: number }).hi) * 2n ** 32n + BigInt((x as { lo: number }).lo >>> 0);
const at = (obj: Record<string, unknown>, path: string): unknown => path.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], obj);

function writeOut(dir: string, files: OutFile[]) {
  for (const f of files) {
    const path = join(dir, f.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
}

describe("fuzzing the pipeline", () => {
  it(`mutated specs end in generated code or located diagnostics (${RUNS} runs)`, TIMEOUT, async () => {
    const kinds = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(mutatedSpecArb, async (m) => {
        kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
        let out: Outcome;
        try {
          out = await pipeline(m.text);
        } catch (e) {
          throw new Error(`exception escaped the pipeline (${m.kind}): ${(e as Error).stack}\n--- spec ---\n${m.text}`);
        }
        if (out.ok) expect(out.files.some((f) => f.path.endsWith("fuzz/spec.ts"))).toBe(true);
        else expectLocated(out.diagnostics, m.text);
      }),
      { numRuns: RUNS },
    );
    expect(kinds.size).toBeGreaterThanOrEqual(6);
  });

  it(`mutated project specs (device, entries, machine, registers) end in generated code or located diagnostics (${PROJECT_RUNS} runs)`, TIMEOUT, async () => {
    const specs = listSpecFiles(SPECS).map((f) => ({ rel: relative(SPECS, f).split(sep).join("/"), spec: JSON.parse(readFileSync(f, "utf8")) as Spec }));
    expect(new Set(specs.map((x) => x.spec.kind))).toEqual(new Set(["registers", "device", "entries", "machine"]));
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(projectMutationArb(specs), async (m) => {
        seen.set(`${m.rel}:${m.kind}`, (seen.get(`${m.rel}:${m.kind}`) ?? 0) + 1);
        let out: Outcome;
        try {
          out = await pipeline(m.text, m.rel);
        } catch (e) {
          throw new Error(`exception escaped the pipeline (${m.rel}, ${m.kind}): ${(e as Error).stack}\n--- spec ---\n${m.text}`);
        }
        if (out.ok) expect(out.files.length).toBeGreaterThan(0);
        else expectLocated(out.diagnostics, m.text, m.rel);
      }),
      { numRuns: PROJECT_RUNS },
    );
    // Every kind of spec was mutated.
    for (const { rel } of specs.filter((x) => x.spec.kind !== "registers")) expect([...seen.keys()].some((k) => k.startsWith(`${rel}:`)), rel).toBe(true);
  });

  it(`valid specs generate accessors that round-trip and agree with the reference decoder (${VALID_RUNS} runs)`, TIMEOUT, async () => {
    const base = tempDir("hwspec-fuzz-");
    const compiled: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(validSpecArb, fc.array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), { minLength: 3, maxLength: 6 }), async ({ spec, shapes }, raws) => {
        const text = JSON.stringify(spec, null, 2);
        const out = await pipeline(text);
        if (!out.ok) throw new Error(`a valid spec was refused:\n${out.diagnostics.map((x) => `${x.line}:${x.col} ${x.message} [${x.pointer}]`).join("\n")}\n${text}`);
        const dir = join(base, `case${n++}`);
        writeOut(dir, out.files);
        const mod = (await import(/* @vite-ignore */ pathToFileURL(join(dir, "ts/fuzz/spec.ts")).href)) as Record<string, Ns>;
        if (compiled.length < TSC_SAMPLES) compiled.push(dir);
        const { lookup } = out.front;
        const all = [...lookup.layouts.values(), ...lookup.registers.values()].filter((s) => s.spec === "fuzz.spec");
        expect(all.map((s) => s.name).sort()).toEqual([...shapes].sort());
        for (const shape of all) {
          const ns = mod[shape.name];
          expect(ns, shape.name).toBeDefined();
          const named = fieldEntries(shape)
            .filter((f) => !f.layout)
            .reduce((m, f) => m | (((1n << BigInt(f.width)) - 1n) << BigInt(f.lsb)), 0n);
          for (const wide of [0n, (1n << 64n) - 1n, ...raws]) {
            const x = wide & ((1n << BigInt(shape.width)) - 1n);
            const v = ns!.fromBigInt(x);
            expect(ns!.toBigInt(v)).toBe(x);
            const decoded = ns!.decode(v);
            for (const f of decodeValue(shape, x, lookup).fields) {
              const got = at(decoded, f.path);
              if (f.layout) continue; // nested layout: its leaves are checked
              expect(toBig(got), `${shape.name}.${f.path} of 0x${x.toString(16)}`).toBe(BigInt(f.value));
            }
            // encode(decode(x)) = x on every named bit
            expect(ns!.toBigInt(ns!.encode(decoded)) & named, `${shape.name} encode(decode(0x${x.toString(16)}))`).toBe(x & named);
          }
        }
      }),
      { numRuns: VALID_RUNS },
    );

    // A sample of outputs passes tsc --noEmit (one compiler run over all of them).
    const output = strictTsc(base, compiled.map((d) => `${d}/ts`));
    expect(compiled.length).toBe(TSC_SAMPLES);
    expect(output).toBe("");
  });

  // 1e30 is an integer to the schema but not exact as a double: the loader must refuse it.
  for (const where of ["enum", "reset", "index"] as const) {
    it(`exponent-notation integer 1e30 as ${where} gets a located diagnostic`, async () => {
      const field: Record<string, unknown> = { bits: "7:0" };
      const reg: Record<string, unknown> = { index: 16, width: 32, fields: { a: field }, reserved: "res0" };
      if (where === "enum") field.enum = { E: "@" };
      if (where === "reset") field.reset = "@";
      if (where === "index") reg.index = "@";
      const text = JSON.stringify({ $schema: "x", kind: "registers", name: "a.b", doc: "", registers: { R: reg } }, null, 2).replace('"@"', "1e30");
      const out = await pipeline(text);
      expect(out.ok).toBe(false);
      if (!out.ok) expectLocated(out.diagnostics, text);
    });
  }
});
