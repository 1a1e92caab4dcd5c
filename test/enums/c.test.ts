/**
 * Enum members in the C headers: one `#define <LAYOUT>_<FIELD>_<MEMBER>` per member, usable in
 * constant expressions and with the field's accessors, under gcc -Werror; and C puts a member
 * where the TS setters put its name.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcc, STRICT } from "../c/harness.ts";
import { bitsOf, fixtureSpec, generateFixture } from "./fixture.ts";

let dir = "";
let cleanup = () => {};
beforeAll(async () => {
  ({ dir, cleanup } = await generateFixture());
});
afterAll(() => cleanup());

interface Member {
  layout: string;
  field: string;
  name: string;
  value: bigint;
  lsb: number;
  width: number;
  layoutWidth: number;
}

function members(): Member[] {
  const out: Member[] = [];
  for (const [layout, l] of Object.entries(fixtureSpec().layouts)) {
    for (const [field, f] of Object.entries(l.fields)) {
      for (const [name, v] of Object.entries(f.enum ?? {})) out.push({ layout, field, name, value: BigInt(v), ...bitsOf(f.bits), layoutWidth: l.width });
    }
  }
  return out;
}

/** The macro a C user writes, by the documented convention (docs/c-headers.md). */
const macro = (m: Member) => `${m.layout.toUpperCase()}_${m.field.toUpperCase()}_${m.name.toUpperCase()}`;

describe("C enum macros", () => {
  it("compile under -Werror, hold the spec's values at compile time, and agree with TS set-by-name", async () => {
    const all = members();
    expect(all.length).toBeGreaterThan(20);
    const lines = ["#include <inttypes.h>", "#include <stdio.h>", `#include "demo/csr.h"`, ""];
    for (const m of all) lines.push(`_Static_assert(${macro(m)} == UINT64_C(0x${m.value.toString(16)}), "${macro(m)}");`);
    lines.push("", "int main(void)", "{");
    for (const m of all) {
      const t = m.layoutWidth > 32 ? "uint64_t" : "uint32_t";
      // patch exists for every field (set only for writable ones); get must give the member back.
      lines.push(`    {`, `        ${t} v = ${m.layout}_patch_${m.field}(0, ${macro(m)});`);
      lines.push(`        if (${m.layout}_get_${m.field}(v) != ${macro(m)}) return 1;`);
      lines.push(`        printf("%s=%" PRIx64 "\\n", "${m.layout}.${m.field}.${m.name}", (uint64_t)v);`, `    }`);
    }
    lines.push("    return 0;", "}", "");
    writeFileSync(join(dir, "enums.c"), lines.join("\n"));
    const built = gcc([...STRICT, "-I", join(dir, "c"), join(dir, "enums.c"), "-o", join(dir, "enums")]);
    expect(built.stderr).toBe("");
    expect(built.ok).toBe(true);
    const ran = spawnSync(join(dir, "enums"), { encoding: "utf8" });
    expect(ran.status).toBe(0);
    const c = new Map(ran.stdout.trim().split("\n").map((l) => l.split("=") as [string, string]));
    const ts = (await import(pathToFileURL(join(dir, "ts/demo/csr.ts")).href)) as Record<string, { patch(v: unknown, p: object): unknown; fromBigInt(x: bigint): unknown; toBigInt(v: unknown): bigint }>;
    for (const m of all) {
      const key = `${m.layout}.${m.field}.${m.name}`;
      const expected = m.value << BigInt(m.lsb);
      expect(BigInt(`0x${c.get(key)}`), key).toBe(expected);
      const L = ts[m.layout]!;
      expect(L.toBigInt(L.patch(L.fromBigInt(0n), { [m.field]: m.name })), key).toBe(expected);
    }
  });

  it("a misspelt member is a compile error, as a name TS refuses", () => {
    writeFileSync(join(dir, "typo.c"), `#include "demo/csr.h"\nunsigned long long f(void) { return MSTATUS_MPP_H; }\n`);
    const r = gcc([...STRICT, "-I", join(dir, "c"), "-c", join(dir, "typo.c"), "-o", join(dir, "typo.o")]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/MSTATUS_MPP_H/);
  });
});
