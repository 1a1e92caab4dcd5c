/**
 * 5. vpl011: guest DR writes per second through the generated dispatch (pl011_write with its width
 * and value checks) against a hand-written switch doing the same work, both driving the same
 * push_tx hook; plus the whole emulator path (Vpl011.write: offset check, dispatch, ring, flags).
 */
import { fmtNs, fmtRate, fmtRatio, nsPerOp, round, skipped, sink, type BenchConfig, type SectionResult } from "./harness.ts";

const OPS = 1024;

export async function runVpl011(cfg: BenchConfig): Promise<SectionResult> {
  let gen: typeof import("../generated/ts/arm/pl011.ts");
  let rt: typeof import("../runtime/arm/vpl011.ts");
  try {
    gen = await import("../generated/ts/arm/pl011.ts");
    rt = await import("../runtime/arm/vpl011.ts");
  } catch (e) {
    return skipped("vpl011", `runtime/arm/vpl011 not available: ${(e as Error).message.split("\n")[0]}`);
  }
  const { pl011_write, pl011_reset } = gen;
  const state = pl011_reset();
  let tx = 0;
  const hooks = { pop_rx: () => 0, push_tx: (_s: unknown, v: number) => void (tx = (tx + (v & 0xff)) | 0), update: () => {} };
  // Hand-written: the switch a C programmer writes for the same offsets, with the same checks for DR.
  const handWrite = (s: typeof state, offset: number, width: number, value: number): void => {
    switch (offset) {
      case 0x000:
        if (width !== 8 && width !== 16 && width !== 32) throw new Error("bad width");
        if (value >>> 0 !== value || (width < 32 && value >>> width !== 0)) throw new Error("bad value");
        hooks.push_tx(s, value);
        return;
      case 0x038:
        s.IMSC = value >>> 0;
        return;
      case 0x044:
        s.RIS = (s.RIS & ~value) >>> 0;
        return;
      default:
        throw new Error("unhandled");
    }
  };
  const uart = new rt.Vpl011();
  const out = uart.intf.out;
  const tasks = {
    "DR write generated": () => { for (let i = 0; i < OPS; i++) pl011_write(state, hooks as never, 0x000, 8, i & 0xff); sink.n ^= tx; },
    "DR write hand": () => { for (let i = 0; i < OPS; i++) handWrite(state, 0x000, 8, i & 0xff); sink.n ^= tx; },
    "DR write Vpl011": () => {
      for (let i = 0; i < OPS; i++) {
        uart.write(0x000, 8, i & 0xff);
        out.cons = out.prod; // the backend drains the OUT ring
      }
      sink.n ^= uart.backendNotifications;
    },
  };
  const ns = await nsPerOp(cfg, OPS, tasks);
  const g = ns["DR write generated"]!;
  const h = ns["DR write hand"]!;
  const v = ns["DR write Vpl011"]!;
  return {
    results: {
      generated_writes_per_s: round(1e9 / g),
      handwritten_writes_per_s: round(1e9 / h),
      vpl011_writes_per_s: round(1e9 / v),
      dispatch_vs_handwritten: round(g / h),
      ns: { generated: round(g), handwritten: round(h), vpl011: round(v) },
    },
    rows: [
      { section: "vpl011", name: "DR write, generated dispatch", value: fmtRate(1e9 / g, "writes"), note: `hand-written switch ${fmtRate(1e9 / h, "writes")} (gen/hand ${fmtRatio(g / h)}; ${fmtNs(g)} vs ${fmtNs(h)})` },
      { section: "vpl011", name: "DR write, full Vpl011.write", value: fmtRate(1e9 / v, "writes"), note: "offset check, dispatch, OUT ring, FR/RIS, backend notify" },
    ],
  };
}
