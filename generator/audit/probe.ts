/** The probe: gcc compiles the user's header and reports where each member's bits live, one bit of `raw` at a time. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { AddressProbe, ScannedMember, Position } from "./types.ts";

export type ProbeResult =
  | { ok: true; positions: Map<string, Position | "scattered" | "none">; addresses: Map<number, bigint> }
  | { ok: false; message: string };

/**
 * The probe's source. With a C type it reads every member one bit of `raw` at a time; with an
 * address macro it prints the macro's value (at each argument for a function-like macro), so gcc,
 * not a text scan, says what the macro means.
 */
export function probeProgram(header: string, ctype: string | undefined, members: ScannedMember[], address?: AddressProbe): string {
  const L = ["#include <stdint.h>", "#include <stdio.h>", "#include <string.h>", `#include ${JSON.stringify(header)}`, ""];
  if (!ctype) {
    L.push("int main(void)", "{", ...addressLines(address), "    return 0;", "}", "");
    return L.join("\n");
  }
  L.push(`typedef ${ctype} hwspec_probe_t;`, "");
  members.forEach((m, k) => L.push(`static uint64_t hwspec_read_${k}(const hwspec_probe_t *u) { return (uint64_t)u->${m.access}; }`));
  L.push("", "int main(void)", "{", "    hwspec_probe_t u;", "    unsigned i, bits = (unsigned)(sizeof u.raw * 8);");
  L.push('    printf("bits %u\\n", bits);', "    if (bits > 64) return 3;");
  members.forEach((_, k) => {
    L.push("    for (i = 0; i < bits; i++) {", "        uint64_t v;", "        unsigned pos = 0;");
    L.push("        memset(&u, 0, sizeof u);", "        u.raw = (uint64_t)1 << i;", `        v = hwspec_read_${k}(&u);`);
    L.push("        if (!v) continue;", "        while (!(v & 1)) { v >>= 1; pos++; }", `        printf("${k} %u %u\\n", i, pos);`, "    }");
  });
  L.push(...addressLines(address), "    return 0;", "}", "");
  return L.join("\n");
}

function addressLines(address: AddressProbe | undefined): string[] {
  if (!address) return [];
  const print = (arg: number, expr: string) => `    printf("addr ${arg} %llu\\n", (unsigned long long)(${expr}));`;
  return address.args ? address.args.map((i) => print(i, `${address.macro}(${i})`)) : [print(0, address.macro)];
}

export function runProbe(headerPath: string, ctype: string | undefined, members: ScannedMember[], address?: AddressProbe): ProbeResult {
  const dir = mkdtempSync(join(tmpdir(), "hwspec-audit-"));
  try {
    const src = join(dir, "probe.c");
    const exe = join(dir, "probe");
    writeFileSync(src, probeProgram(headerPath, ctype, members, address));
    const cc = spawnSync("gcc", ["-std=gnu11", "-w", "-I", dirname(headerPath), "-o", exe, src], { encoding: "utf8" });
    if (cc.error) return { ok: false, message: `could not run gcc: ${cc.error.message}` };
    if (cc.status !== 0) return { ok: false, message: cc.stderr.trim() || `gcc exited with ${cc.status}` };
    const run = spawnSync(exe, { encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) return { ok: false, message: run.status === 3 ? `raw of ${ctype} is wider than 64 bits` : `probe failed: ${run.stderr}` };
    const hits = members.map(() => [] as [number, number][]);
    const addresses = new Map<number, bigint>();
    for (const line of run.stdout.split("\n")) {
      const m = /^(\d+) (\d+) (\d+)$/.exec(line);
      if (m) hits[Number(m[1])]!.push([Number(m[2]), Number(m[3])]);
      const a = /^addr (\d+) (\d+)$/.exec(line);
      if (a) addresses.set(Number(a[1]), BigInt(a[2]!));
    }
    const positions = new Map<string, Position | "scattered" | "none">();
    members.forEach((m, k) => {
      const h = hits[k]!;
      if (!h.length) return positions.set(m.path, "none");
      const lsb = h[0]![0];
      const contiguous = h.every(([bit, pos], j) => bit === lsb + j && pos === j);
      positions.set(m.path, contiguous ? { lsb, width: h.length } : "scattered");
    });
    return { ok: true, positions, addresses };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
