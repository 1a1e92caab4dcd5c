/**
 * The identifier namespace keeps claims in a table of character hashes and takes identifiers as a
 * head and a tail: its verdicts must be exactly those of a set of whole strings, wherever the
 * split falls and however large the namespace grows.
 */
import { describe, expect, it } from "vitest";
import { Diagnostics, type Loc } from "../../generator/diagnostics.ts";
import { IdentifierScope } from "../../generator/elaborate/names/scope.ts";
import { reservedIn, reservedInCJoined } from "../../generator/elaborate/names/reserved-words.ts";

const at = (line: number): Loc => ({ file: "t.json", line, col: 1, pointer: `/x/${line}` });

/** The same claims checked by a plain Set of the joined strings: the messages a namespace must give. */
function expected(claims: [string, string][]): string[] {
  const first = new Map<string, number>();
  const out: string[] = [];
  claims.forEach(([h, t], i) => {
    const id = h + t;
    const prior = first.get(id);
    if (prior === undefined) first.set(id, i);
    else out.push(`${i}: claim ${i} needs the C identifier "${id}", already taken by claim ${prior} (t.json:${prior}:1)`);
  });
  return out;
}

function actual(claims: [string, string][], expectedSize?: number): string[] {
  const d = new Diagnostics();
  const scope = new IdentifierScope("C", d, "", expectedSize);
  claims.forEach(([h, t], i) => scope.claimJoined(h, t, `claim ${i}`, at(i)));
  return d.items.map((e) => `${e.line}: ${e.message}`);
}

describe("IdentifierScope", () => {
  it("finds a collision wherever the identifier is split into head and tail", () => {
    const claims: [string, string][] = [["REG_EN", "_SHIFT"], ["REG_EN_", "SHIFT"], ["", "REG_EN_SHIFT"], ["REG_EN_SHIFT", ""], ["REG", "_EN_MASK"], ["REG_EN_MASK", ""]];
    expect(actual(claims)).toEqual(expected(claims));
    expect(actual(claims)).toHaveLength(4);
  });

  it("gives the verdicts of a set of strings over a namespace that grows far past its first size", () => {
    // A deterministic stream with many repeats and prefix overlaps (A_B + _C against A + _B_C).
    let seed = 12345;
    const next = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
    const parts = ["P", "P_R", "R_F", "F", "_", "_SHIFT", "_MASK", "get_", "x", "X1"];
    const claims: [string, string][] = [];
    for (let i = 0; i < 20000; i++) {
      const id = Array.from({ length: 1 + next(4) }, () => parts[next(parts.length)]).join("") + (next(3) ? String(next(3000)) : "");
      const cut = next(id.length + 1);
      claims.push([id.slice(0, cut), id.slice(cut)]);
    }
    const want = expected(claims);
    expect(want.length).toBeGreaterThan(1000);
    expect(actual(claims)).toEqual(want);
    expect(actual(claims, 50000)).toEqual(want);
  });

  it("does not report identifiers that are reserved before they are claimed as taken twice, and knows them", () => {
    const d = new Diagnostics();
    const scope = new IdentifierScope("C", d);
    scope.reserve(["raw", "raw"], "the raw value");
    expect(scope.has("raw")).toBe(true);
    expect(scope.has("ra")).toBe(false);
    scope.claimJoined("ra", "w", "field", at(3));
    expect(d.items.map((e) => e.message)).toEqual(['field needs the C identifier "raw", already taken by the raw value']);
  });
});

describe("reservedInCJoined", () => {
  it("agrees with reservedIn on every split of C words, <stdint.h> names and ordinary identifiers", () => {
    const names = ["int", "_Bool", "static_assert", "NULL", "linux", "uint8_t", "INT_LEAST8_MAX", "SIZE_MAX", "UINT64_C", "WCHAR_MIN", "REG_EN_SHIFT", "uart_get_en", "INT_LEAST8_MAXX", "in", "t", "X_MAX", "_t", ""];
    for (const name of names) {
      for (let cut = 0; cut <= name.length; cut++) expect(reservedInCJoined(name.slice(0, cut), name.slice(cut)), `${name} cut at ${cut}`).toBe(reservedIn("C", name));
    }
  });
});
