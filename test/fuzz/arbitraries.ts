/**
 * fast-check generators of registers specs: random valid ones, and mutations of valid ones that
 * a user could plausibly produce (dropped keys, wrong types, overlapping bits, corrupt JSON text,
 * duplicate keys, huge numbers).
 */
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Spec = { [k: string]: Json };

const WIDTHS = [8, 16, 32, 64] as const;
const ACCESS = ["ro", "wo", "rw", "w1c", "rc"] as const;

/** Doc text: mostly plain, sometimes hostile (comment terminators, template syntax, bidi controls). */
export const docArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom("*/", "/*", "${", "`", '"', "'", "\\", "</script>", "{{", "}}", "\n", "\r\n", "\u202e", "\u2066", "\u2069", "??/", "#define", " ", "x"), { maxLength: 8 })
      .map((a) => a.join("")),
  },
);

const maskOf = (w: number) => (1n << BigInt(w)) - 1n;
const valueText = (v: bigint): Json => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v % 3n === 0n ? Number(v) : `0x${v.toString(16)}`);

/** Non-overlapping fields covering part of `width` bits (at least one field); the rest is reserved by policy. */
function fieldsArb(width: number, layouts: { name: string; width: number }[]): fc.Arbitrary<{ [k: string]: Json }> {
  return fc
    .uniqueArray(fc.integer({ min: 1, max: width - 1 }), { maxLength: Math.min(width - 1, 10) })
    .chain((cuts) => {
      const points = [0, ...cuts.sort((x, y) => x - y), width];
      const bits = points.slice(0, -1).map((lo, i) => bitsText(lo, points[i + 1]! - 1));
      return fc.tuple(fc.constant(bits), fc.tuple(...points.slice(0, -1).map((lo, i) => fieldArb(lo, points[i + 1]! - 1, layouts))));
    })
    .map(([bits, fields]) => {
      const out: { [k: string]: Json } = {};
      fields.forEach((f, i) => {
        if (f) out[`f${i}`] = f;
      });
      if (!Object.keys(out).length) out.f0 = { bits: bits[0]! };
      return out;
    });
}

const bitsText = (lo: number, hi: number) => (lo === hi ? `${lo}` : `${hi}:${lo}`);

function fieldArb(lo: number, hi: number, layouts: { name: string; width: number }[]): fc.Arbitrary<Spec | null> {
  const w = hi - lo + 1;
  const bits = bitsText(lo, hi);
  const nested = layouts.filter((l) => l.width === w);
  const plain = fc
    .record(
      {
        access: fc.constantFrom(...ACCESS),
        doc: docArb,
        reset: fc.bigInt({ min: 0n, max: maskOf(w) }).map(valueText),
        enum: fc
          .uniqueArray(fc.bigInt({ min: 0n, max: maskOf(w) }), { minLength: 1, maxLength: 3 })
          .map((vs) => Object.fromEntries(vs.map((v, i) => [`E${i}`, valueText(v)]))),
      },
      { requiredKeys: [] },
    )
    .map((r) => ({ bits, ...r }) as Spec);
  const options: fc.Arbitrary<Spec | null>[] = [plain, plain, fc.constant(null)];
  if (nested.length) options.push(fc.constantFrom(...nested).map((l) => ({ bits, layout: l.name }) as Spec));
  return fc.oneof(...options);
}

const policyArb = fc.constantFrom("res0", "res1", "ignore");

export interface ValidSpec {
  spec: Spec;
  /** Names of layouts and registers, for the round-trip checks. */
  shapes: string[];
}

/** A random valid registers spec: 0–3 layouts, 0–4 registers with contiguous MSR indices, an optional group. */
export const validSpecArb: fc.Arbitrary<ValidSpec> = fc
  .record({
    layoutWidths: fc.array(fc.constantFrom(...WIDTHS), { maxLength: 3 }),
    regWidths: fc.array(fc.constantFrom(...WIDTHS), { maxLength: 4 }),
    base: fc.integer({ min: 0, max: 0xffff }),
    group: fc.boolean(),
    doc: docArb,
  })
  .filter((r) => r.layoutWidths.length + r.regWidths.length > 0)
  // A group's registers share one width.
  .map((r) => (r.group ? { ...r, regWidths: r.regWidths.map(() => r.regWidths[0]!) } : r))
  .chain((r) => {
    const layoutMeta = r.layoutWidths.map((width, i) => ({ name: `lay${i}`, width }));
    const layouts = fc.tuple(
      ...layoutMeta.map((l, i) =>
        fc.record({ fields: fieldsArb(l.width, layoutMeta.slice(0, i)), reserved: policyArb, doc: docArb }, { requiredKeys: ["fields", "reserved"] }),
      ),
    );
    const registers = fc.tuple(
      ...r.regWidths.map((width) =>
        fc.record(
          { fields: fieldsArb(width, layoutMeta), reserved: policyArb, doc: docArb, access: fc.constantFrom(...ACCESS) },
          { requiredKeys: ["fields", "reserved"] },
        ),
      ),
    );
    return fc.tuple(fc.constant(r), fc.constant(layoutMeta), layouts, registers);
  })
  .map(([r, layoutMeta, layouts, registers]) => {
    const spec: Spec = { $schema: "../schema/registers.schema.json", kind: "registers", name: "fuzz.spec", doc: r.doc };
    const shapes: string[] = [];
    if (layouts.length) {
      spec.layouts = Object.fromEntries(layouts.map((l, i) => [layoutMeta[i]!.name, { width: layoutMeta[i]!.width, ...l } as Spec]));
      shapes.push(...layoutMeta.map((l) => l.name));
    }
    if (registers.length) {
      spec.registers = Object.fromEntries(
        registers.map((reg, i) => [`REG${i}`, { index: `0x${(r.base + i).toString(16)}`, width: r.regWidths[i]!, ...reg } as Spec]),
      );
      shapes.push(...registers.map((_, i) => `REG${i}`));
      if (r.group) spec.groups = { grp: { registers: registers.map((_, i) => `REG${i}`), available: "true" } };
    }
    return { spec, shapes };
  });

/** Every (container, key) pair in a JSON tree, for picking mutation sites. */
function sites(node: Json, out: { parent: Spec | Json[]; key: string | number }[] = []) {
  if (Array.isArray(node)) node.forEach((v, i) => (out.push({ parent: node, key: i }), sites(v, out)));
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) out.push({ parent: node, key: k }), sites(v, out);
  return out;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** Numbers no spec value may take; 1e30 is an integer to the schema but not exact as a double. */
const HUGE: Json[] = [2 ** 53 + 2, 1e30, -1, 1.5, "0x1ffffffffffffffffffff", "99999999999999999999999", "0x", "12abc", ""];
const WRONG: Json[] = [null, true, 0, "x", [], {}, [1, "a"], { bits: 3 }];

export type Mutation = { kind: string; text: string };

export const MUTATIONS = ["drop", "type", "overlap", "truncate", "insert", "duplicate", "huge", "rename"] as const;

/** A valid spec made invalid (or, by chance, still valid) in one of several ways; yields JSON text. */
export const mutatedSpecArb: fc.Arbitrary<Mutation> = fc
  .tuple(validSpecArb, fc.nat(), fc.nat(), fc.constantFrom(...MUTATIONS))
  .map(([{ spec }, a, b, kind]) => mutate(spec, a, b, kind));

/** A project spec (any kind) with one mutation; `rel` is its path under specs/. */
export function projectMutationArb(specs: readonly { rel: string; spec: Spec }[]): fc.Arbitrary<Mutation & { rel: string }> {
  return fc
    .tuple(fc.constantFrom(...specs), fc.nat(), fc.nat(), fc.constantFrom(...MUTATIONS))
    .map(([{ rel, spec }, a, b, kind]) => ({ rel, ...mutate(spec, a, b, kind) }));
}

/** Applies mutation `kind` to a copy of `spec`; `a` picks the site, `b` the replacement. */
export function mutate(spec: Spec, a: number, b: number, kind: (typeof MUTATIONS)[number]): Mutation {
  {
    const s = clone(spec);
    const all = sites(s);
    const site = all[a % all.length]!;
    const text = () => JSON.stringify(s, null, 2);
    switch (kind) {
      case "drop":
        if (Array.isArray(site.parent)) site.parent.splice(site.key as number, 1);
        else delete site.parent[site.key as string];
        return { kind, text: text() };
      case "type":
        (site.parent as Record<string | number, Json>)[site.key] = WRONG[b % WRONG.length]!;
        return { kind, text: text() };
      case "huge":
        (site.parent as Record<string | number, Json>)[site.key] = HUGE[b % HUGE.length]!;
        return { kind, text: text() };
      case "overlap": {
        const fields = all.filter((x) => x.key === "bits");
        for (const f of fields.slice(0, 2)) (f.parent as Spec).bits = `${b % 70}:${b % 3}`;
        return { kind, text: text() };
      }
      case "rename": {
        const names = ["__proto__", "constructor", "raw", "1abc", "a-b", "int", "class", "F0", "x".repeat(80), ""];
        if (!Array.isArray(site.parent) && typeof site.key === "string") {
          const v = site.parent[site.key]!;
          delete site.parent[site.key];
          Object.defineProperty(site.parent, names[b % names.length]!, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return { kind, text: text() };
      }
      case "truncate": {
        const t = text();
        return { kind, text: t.slice(0, a % t.length) };
      }
      case "insert": {
        const t = text();
        const junk = [",", "}", "]", "{", '"', ":", "\\", "\u0000", "//", "/*", "NaN", "0x10", "\ufeff"][b % 13]!;
        const at = a % (t.length + 1);
        return { kind, text: t.slice(0, at) + junk + t.slice(at) };
      }
      default: {
        // duplicate a `"key": value` line inside its object
        const lines = text().split("\n");
        const candidates = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*"[^"]+": [^{[]*,$/.test(l));
        if (!candidates.length) return { kind, text: text() + "\n{" };
        const [line, i] = candidates[a % candidates.length]!;
        lines.splice(i, 0, line);
        return { kind, text: lines.join("\n") };
      }
    }
  }
}
