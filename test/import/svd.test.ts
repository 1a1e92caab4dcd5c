import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyImported } from "../../generator/import/output.ts";
import { importSvd } from "../../generator/import/svd/index.ts";
import { ROOT } from "../helpers/project.ts";

const FIXTURES = join(ROOT, "test/fixtures/svd");

/** Imports a fixture and runs the whole front end on the result, as `hwspec import svd` does. */
function load(name: string) {
  const file = `${name}.svd`;
  const r = importSvd(readFileSync(join(FIXTURES, file), "utf8"), file);
  if (!r.report.errors.length) verifyImported(r.files, "out/", r.report);
  const specs = Object.fromEntries(r.files.map((f) => [f.rel, JSON.parse(f.text) as Spec]));
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
  constants: Record<string, Json>;
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

  it("peripherals with baseAddress and addressBlock: the block covers the address blocks, the base is a constant; a buffer block is a warning", () => {
    const { specs, warnings } = ok("address-blocks");
    const g = specs["gpio.json"]!;
    expect(g.block.size).toBe("0x200");
    expect(g.constants.GPIO_BASE).toMatchObject({ value: "0x50000000" });
    expect(warnings).toEqual([expect.stringMatching(/^14:7 address block usage "buffer"/)]);
  });

  it("derivedFrom on a peripheral: the same registers under the derived name at its own base, its own interrupts only", () => {
    const { specs } = ok("derived-peripheral");
    const u1 = specs["uart1.json"]!;
    expect(Object.keys(u1.registers)).toEqual(["UART1_DR"]);
    expect(u1.registers.UART1_DR!.fields).toEqual({ DATA: { bits: "7:0" } });
    expect(u1.constants).toEqual({ UART1_BASE: expect.objectContaining({ value: "0x40002000" }), UART1_IRQn: expect.objectContaining({ value: 6 }) });
    expect(u1.doc).toMatch(/Derived from UART0/);
    expect(u1.block.size).toBe("0x100");
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

  it("interrupts: each is a constant NAME_IRQn with its number and description", () => {
    const { specs } = ok("interrupts");
    expect(specs["adc.json"]!.constants).toMatchObject({ ADC_EOC_IRQn: { value: 18, doc: "Interrupt number of ADC_EOC: End of conversion." }, ADC_OVR_IRQn: { value: 19 } });
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
