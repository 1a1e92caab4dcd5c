import type { ElabModel } from "./model.ts";

/** Version of the JSON shape `hwspec model --json` prints; docs/model-json.md describes it. */
export const MODEL_JSON_VERSION = 2;

/**
 * The elaborated model as plain JSON: integers that may exceed 2^53 (values, masks, indices) as
 * `0x` hex strings, Maps as objects, expressions as their source text, the typed-expression cache
 * left out. Source locations stay, so a consumer can point back into the specs.
 */
export function modelToJson(model: ElabModel): unknown {
  return { version: MODEL_JSON_VERSION, specs: model.specs.map((s) => plain(s)) };
}

function plain(v: unknown): unknown {
  if (typeof v === "bigint") return `0x${v.toString(16)}`;
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  // A set of names (an overlay's inherited items): sorted, so the output is the same bytes every run.
  if (v instanceof Set) return [...v].map((x) => plain(x)).sort();
  if (Array.isArray(v)) return v.map((x) => plain(x));
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    // An expression: the text the user wrote is the stable interface; the AST is an internal form.
    if ("ast" in o && "text" in o) return { text: o.text, ...(o.loc ? { loc: o.loc } : {}) };
    // A flattened field: the field itself is listed under its own shape, so name it by path.
    if (Array.isArray(o.path) && o.field && typeof o.field === "object") {
      const f = o.field as { width: number };
      return { path: o.path.join("."), lsb: o.lsb, width: f.width, mask: plain(o.mask), access: o.access };
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) {
      if (x === undefined || SKIP.has(k)) continue;
      out[k] = plain(x);
    }
    return out;
  }
  return v;
}

/** Internal forms with no meaning outside the generator. */
const SKIP = new Set(["typed", "span", "stmts", "memberLocs", "bitLocs"]);
