import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyImported } from "../../generator/import/output.ts";
import { importSvd } from "../../generator/import/svd/index.ts";
import type { ElabDeviceSpec } from "../../generator/elaborate/model.ts";
import { frontOf, ROOT } from "../helpers/project.ts";

const FIXTURES = join(ROOT, "test/fixtures/svd");

/** Imports a fixture and runs the whole front end on the result, as `hwspec import svd` does. */
function load(name: string) {
  const file = `${name}.svd`;
  const r = importSvd(readFileSync(join(FIXTURES, file), "utf8"), file);
  if (!r.report.errors.length) verifyImported(r.files, "out/", r.report);
  const specs = Object.fromEntries(r.files.map((f) => [f.path, f.json as unknown as Spec]));
  const at = (d: { line: number; col: number; message: string }) => `${d.line}:${d.col} ${d.message}`;
  return { specs, errors: r.report.errors.map(at), warnings: r.report.warnings.map(at), result: r };
}

type Json = Record<string, unknown>;
interface Spec {
  name: string;
  doc: string;
  block: Json;
  registers: Record<string, Json & { fields: Record<string, Json> }>;
  clusters?: Record<string, Json & { registers: Record<string, Json> }>;
  constants?: Record<string, Json>;
  interrupts?: Record<string, Json>;
  instance: Json & { interrupts?: Record<string, Json> };
  extends?: string;
  overlay?: (Json & { op: string; path: string })[];
}

function ok(name: string) {
  const r = load(name);
  expect(r.errors).toEqual([]);
  return r;
}

describe("import svd: one fixture per construct", () => {
  it("device defaults: size, access and resetValue/resetMask come from the device and peripheral unless the register says otherwise", () => {
    const { specs, warnings } = ok("device-defaults");
    const t = specs["timer.json"]!;
    expect(t.name).toBe("testchip.timer");
    // Peripheral: 16 bits, read-only, reset 0xAB; LOAD overrides all three.
    expect(t.registers.TIMER_COUNT).toMatchObject({ offset: "0x0", width: 16, access: "ro", reset: "0xab", access_widths: [16] });
    expect(t.registers.TIMER_LOAD).toMatchObject({ offset: "0x4", reset: "0xffff0000" });
    expect(t.registers.TIMER_LOAD!.width).toBeUndefined();
    expect(t.registers.TIMER_LOAD!.access).toBeUndefined();
    expect(t.block).toEqual({ size: "0x10", access_widths: [16, 32] });
    // resetMask 0xFFFF0000 leaves the low half without a reset value: said, at the mask.
    expect(warnings).toEqual([expect.stringMatching(/^29:11 register LOAD: resetMask 0xffff0000 leaves bits 0xffff without a reset value/)]);
  });

  it("inheritance: device → peripheral → cluster → register for size, access and resetValue", () => {
    const { specs } = ok("inheritance");
    const r = specs["bus.json"]!.registers;
    expect(r.BUS_P).toMatchObject({ offset: "0x0", width: 16, access: "ro", reset: "0x0" });
    expect(r.BUS_GRP_C).toMatchObject({ offset: "0x10", width: 8, access: "wo", reset: "0x5a", access_widths: [8] });
    expect(r.BUS_GRP_R).toMatchObject({ offset: "0x14", reset: "0x12345678" });
    expect(r.BUS_GRP_R!.access).toBeUndefined();
    expect(r.BUS_GRP_R!.width).toBeUndefined();
  });

  it("peripherals with baseAddress and addressBlock: the block covers the address blocks, the base is the instance's; a buffer block is a warning", () => {
    const { specs, warnings } = ok("address-blocks");
    const g = specs["gpio.json"]!;
    expect(g.block.size).toBe("0x200");
    expect(g.instance).toMatchObject({ base: "0x50000000" });
    expect(g.constants).toBeUndefined();
    expect(warnings).toEqual([expect.stringMatching(/^14:7 address block usage "buffer"/)]);
  });

  it("derivedFrom on a peripheral: an overlay of its base with its own instance, holding only the registers and lines it changes or adds", () => {
    const { specs, result } = ok("derived-peripheral");
    const u0 = specs["uart0.json"]!;
    expect(Object.keys(u0.registers)).toEqual(["UART0_DR", "UART0_CR"]);
    expect(u0.instance).toEqual({ base: "0x40001000", doc: expect.any(String), interrupts: { UART0: { number: 5, doc: "SVD interrupt UART0." } } });
    expect(u0.interrupts).toEqual({ UART0: { expr: "false", doc: expect.stringMatching(/does not say when the line is raised/) } });
    const u1 = specs["uart1.json"]!;
    expect(u1.extends).toBe("testchip.uart0");
    expect(u1.registers).toBeUndefined();
    expect(u1.doc).toMatch(/Derived from UART0/);
    // UART1 redefines CR (one more field) and adds STAT, named with its own prefix; DR is UART0's.
    expect(u1.overlay!.map((o) => `${o.op} ${o.path}`)).toEqual(["replace /instance", "replace /registers/UART0_CR", "add /registers/UART1_STAT"]);
    expect(u1.overlay![0]!.value).toMatchObject({ base: "0x40002000", interrupts: { UART0: { number: 6, doc: "SVD interrupt UART1." } } });
    expect(Object.keys((u1.overlay![1]!.value as Spec["registers"][string]).fields)).toEqual(["EN", "PEN"]);
    // UART2 derives from UART1: a second interrupt is a line UART1 lacks, and its STAT (another reset) replaces UART1's.
    const u2 = specs["uart2.json"]!;
    expect(u2.extends).toBe("testchip.uart1");
    expect(u2.overlay!.map((o) => `${o.op} ${o.path}`)).toEqual(["replace /instance", "add /interrupts/UART2_WAKE", "replace /registers/UART1_STAT"]);
    expect(u2.overlay![0]!.value).toMatchObject({ base: "0x40003000", interrupts: { UART0: { number: 7 }, UART2_WAKE: { number: 8 } } });

    // What the front end makes of them: instances that share every unchanged register with their base.
    const r = frontOf(Object.fromEntries(result.files.map((f) => [f.path, JSON.stringify(f.json)])));
    if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join("\n"));
    const dev = (n: string) => r.front.model.specs.find((s): s is ElabDeviceSpec => s.kind === "device" && s.name === n)!;
    expect(dev("testchip.uart0").inherits).toBeUndefined();
    const i1 = dev("testchip.uart1").inherits!;
    expect({ base: i1.base, inherited: [...i1.inherited], own: i1.own, removed: i1.removed }).toEqual({ base: "testchip.uart0", inherited: ["UART0_DR"], own: ["UART0_CR", "UART1_STAT"], removed: [] });
    const i2 = dev("testchip.uart2").inherits!;
    expect({ base: i2.base, inherited: [...i2.inherited].sort(), own: i2.own, sameRest: i2.sameRest }).toEqual({ base: "testchip.uart1", inherited: ["UART0_CR", "UART0_DR"], own: ["UART1_STAT"], sameRest: false });
    expect(dev("testchip.uart2").instance!.base).toBe(0x40003000n);
  });

  it("clusters: a dim cluster is an hwspec cluster with count and stride; a plain one is flattened into CLUSTER_REG names", () => {
    const { specs } = ok("clusters");
    const d = specs["dma.json"]!;
    expect(d.clusters!.DMA_CH).toMatchObject({ offset: "0x8", count: 4, stride: "0x14", doc: "Channel" });
    expect(Object.keys(d.clusters!.DMA_CH!.registers)).toEqual(["CCR", "CNDTR"]);
    expect(d.clusters!.DMA_CH!.registers.CNDTR).toMatchObject({ offset: "0x4" });
    expect(d.registers.DMA_CFG_A).toMatchObject({ offset: "0x80" });
    expect(d.registers.DMA_CFG_B).toMatchObject({ offset: "0x84" });
  });

  it("dim arrays: NAME[%s] and NAME%s numbered from 0 become count/stride arrays", () => {
    const { specs } = ok("register-arrays");
    const g = specs["gic.json"]!.registers;
    expect(g.GIC_ISENABLER).toMatchObject({ offset: "0x100", count: 8, stride: "0x4" });
    expect(g.GIC_PRIO).toMatchObject({ offset: "0x0", count: 4, stride: "0x4" });
  });

  it("dimIndex lists and ranges: %s inside a name, or named indices, unroll into one register per element", () => {
    const { specs } = ok("dim-index");
    const p = specs["port.json"]!.registers;
    expect(Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v.offset]))).toEqual({ PORT_PA_OUT: "0x0", PORT_PB_OUT: "0x10", PORT_PC_OUT: "0x20", PORT_CFG4: "0x40", PORT_CFG5: "0x44" });
  });

  it("enumeratedValues: the read set is kept and the write set is a warning; derivedFrom copies by name; isDefault and don't-care patterns are said", () => {
    const { specs, warnings } = ok("enumerated-values");
    const f = specs["clk.json"]!.registers.CLK_SRC!.fields;
    expect(f.SEL!.enum).toEqual({ HSI: "0x0", HSE: "0x1" });
    expect(f.NEXT!.enum).toEqual({ HSI: "0x0", HSE: "0x1" });
    expect(f.MODE!.enum).toEqual({ FAST_101: "0x5", FAST_111: "0x7" });
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^29:15 field SRC.SEL: the enumeratedValues for write is not imported/),
        expect.stringMatching(/^27:17 field SRC.SEL: enumeratedValue OTHER is isDefault/),
        expect.stringMatching(/^44:17 field SRC.MODE: enumeratedValue FAST stands for 2 values/),
      ]),
    );
  });

  it("access: read-only, write-only, read-writeOnce and writeOnce map onto ro, wo, write-once (writeOnce with a warning)", () => {
    const { specs, warnings } = ok("access");
    const r = specs["acc.json"]!.registers;
    expect(r.ACC_MIX!.fields).toMatchObject({ RW: { bits: "0" }, RO: { access: "ro" }, WO: { access: "wo" }, ONCE: { access: "write-once" }, WONCE: { access: "write-once" } });
    expect(r.ACC_MIX!.fields.RW!.access).toBeUndefined();
    expect(r.ACC_STATUS!.access).toBe("ro");
    expect(warnings).toEqual([expect.stringMatching(/^24:84 field MIX.WONCE: access writeOnce/)]);
  });

  it("modifiedWriteValues: every value maps onto one word; zeroToToggle, which has none, is a warning", () => {
    const { specs, warnings } = ok("modified-write-values");
    const r = specs["intc.json"]!.registers.INTC_FLAGS!;
    expect(r.access).toBe("w1c");
    const access = Object.fromEntries(Object.entries(r.fields).map(([k, v]) => [k, v.access ?? r.access]));
    expect(access).toEqual({ W1C: "w1c", W1S: "w1s", W0C: "w0c", W0S: "w0s", W1T: "w1t", WC: "wc", WS: "ws", MOD: "rw", W0T: "rw" });
    expect(warnings).toEqual([expect.stringMatching(/^28:82 field FLAGS.W0T: modifiedWriteValues zeroToToggle has no word/)]);
  });

  it("readAction: clear and set become rc and rs; modifyExternal is a warning", () => {
    const { specs, warnings } = ok("read-action");
    const r = specs["fifo.json"]!.registers.FIFO_EVT!;
    expect(r.access).toBe("rc");
    expect(r.fields.RC!.access).toBeUndefined();
    expect(r.fields.RS!.access).toBe("rs");
    expect(r.fields.EXT!.access).toBe("ro");
    expect(warnings).toEqual([expect.stringMatching(/^23:82 field EVT.EXT: readAction modifyExternal/)]);
  });

  it("writeConstraint: not expressible, so a warning at the element, and the field is still imported", () => {
    const { specs, warnings } = ok("write-constraint");
    expect(specs["pwm.json"]!.registers.PWM_DUTY!.fields.VAL).toEqual({ bits: "7:0" });
    expect(warnings).toEqual([expect.stringMatching(/^22:15 field DUTY.VAL: <writeConstraint> is not imported/)]);
  });

  it("alternateRegister and alternateGroup: the alternate becomes another name of the offset, its other fields a warning", () => {
    const { specs, warnings } = ok("alternate-register");
    const r = specs["tim.json"]!.registers;
    expect(Object.keys(r)).toEqual(["TIM_CCMR_OUT", "TIM_CTRL"]);
    expect(r.TIM_CCMR_OUT!.aliases).toEqual(["TIM_CCMR_IN"]);
    expect(r.TIM_CTRL!.aliases).toEqual(["TIM_CTRL_DEBUG"]);
    expect(warnings).toEqual([expect.stringMatching(/^22:11 CCMR_IN describes offset 0x0 with other fields/), expect.stringMatching(/^32:11 CTRL \(alternateGroup DEBUG\)/)]);
  });

  it("interrupts: each is a line of the device, wired to its number by the instance, with its description", () => {
    const { specs } = ok("interrupts");
    const adc = specs["adc.json"]!;
    expect(Object.keys(adc.interrupts!)).toEqual(["ADC_EOC", "ADC_OVR"]);
    expect(adc.interrupts!.ADC_EOC).toEqual({ expr: "false", doc: "SVD interrupt ADC_EOC: End of conversion. The SVD does not say when the line is raised, so the spec never raises it." });
    expect(adc.instance.interrupts).toEqual({ ADC_EOC: { number: 18, doc: "SVD interrupt ADC_EOC: End of conversion." }, ADC_OVR: { number: 19, doc: "SVD interrupt ADC_OVR." } });
  });

  it("hostile names: keywords stay the spec's names (renamed per language later), text is carried as data", () => {
    const { specs } = ok("hostile-names");
    const r = specs["evil.json"]!.registers.EVIL_int!;
    expect(Object.keys(r.fields)).toEqual(["class", "default", "register"]);
    expect(r.doc).toBe("*/ #define BAD 1 /*");
    expect(r.fields.register!.enum).toEqual({ volatile: "0x0", new: "0x1" });
  });
});

describe("import svd: errors are located in the SVD, and nothing is produced", () => {
  it("reports every bad value, name and width at its line:col, and the findings of hwspec check at the SVD element", () => {
    const { errors, result } = load("errors");
    expect(result.files).toEqual([]);
    expect(errors).toEqual(
      expect.arrayContaining([
        '21:11 <addressOffset> "0xZZ" is not an SVD integer (decimal, 0x hex or # binary)',
        expect.stringMatching(/^17:11 register WIDE is 64 bits wide/),
        expect.stringMatching(/^23:9 register name "BAD_B-AD" is not an identifier/),
      ]),
    );
  });

  it("a field beyond its register passes the reader and is refused by hwspec check, located at the SVD field", () => {
    const text = readFileSync(join(FIXTURES, "errors.svd"), "utf8").replace(/<register>\s*<name>WIDE[\s\S]*?<\/register>\s*<register>\s*<name>NUM[\s\S]*?<\/register>\s*<register>\s*<name>B-AD[\s\S]*?<\/register>/, "");
    const r = importSvd(text, "errors.svd");
    expect(r.report.errors).toEqual([]);
    verifyImported(r.files, "out/", r.report);
    expect(r.report.errors.length).toBeGreaterThan(0);
    const lines = text.split("\n");
    for (const e of r.report.errors) {
      expect(e.file).toBe("errors.svd");
      expect(lines[e.line - 1]!.slice(e.col - 1)).toMatch(/^<field>/);
      expect(e.message).toMatch(/\(in the imported spec, at out\/bad\.json:\d+:\d+ \[\/registers\/BAD_OVER\/fields\/F/);
    }
  });

  it.each([
    ["doctype", "2:1"],
    ["xxe", "2:1"],
    ["billion-laughs", "2:1"],
  ])("refuses %s at its DOCTYPE (%s) before any entity is read", (name, at) => {
    const { errors, result } = load(name);
    expect(result.files).toEqual([]);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^${at} DOCTYPE declarations are refused`))]);
  });

  it("refuses an entity XML does not predefine, at the reference", () => {
    const { errors } = load("undefined-entity");
    expect(errors).toEqual([expect.stringMatching(/^3:\d+ undefined entity: only the five XML entities/)]);
    expect(Number(errors[0]!.split(" ")[0]!.split(":")[1])).toBeGreaterThanOrEqual(10);
  });

  it("bounds depth and size", () => {
    const deep = `<device>${"<a>".repeat(100)}${"</a>".repeat(100)}</device>`;
    const r = importSvd(deep, "deep.svd");
    expect(r.report.errors.map((e) => e.message)).toEqual([expect.stringMatching(/nest deeper than 64 levels/)]);
    const big = importSvd(`<device>${" ".repeat(200)}</device>`, "big.svd", { maxChars: 100, maxDepth: 64, maxElements: 10 });
    expect(big.report.errors.map((e) => e.message)).toEqual([expect.stringMatching(/more than the limit of 100/)]);
  });

  it("locates elements and attributes: a bad derivedFrom is reported at the attribute", () => {
    const text = `<device>\n  <name>D</name>\n  <peripherals>\n    <peripheral   derivedFrom="NOPE">\n      <name>P</name><baseAddress>0</baseAddress>\n    </peripheral>\n  </peripherals>\n</device>\n`;
    const r = importSvd(text, "d.svd");
    expect(r.report.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual(['4:19 derivedFrom "NOPE": no peripheral of that name in the same scope']);
  });
});
