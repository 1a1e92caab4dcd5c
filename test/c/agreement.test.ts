/**
 * Cross-language agreement: for every register and layout of every registers spec, the generated C
 * bit-fields, the generated C mask helpers, the generated TypeScript accessors and the model's
 * reference decoder read the same field values from the same raw values, and setting a field then
 * reading it back agrees everywhere. The TypeScript side writes the vectors; a generated C program
 * reads them and prints what C sees.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { u64FromBigInt, u64ToBigInt, type U64 } from "../../generated/ts/support.ts";
import { decodeValue } from "../../generator/inspect/decode.ts";
import { GENERATED, projectFront, tempDir } from "../helpers/project.ts";
import { agreementProgram, gcc, ones, prng, shapesOf, stepsOf, STRICT, tsModules, type ShapeInfo } from "./harness.ts";

const VECTORS_PER_SHAPE = 1000;
const front = projectFront();
const infos = shapesOf(front);

interface Api {
  qname: string;
  width: number;
  get: Record<string, (v: unknown) => unknown>;
  decode(v: unknown): Record<string, unknown>;
  patch(v: unknown, f: object): unknown;
}

const toBig = (x: unknown): bigint =>
  typeof x === "boolean" ? (x ? 1n : 0n) : typeof x === "number" ? BigInt(x) : u64ToBigInt(x as U64);
const tsRaw = (width: number, v: bigint): unknown => (width > 32 ? u64FromBigInt(v, 64) : Number(v));

let apis: Map<string, Api>;
let cOut: string[];
let vectors: { info: ShapeInfo; raw: bigint; target: number; value: bigint }[];

beforeAll(async () => {
  apis = new Map();
  for (const mod of (await tsModules(front)).values()) {
    for (const v of Object.values(mod)) {
      if (v && typeof v === "object" && "qname" in v && "decode" in v) apis.set((v as Api).qname, v as Api);
    }
  }
  // Vectors: 0, all ones, then seeded random raw values; each also sets one field to a random value.
  const next = prng(0x6877737065630001n);
  vectors = [];
  for (const info of infos) {
    const w = info.shape.width;
    for (let i = 0; i < VECTORS_PER_SHAPE; i++) {
      const raw = i === 0 ? 0n : i === 1 ? ones(w) : next() & ones(w);
      const target = Number(next() % BigInt(Math.max(1, info.entries.length)));
      const value = info.entries.length ? next() & ones(info.entries[target]!.width) : 0n;
      vectors.push({ info, raw, target, value });
    }
  }
  const dir = tempDir("hwspec-c-agree-");
  const headers = [...new Set(infos.map((i) => join(GENERATED, "c", i.spec.rel.replace(/\.json$/, ".h"))))];
  writeFileSync(join(dir, "agree.c"), agreementProgram(infos, headers, front.lookup));
  const index = new Map(infos.map((x, i) => [x, i]));
  writeFileSync(
    join(dir, "vectors.txt"),
    vectors.map((v) => `${index.get(v.info)} ${v.raw.toString(16)} ${v.target} ${v.value.toString(16)}`).join("\n") + "\n",
  );
  mkdirSync(join(dir, "bin"), { recursive: true });
  const built = gcc([...STRICT, "-O1", "-o", join(dir, "bin", "agree"), join(dir, "agree.c")]);
  if (!built.ok) throw new Error(`gcc failed on the agreement program:\n${built.stderr}`);
  const run = spawnSync(join(dir, "bin", "agree"), { input: readFileSync(join(dir, "vectors.txt")), encoding: "utf8", maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`agreement program failed: ${run.stderr}`);
  cOut = run.stdout.trimEnd().split("\n");
});

describe("C bit-fields, C helpers and TS accessors agree", () => {
  it("runs at least 1,000 vectors per register and layout", () => {
    expect(infos.length).toBeGreaterThan(0);
    expect(cOut.length).toBe(vectors.length);
    expect(vectors.length).toBeGreaterThanOrEqual(infos.length * 1000);
  });

  for (const info of infos) {
    it(`${info.shape.qname}: every field, nested paths included`, () => {
      const api = apis.get(info.shape.qname);
      expect(api, `generated TS for ${info.shape.qname}`).toBeDefined();
      const mismatches: string[] = [];
      vectors.forEach((v, line) => {
        if (v.info !== info) return;
        const [bitfieldPart, helperPart, setPart] = cOut[line]!.split("|").map((s) => s.trim().split(/\s+/).filter(Boolean).map((x) => BigInt(`0x${x}`)));
        expect(bitfieldPart!.length).toBe(info.entries.length);
        expect(helperPart!.length).toBe(info.entries.length);
        if (info.entries.length) expect(setPart!.length).toBe(4);
        const ref = decodeValue(info.shape, v.raw, front.lookup).fields;
        const tsv = tsRaw(info.shape.width, v.raw);
        const decoded = api!.decode(tsv);
        info.entries.forEach((e, k) => {
          const want = BigInt(ref[k]!.value);
          const viaTs = tsGet(api!, e.path, tsv);
          const viaDecode = e.layout ? want : toBig(e.path.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], decoded));
          const got = { bitfield: bitfieldPart![k], helper: helperPart![k], ts: viaTs, decode: viaDecode };
          for (const [how, x] of Object.entries(got)) {
            if (x !== want) mismatches.push(`raw 0x${v.raw.toString(16)} ${e.path}: model 0x${want.toString(16)}, ${how} 0x${x?.toString(16)}`);
          }
        });
        if (!info.entries.length) return;
        const e = info.entries[v.target]!;
        const mask = ones(e.width) << BigInt(e.lsb);
        const expected = (v.raw & ~mask) | (v.value << BigInt(e.lsb));
        const viaTs = toBig(api!.patch(tsv, patchObject(e.path, e.width, !!e.layout, v.value, stepsOf(info.shape, e.path, front.lookup).length)));
        const [cBitfield, cHelper, backBitfield, backHelper] = setPart!;
        const results = { "C bit-field set": cBitfield, "C helper set": cHelper, "TS patch": viaTs };
        for (const [how, x] of Object.entries(results)) {
          if (x !== expected) mismatches.push(`raw 0x${v.raw.toString(16)} set ${e.path}=0x${v.value.toString(16)}: want 0x${expected.toString(16)}, ${how} 0x${x?.toString(16)}`);
        }
        const backTs = tsGet(api!, e.path, tsRaw(info.shape.width, viaTs));
        for (const [how, x] of Object.entries({ "C bit-field": backBitfield, "C helper": backHelper, TS: backTs })) {
          if (x !== v.value) mismatches.push(`set-then-get ${e.path}=0x${v.value.toString(16)} read back 0x${x?.toString(16)} via ${how}`);
        }
      });
      expect(mismatches.slice(0, 10)).toEqual([]);
    });
  }

  /** Reads a dotted path through the generated `get` functions, layer by layer. */
  function tsGet(api: Api, path: string, v: unknown): bigint {
    let cur: Api = api;
    let val = v;
    const segs = path.split(".");
    segs.forEach((seg, i) => {
      val = cur.get[seg]!(val);
      if (i < segs.length - 1) {
        const field = lookupShape(cur.qname).fields.find((x) => x.name === seg)!;
        cur = apis.get(field.layout!)!;
      }
    });
    return toBig(val);
  }

  function lookupShape(qname: string) {
    return (front.lookup.registers.get(qname) ?? front.lookup.layouts.get(qname))!;
  }

  /** `{a: {b: value}}` in the types the generated patch functions take. */
  function patchObject(path: string, width: number, isLayout: boolean, value: bigint, depth: number): object {
    const segs = path.split(".");
    let leaf: unknown = width === 1 && !isLayout ? value === 1n : width > 32 ? u64FromBigInt(value, 64) : Number(value);
    for (let i = depth - 1; i >= 0; i--) leaf = { [segs[i]!]: leaf };
    return leaf as object;
  }
});
