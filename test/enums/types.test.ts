/**
 * Typed enums at compile time: a consumer module (test/fixtures/enums/consumer.ts) uses the
 * generated code of the fixture with names, values and wrong names, under strict tsc. Its
 * `@ts-expect-error` lines are the assertions.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strictTsc } from "../helpers/tsc.ts";
import { FIXTURE, generateFixture } from "./fixture.ts";

let dir = "";
let cleanup = () => {};
beforeAll(async () => {
  ({ dir, cleanup } = await generateFixture());
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
});
afterAll(() => cleanup());

describe("generated enum types", () => {
  it("accept names and values, refuse wrong names, and type decoded values by what the enum covers", () => {
    copyFileSync(join(FIXTURE, "consumer.ts"), join(dir, "consumer.ts"));
    expect(strictTsc(dir, ["ts/**/*.ts", "consumer.ts"])).toBe("");
  });

  it("the consumer's directives are live: a wrong name without one is reported at its line", () => {
    const text = readFileSync(join(FIXTURE, "consumer.ts"), "utf8");
    const lines = text.split("\n");
    const at = lines.findIndex((l) => l.includes(`mstatus.set.mpp(unnamed, "H")`));
    expect(lines[at - 1]).toContain("@ts-expect-error");
    lines.splice(at - 1, 1);
    writeFileSync(join(dir, "consumer.ts"), lines.join("\n"));
    const out = strictTsc(dir, ["ts/**/*.ts", "consumer.ts"]);
    expect(out).toMatch(new RegExp(`consumer\\.ts\\(${at},\\d+\\): error TS2345: Argument of type '"H"'`));
    // And a directive over a line that compiles is itself an error, so none of them can go stale.
    writeFileSync(join(dir, "consumer.ts"), `${text}\n// @ts-expect-error\nmstatus.set.mpp(0 as never, "M");\n`);
    expect(strictTsc(dir, ["ts/**/*.ts", "consumer.ts"])).toMatch(/Unused '@ts-expect-error' directive/);
  });
});
