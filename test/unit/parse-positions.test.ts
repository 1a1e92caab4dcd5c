import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { parseSpec, parseWithPositions } from "../../generator/load/parse.ts";

const ROOT = join(import.meta.dirname, "..", "..");

function jsonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? jsonFiles(p) : n.endsWith(".json") ? [p] : [];
  });
}

/** Every JSON pointer of a value, objects' members and arrays' elements included. */
function pointers(v: unknown, at = ""): string[] {
  if (!v || typeof v !== "object") return [at];
  const kids = Array.isArray(v) ? v.map((x, i) => pointers(x, `${at}/${i}`)) : Object.entries(v).map(([k, x]) => pointers(x, `${at}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`));
  return [at, ...kids.flat()];
}

const plain = (l: object) => ({ ...l });

describe("parseSpec reads positions on demand", () => {
  const files = [...jsonFiles(join(ROOT, "specs")), ...jsonFiles(join(ROOT, "test", "fixtures"))];

  it("finds spec files to compare", () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it("gives every value and key of every spec and fixture the same JSON, line and column as the positional parse", () => {
    let compared = 0;
    let onDemand = 0;
    for (const path of files) {
      const rel = relative(ROOT, path);
      const text = readFileSync(path, "utf8");
      const d1 = new Diagnostics();
      const d2 = new Diagnostics();
      const lazy = parseSpec(rel, rel, text, d1);
      const eager = parseWithPositions(rel, rel, text, d2);
      expect(d1.items, rel).toEqual(d2.items);
      expect(!!lazy, rel).toBe(!!eager);
      if (!lazy || !eager) continue;
      expect(lazy.json, rel).toEqual(eager.json);
      // A getter: this file took the JSON.parse path, whose positions are found when first read.
      if (Object.getOwnPropertyDescriptor(lazy.at(""), "line")?.get) onDemand++;
      for (const p of [...pointers(eager.json), "/no/such/member"]) {
        expect(plain(lazy.at(p)), `${rel} ${p}`).toEqual(plain(eager.at(p)));
        expect(plain(lazy.keyAt(p)), `${rel} ${p}`).toEqual(plain(eager.keyAt(p)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(onDemand).toBeGreaterThan(50);
  });

  it("reports duplicate keys, inexact integers, comments and syntax errors exactly as the positional parse", () => {
    const texts = [
      '{\n  "a": 1,\n  "b": {"x": 1, "x": 2}\n}\n',
      '{"a": {"__proto__": 1, "__proto__": 2}}',
      '{"n": 18446744073709551615}',
      '{"n": [1e30]}',
      '// comment\n{"a": /* here */ 1, "a": 2}',
      '{"a": "colon: inside \\" a string", "b": 2, "b": 3}',
      // Strings ending in escaped backslashes, and escaped quotes before colons, end where JSON says.
      '{"a\\\\": ":", "a\\\\": 2}',
      '{"a": "\\\\\\":x", "c": {"k\\\\\\"": 1, "k\\\\\\"": "::"}}',
      '{"a": "\\\\", "b": ":\\\\:"}',
      // A colon written as an escape is one inside a string that the text does not show.
      '{"a": "\\u003a", "b": 1, "b": 2}',
      '{"a\\u003A": 1, "a:": 2, "c": "x:y"}',
      '{"a": 1,}',
      '{"a": ',
      "",
    ];
    for (const text of texts) {
      const d1 = new Diagnostics();
      const d2 = new Diagnostics();
      const lazy = parseSpec("t.json", "t.json", text, d1);
      const eager = parseWithPositions("t.json", "t.json", text, d2);
      expect(d1.items, text).toEqual(d2.items);
      expect(lazy?.json, text).toEqual(eager?.json);
      if (lazy && eager) expect(plain(lazy.keyAt("/a"))).toEqual(plain(eager.keyAt("/a")));
    }
    // The corpus above must exercise the refusals, not only pass through.
    const d = new Diagnostics();
    parseSpec("t.json", "t.json", texts[1]!, d);
    expect(d.items.map((x) => x.message)).toEqual(['duplicate key "__proto__" (first defined at line 1, column 8)']);
  });
});
