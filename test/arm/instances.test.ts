import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ElabDeviceSpec } from "../../generator/elaborate/model.ts";
import type { Front } from "../../generator/pipeline.ts";
import { runBack } from "../../generator/pipeline.ts";
import { pl011_AccessError, pl011_REGISTERS, type pl011_Hooks } from "../../generated/ts/arm/pl011.ts";
import { vexpress_uart0_ADDRESSES, vexpress_uart0_Device, vexpress_uart0_INSTANCE } from "../../generated/ts/arm/vexpress-uart0.ts";
import { vexpress_uart1_ADDRESSES, vexpress_uart1_Device, vexpress_uart1_INSTANCE } from "../../generated/ts/arm/vexpress-uart1.ts";
import { gcc, STRICT } from "../c/harness.ts";
import { strictTsc } from "../helpers/tsc.ts";
import { frontOf, GENERATED, projectFront, SPECS, tempDir } from "../helpers/project.ts";

const dirs: string[] = [];
const scratch = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const device = (front: Front, name: string) => front.model.specs.find((s): s is ElabDeviceSpec => s.kind === "device" && s.name === name)!;

/** The PL011 and its instances from the project's specs (the rest of the tree only costs time here), relative to specs/, as text. */
function projectFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(SPECS, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (r !== "schema") walk(r);
      } else if (r === "arm/pl011.json" || r.startsWith("arm/vexpress-uart")) out[r] = readFileSync(join(SPECS, r), "utf8");
    }
  };
  walk("");
  return out;
}

const front = (files: Record<string, string>): Front => {
  const r = frontOf(files);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.message}`).join("\n"));
  return r.front;
};

/** Writes generated files under dir and returns it. */
function writeOut(dir: string, files: { path: string; content: string }[]): string {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
  return dir;
}

/** A board UART that changes ILPR's reset and the doc of one bit of the shared interrupt layout. */
const BOARD_UART = {
  $schema: "../schema/overlay.schema.json",
  kind: "device",
  name: "arm.board_uart",
  doc: "A PL011 whose ILPR resets to 0x10, at QEMU virt's UART base.",
  extends: "arm.pl011",
  overlay: [
    { op: "add", path: "/instance", value: { base: "0x09000000", interrupts: { UARTINTR: { number: 33 } } } },
    { op: "merge", path: "/registers/ILPR", value: { reset: "0x10" } },
    { op: "merge", path: "/layouts/pl011_int/fields/RIMIM", value: { doc: "Ring indicator, documented differently." } },
  ],
};

describe("device instances (overlays of arm.pl011)", () => {
  const project = projectFront();

  it("the model says an instance that only sets its base inherits every layout and register, and the base's behaviour", () => {
    const base = device(project, "arm.pl011");
    for (const name of ["arm.vexpress_uart0", "arm.vexpress_uart1"]) {
      const inst = device(project, name);
      expect(inst.inherits?.base).toBe("arm.pl011");
      expect([...inst.inherits!.inherited].sort()).toEqual([...base.layouts, ...base.registers].map((s) => s.name).sort());
      expect(inst.inherits!.own).toEqual([]);
      expect(inst.inherits!.sameBehaviour).toBe(true);
      // Inherited shapes are the base's items: the same C identifiers, defined once by the base's header.
      expect(inst.registers.find((r) => r.name === "DR")!.ids.cTag).toBe("dr");
    }
    expect(device(project, "arm.vexpress_uart0").instance!.base).toBe(0x1c090000n);
    expect(device(project, "arm.vexpress_uart1").instance!.base).toBe(0x1c0a0000n);
    expect(base.inherits).toBeUndefined();
  });

  it("a changed register and the registers on a changed layout are the overlay's own, in its C namespace; the rest stays inherited", () => {
    const f = front({ ...projectFiles(), "arm/board-uart.json": JSON.stringify(BOARD_UART, null, 2) });
    const inst = device(f, "arm.board_uart");
    expect([...inst.inherits!.own].sort()).toEqual(["ICR", "ILPR", "IMSC", "MIS", "RIS", "pl011_int"]);
    expect(inst.inherits!.inherited.has("DR")).toBe(true);
    expect(inst.inherits!.sameBehaviour).toBe(false);
    expect(inst.registers.find((r) => r.name === "ILPR")!.ids.cTag).toBe("arm_board_uart_ilpr");
  });

  it("the base's generated files are the same bytes whether or not instances extend it", async () => {
    const files = projectFiles();
    const without = Object.fromEntries(Object.entries(files).filter(([k]) => !k.startsWith("arm/vexpress-uart")));
    expect(Object.keys(without).length).toBe(Object.keys(files).length - 2);
    const pick = (out: { path: string; content: string }[]) => out.filter((o) => o.path === "c/arm/pl011.h" || o.path === "ts/arm/pl011.ts").map((o) => o.content);
    const a = pick(await runBack(front(files)));
    const b = pick(await runBack(front(without)));
    expect(a.length).toBe(2);
    expect(a).toEqual(b);
    expect(a[0]).toBe(readFileSync(join(GENERATED, "c/arm/pl011.h"), "utf8"));
  });

  it("the base header and both instance headers compile in one translation unit (gcc -Werror) and agree with the TS instances", () => {
    const dir = scratch("hwspec-instances-c-");
    const names = pl011_REGISTERS.map((r) => r.name);
    const macro = (ns: string, reg: string) => `${ns}_${reg.toUpperCase()}_ADDR`;
    const lines = [
      `#include "${join(GENERATED, "c/arm/pl011.h")}"`,
      `#include "${join(GENERATED, "c/arm/vexpress-uart0.h")}"`,
      `#include "${join(GENERATED, "c/arm/vexpress-uart1.h")}"`,
      "#include <stdio.h>",
      // Hand-checked against QEMU's vexpress map: FR is 0x18 into each block.
      '_Static_assert(ARM_VEXPRESS_UART0_FR_ADDR == 0x1c090018u && ARM_VEXPRESS_UART1_FR_ADDR == 0x1c0a0018u, "FR");',
      '_Static_assert(ARM_VEXPRESS_UART0_UARTINTR_IRQ == 37 && ARM_VEXPRESS_UART1_UARTINTR_IRQ == 38, "SPI 5 and 6");',
      // A PL011 is a 4 KiB block; ECR is RSR's other name (the write side).
      '_Static_assert(ARM_VEXPRESS_UART0_SIZE == 0x1000u && ARM_VEXPRESS_UART1_SIZE == ARM_PL011_BLOCK_SIZE, "size");',
      '_Static_assert(ARM_VEXPRESS_UART0_ECR_ADDR == ARM_VEXPRESS_UART0_RSR_ADDR && ARM_VEXPRESS_UART1_ECR_ADDR == 0x1c0a0004u, "ECR");',
      "int main(void) {",
      '  printf("base0 %lx\\n", (unsigned long)ARM_VEXPRESS_UART0_BASE);',
      '  printf("base1 %lx\\n", (unsigned long)ARM_VEXPRESS_UART1_BASE);',
      '  printf("irq0 %d\\nirq1 %d\\n", ARM_VEXPRESS_UART0_UARTINTR_IRQ, ARM_VEXPRESS_UART1_UARTINTR_IRQ);',
      ...names.flatMap((n) => [
        `  printf("0 ${n} %lx\\n", (unsigned long)${macro("ARM_VEXPRESS_UART0", n)});`,
        `  printf("1 ${n} %lx\\n", (unsigned long)${macro("ARM_VEXPRESS_UART1", n)});`,
      ]),
      // The inherited unions are the base's: one definition serves both instances.
      "  union fr f = { .raw = 0x90 };",
      '  printf("txfe %d\\n", (int)f.TXFE);',
      "  return 0;",
      "}",
      "",
    ];
    writeFileSync(join(dir, "probe.c"), lines.join("\n"));
    const built = gcc([...STRICT, "-o", join(dir, "probe"), join(dir, "probe.c")]);
    expect(built.stderr).toBe("");
    expect(built.ok).toBe(true);
    const out = execFileSync(join(dir, "probe"), { encoding: "utf8" });
    const hex = (v: number) => v.toString(16);
    const expected = [
      `base0 ${hex(vexpress_uart0_INSTANCE.base)}`,
      `base1 ${hex(vexpress_uart1_INSTANCE.base)}`,
      `irq0 ${vexpress_uart0_INSTANCE.interrupts.UARTINTR}`,
      `irq1 ${vexpress_uart1_INSTANCE.interrupts.UARTINTR}`,
      ...names.flatMap((n) => [
        `0 ${n} ${hex(vexpress_uart0_ADDRESSES[n as keyof typeof vexpress_uart0_ADDRESSES])}`,
        `1 ${n} ${hex(vexpress_uart1_ADDRESSES[n as keyof typeof vexpress_uart1_ADDRESSES])}`,
      ]),
      "txfe 1",
      "",
    ];
    expect(out).toBe(expected.join("\n"));
  });

  it("two instance devices run the base's dispatch at their own bases, with separate state", () => {
    const sent: string[] = [];
    const hooks = (tag: string): pl011_Hooks => ({
      pop_rx: () => 0x41,
      push_tx: (_s, value) => void sent.push(`${tag}:${String.fromCharCode(value)}`),
      update: () => undefined,
    });
    const u0 = new vexpress_uart0_Device(hooks("uart0"));
    const u1 = new vexpress_uart1_Device(hooks("uart1"));
    expect(u0.base).toBe(0x1c090000);
    expect(u1.irq.UARTINTR).toBe(38);
    u0.write(vexpress_uart0_ADDRESSES.DR, 8, 0x68);
    u1.write(vexpress_uart1_ADDRESSES.DR, 8, 0x69);
    expect(sent).toEqual(["uart0:h", "uart1:i"]);
    expect(u1.read(vexpress_uart1_ADDRESSES.DR, 8)).toBe(0x41);
    // RXIM enabled on uart0 only; a raw receive interrupt on both raises only uart0's line.
    u0.write(vexpress_uart0_ADDRESSES.IMSC, 32, 1 << 4);
    u0.state.RIS = 1 << 4;
    u1.state.RIS = 1 << 4;
    expect(u0.read(vexpress_uart0_ADDRESSES.MIS, 32)).toBe(1 << 4);
    expect(u1.read(vexpress_uart1_ADDRESSES.MIS, 32)).toBe(0);
    expect(u0.lines().UARTINTR).toBe(true);
    expect(u1.lines().UARTINTR).toBe(false);
    // The PrimeCell ID reads the same through either instance: it is the base's register.
    expect(u1.read(vexpress_uart1_ADDRESSES.PCellID0, 32)).toBe(0x0d);
    // uart1's block is outside uart0's, and vice versa: refused before any state changes.
    const before = { ...u0.state };
    expect(() => u0.write(vexpress_uart1_ADDRESSES.IMSC, 32, 0x7ff)).toThrow(pl011_AccessError);
    expect(() => u1.read(vexpress_uart0_ADDRESSES.DR, 8)).toThrow(/outside the block at 0x1c0a0000\.\.0x1c0a0fff/);
    expect(u0.state).toEqual(before);
  });

  it("an overlay that changes registers emits only those, under its own C names, next to the base header; its TS passes strict tsc", async () => {
    const out = await runBack(front({ ...projectFiles(), "arm/board-uart.json": JSON.stringify(BOARD_UART, null, 2) }));
    const dir = writeOut(scratch("hwspec-instances-board-"), out.filter((o) => o.path.startsWith("c/arm/") || o.path.startsWith("ts/arm/") || o.path === "ts/support.ts"));
    const header = readFileSync(join(dir, "c/arm/board-uart.h"), "utf8");
    expect(header).toContain('#include "pl011.h"');
    expect(header).toContain("union arm_board_uart_ilpr {");
    expect(header).not.toMatch(/union (dr|fr|cr) \{/);
    const probe = [
      `#include "${join(dir, "c/arm/pl011.h")}"`,
      `#include "${join(dir, "c/arm/board-uart.h")}"`,
      `#include "${join(dir, "c/arm/vexpress-uart0.h")}"`,
      '_Static_assert(ILPR_RESET == 0 && ARM_BOARD_UART_ILPR_RESET == 0x10, "each ILPR keeps its reset");',
      '_Static_assert(ARM_BOARD_UART_ILPR_ADDR == 0x09000020u && ARM_BOARD_UART_DR_ADDR == 0x09000000u, "addresses");',
      '_Static_assert(sizeof(union arm_board_uart_imsc) == sizeof(union imsc), "same layout, own name");',
      "int main(void) { return 0; }",
      "",
    ].join("\n");
    writeFileSync(join(dir, "probe.c"), probe);
    const built = gcc([...STRICT, "-o", join(dir, "probe"), join(dir, "probe.c")]);
    expect(built.stderr).toBe("");
    expect(built.ok).toBe(true);
    const ts = readFileSync(join(dir, "ts/arm/board-uart.ts"), "utf8");
    expect(ts).toContain("export function board_uart_read(");
    expect(ts).toMatch(/export \{[^}]*\bDR\b[^}]*\} from "\.\/pl011\.ts";/);
    expect(ts).not.toMatch(/export const DR = /);
    expect(strictTsc(dir, ["ts/**/*.ts"])).toBe("");
    const mod = (await import(join(dir, "ts/arm/board-uart.ts"))) as Record<string, unknown>;
    const Device = mod.board_uart_Device as new (h: pl011_Hooks) => { read(a: number, w: number): number };
    const dev = new Device({ pop_rx: () => 0, push_tx: () => undefined, update: () => undefined });
    expect(dev.read(0x09000020, 32)).toBe(0x10);
  });
});
