import { existsSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmitCache, MARK_EVERY_MS, MAX_AGE_MS, SWEPT } from "../../generator/cache/store.ts";
import { tempDir } from "../helpers/project.ts";

const DAY = 24 * 3600 * 1000;
const key = (n: number) => n.toString(16).padStart(64, "0");
const file = (dir: string, n: number) => join(dir, `${key(n)}.json`);
const setTime = (path: string, ms: number) => utimesSync(path, ms / 1000, ms / 1000);
const entry = (n: number) => [{ path: `ts/f${n}.ts`, lang: "ts" as const, source: "specs/x.json", content: `export const x${n} = ${n};\n` }];

describe("emit cache: marking and sweeping", () => {
  it("removes entries unused for two weeks, keeps used and young ones and files not named like entries", () => {
    const dir = tempDir("hwspec-prune-");
    const now = Date.now();
    const writer = new EmitCache(dir);
    for (const n of [1, 2, 3]) writer.put(key(n), entry(n));
    writeFileSync(join(dir, "notes.txt"), "mine\n");
    setTime(file(dir, 1), now - MAX_AGE_MS - DAY);
    setTime(file(dir, 2), now - MAX_AGE_MS - DAY);
    setTime(join(dir, "notes.txt"), now - MAX_AGE_MS - DAY);
    // A later run uses entry 2 only; entry 3 is young.
    const run = new EmitCache(dir);
    expect(run.get(key(2))?.[0]?.content).toBe("export const x2 = 2;\n");
    run.pruneDisk(now);
    expect([1, 2, 3].map((n) => existsSync(file(dir, n)))).toEqual([false, true, true]);
    expect(existsSync(join(dir, "notes.txt"))).toBe(true);
  });

  it("sweeps at most once a day", () => {
    const dir = tempDir("hwspec-prune-");
    const now = Date.now();
    const c = new EmitCache(dir);
    c.put(key(1), entry(1));
    c.pruneDisk(now);
    expect(existsSync(join(dir, SWEPT))).toBe(true);
    // An entry that ages out after the sweep stays until the next day's sweep.
    setTime(file(dir, 1), now - MAX_AGE_MS - DAY);
    new EmitCache(dir).pruneDisk(now + MARK_EVERY_MS / 2);
    expect(existsSync(file(dir, 1))).toBe(true);
    new EmitCache(dir).pruneDisk(now + MARK_EVERY_MS + 1000);
    expect(existsSync(file(dir, 1))).toBe(false);
  });

  it("marks an entry it reads only when its mark is more than a day old", () => {
    const dir = tempDir("hwspec-prune-");
    const now = Date.now();
    new EmitCache(dir).put(key(1), entry(1));
    new EmitCache(dir).putRecord(key(2), { any: "record" });
    const recent = now - MARK_EVERY_MS / 2;
    const old = now - 3 * DAY;
    setTime(file(dir, 1), recent);
    setTime(file(dir, 2), recent);
    const r1 = new EmitCache(dir);
    expect(r1.get(key(1))).toBeDefined();
    expect(r1.getRecord(key(2))).toEqual({ any: "record" });
    expect([1, 2].map((n) => Math.round(statSync(file(dir, n)).mtimeMs))).toEqual([Math.round(recent), Math.round(recent)]);
    setTime(file(dir, 1), old);
    setTime(file(dir, 2), old);
    const r2 = new EmitCache(dir);
    expect(r2.get(key(1))).toBeDefined();
    expect(r2.getRecord(key(2))).toEqual({ any: "record" });
    for (const n of [1, 2]) expect(statSync(file(dir, n)).mtimeMs).toBeGreaterThanOrEqual(now - 1000);
  });
});
