/** Spec fields against the positions gcc reported: missing, extra, moved, resized, renamed-looking. */
import { bitsText as formatBits } from "../elaborate/bits.ts";
import type { Position, Finding } from "./types.ts";

const bits = (p: Position) => `bits ${formatBits(p.lsb, p.width)}`;

export function compare(spec: { path: string; lsb: number; width: number }[], header: Map<string, Position | "scattered" | "none">): Finding[] {
  const findings: Finding[] = [];
  const specPaths = new Set(spec.map((e) => e.path));
  const placed = new Map<string, Position>();
  for (const [path, p] of header) {
    if (p === "scattered") findings.push({ kind: "scattered", path, message: `${path}: its bits are not contiguous in the header` });
    else if (p !== "none") placed.set(path, p);
  }
  // A member that is a plain integer where the spec nests a layout: its sub-fields are not named.
  const opaque = [...placed.keys()].filter(
    (p) => spec.some((e) => e.path.startsWith(p + ".")) && ![...header.keys()].some((h) => h.startsWith(p + ".")),
  );
  const unmatchedHeader = new Set([...placed.keys()].filter((p) => !specPaths.has(p)));
  for (const e of spec) {
    const h = placed.get(e.path);
    const sp = { lsb: e.lsb, width: e.width };
    if (h) {
      if (h.lsb !== e.lsb) {
        findings.push({ kind: "moved", path: e.path, spec: sp, header: { ...h, path: e.path }, message: `${e.path}: spec ${bits(sp)}, header ${bits(h)}` });
      } else if (h.width !== e.width) {
        findings.push({ kind: "resized", path: e.path, spec: sp, header: { ...h, path: e.path }, message: `${e.path}: spec ${bits(sp)} (${e.width} wide), header ${bits(h)} (${h.width} wide)` });
      }
      continue;
    }
    if (opaque.some((p) => e.path.startsWith(p + ".")) && !header.has(e.path)) continue;
    const parent = e.path.split(".").slice(0, -1).join(".");
    const twin = [...unmatchedHeader].find((p) => {
      const q = placed.get(p)!;
      return q.lsb === e.lsb && q.width === e.width && p.split(".").slice(0, -1).join(".") === parent;
    });
    if (twin) {
      unmatchedHeader.delete(twin);
      findings.push({ kind: "renamed", path: e.path, spec: sp, header: { ...placed.get(twin)!, path: twin }, message: `${e.path}: header calls ${bits(sp)} "${twin}"` });
    } else {
      findings.push({ kind: "missing", path: e.path, spec: sp, message: `${e.path}: spec ${bits(sp)}, not in the header` });
    }
  }
  for (const p of unmatchedHeader) {
    const h = placed.get(p)!;
    findings.push({ kind: "extra", path: p, header: { ...h, path: p }, message: `${p}: header ${bits(h)}, not in the spec` });
  }
  for (const [path, p] of header) {
    if (p === "none" && specPaths.has(path)) {
      const e = spec.find((x) => x.path === path)!;
      findings.push({ kind: "missing", path, spec: { lsb: e.lsb, width: e.width }, message: `${path}: declared in the header but outside raw` });
    }
  }
  const order = (f: Finding) => f.spec?.lsb ?? f.header?.lsb ?? 0;
  return findings.sort((a, b) => order(a) - order(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The spec's element addresses against what the header's macro computes: `expected` maps each
 * probed argument (element index; 0 for an object-like macro) to the spec's address, `name`
 * spells an element for messages.
 */
export function compareAddresses(
  expected: Map<number, bigint>,
  header: Map<number, bigint>,
  spell: (arg: number) => { path: string; element?: number; call: string },
): Finding[] {
  const out: Finding[] = [];
  for (const [arg, spec] of expected) {
    const got = header.get(arg);
    if (got === spec) continue;
    const s = spell(arg);
    const h = got === undefined ? "nothing" : `0x${got.toString(16)}`;
    out.push({
      kind: "address",
      path: s.path,
      ...(s.element !== undefined ? { element: s.element } : {}),
      address: { spec: `0x${spec.toString(16)}`, header: h },
      message: `${s.path}: spec 0x${spec.toString(16)}, header ${s.call} = ${h}`,
    });
  }
  return out;
}
