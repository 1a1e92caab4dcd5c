/**
 * IdTable, the packed string set under every identifier scope: it must answer exactly as a Map
 * from string to first-insertion number would, through growth and once a string needs more than
 * one byte per code unit.
 */
import { describe, expect, it } from "vitest";
import { IdTable } from "../../generator/elaborate/names/id-table.ts";

describe("IdTable", () => {
  it("numbers strings in the order first added and finds each again, through many rehashes", () => {
    const t = new IdTable();
    const ref = new Map<string, number>();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    // Short names over a small alphabet collide often, so both the new and the repeated path run.
    for (let i = 0; i < 50_000; i++) {
      let s = "";
      for (let k = 0, n = 1 + (next() % 5); k < n; k++) s += "abXY_0"[next() % 6];
      expect(t.add(s)).toBe(ref.get(s) ?? -1);
      if (!ref.has(s)) ref.set(s, ref.size);
    }
    expect(t.size).toBe(ref.size);
    for (const [s, n] of ref) expect(t.indexOf(s)).toBe(n);
    expect(t.indexOf("abXY_0abXY_0")).toBe(-1);
  });

  it("keeps strings added before and after one with code units above 0xff", () => {
    const t = new IdTable();
    expect([t.add("caf\u00e9"), t.add("x"), t.add("\u20ac_sign"), t.add("\ud83d\ude00"), t.add("")]).toEqual([-1, -1, -1, -1, -1]);
    expect([t.add("caf\u00e9"), t.add("x"), t.add("\u20ac_sign"), t.add("\ud83d\ude00"), t.add("")]).toEqual([0, 1, 2, 3, 4]);
    // Same length, same low bytes, different code units: not equal.
    expect(t.indexOf("\u00ac_sign")).toBe(-1);
    expect(t.indexOf("cafe")).toBe(-1);
  });
});
