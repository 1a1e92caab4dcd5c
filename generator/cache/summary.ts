import type { SpecSource } from "../load/source.ts";
import { digestOf } from "./digest.ts";

/**
 * What the caches ask of every spec of a tree on every run, whether or not it changed: the
 * digest of its text, its name and kind, and the strings by which it may name another spec.
 * A source the cached loader did not read (sources.ts) carries it from the last run.
 */
export interface SpecSummary {
  digest: string;
  name: string;
  kind: string;
  /**
   * Every distinct string value of the document that could be a spec name or a qualified name
   * under one (deps.ts says which strings reach a spec, and why every value is read).
   */
  refs: string[];
}

/** A source whose summary is known without reading it. */
export type SummarizedSource = SpecSource & { readonly summary?: SpecSummary };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const made = new WeakMap<SpecSource, SpecSummary>();

/** The summary of `s`: the one it carries, else made from its text and value, once per source. */
export function summaryOf(s: SpecSource): SpecSummary {
  const carried = (s as SummarizedSource).summary;
  if (carried) return carried;
  let m = made.get(s);
  if (!m) made.set(s, (m = summarize(s)));
  return m;
}

function summarize(s: SpecSource): SpecSummary {
  const j = s.json as { name?: unknown; kind?: unknown } | null;
  const refs = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      if (v.length <= 200 && NAME.test(v)) refs.add(v);
    } else if (Array.isArray(v)) for (const x of v) visit(x);
    else if (v && typeof v === "object") for (const k in v) visit((v as Record<string, unknown>)[k]);
  };
  visit(s.json);
  return { digest: digestOf(s.text), name: typeof j?.name === "string" ? j.name : "", kind: typeof j?.kind === "string" ? j.kind : "", refs: [...refs].sort() };
}
