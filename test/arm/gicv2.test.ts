import { describe, expect, it } from "vitest";
import { HwspecError } from "../../generated/ts/support.ts";
import {
  GICD_CTLR,
  GICD_ICENABLER,
  GICD_ICPENDR,
  GICD_IPRIORITYR,
  GICD_ISENABLER,
  GICD_ISPENDR,
  GICD_ITARGETSR,
  GUEST_GICD_BASE,
  gicv2_OFFSETS as O,
} from "../../generated/ts/arm/gicv2-distributor.ts";
import { GUEST_VPL011_SPI } from "../../generated/ts/arm/pl011.ts";
import { GicAccessError, Gicv2, SPURIOUS_INTID, VgicUsageError } from "../../runtime/arm/gicv2.ts";
import { connectConsole, TXI } from "../../runtime/arm/vpl011.ts";

/** Guest helpers: word accesses by default, element n of an array at base + 4n. */
const rd = (g: Gicv2, cpu: number, off: number, width = 32) => g.read(cpu, off, width);
const wr = (g: Gicv2, cpu: number, off: number, value: number, width = 32) => g.write(cpu, off, width, value);

function refused(fn: () => unknown): GicAccessError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(GicAccessError);
    return e as GicAccessError;
  }
  throw new Error("expected the access to be refused");
}

/** Everything a guest or device could observe, to show that a refused access changed nothing. */
function snapshot(g: Gicv2) {
  const cpus = Array.from({ length: g.vcpus }, (_, c) => c);
  const irqs = Array.from({ length: 32 + g.nrSpis }, (_, i) => i);
  return {
    regs: cpus.map((c) => g.registerFile(c)),
    pending: cpus.map((c) => irqs.filter((i) => g.isPending(i, c))),
    active: cpus.map((c) => irqs.filter((i) => g.isActive(i, c))),
  };
}

describe("the generated register semantics the distributor is built on", () => {
  it("w1s and w1c over one bitmap, res0 bits, byte lanes, arrays by index", () => {
    expect(GICD_ISENABLER.applyWrite(GICD_ISENABLER.applyWrite(0, 3), 4)).toBe(7);
    expect(GICD_ICENABLER.applyWrite(7, 2)).toBe(5);
    expect(GICD_CTLR.applyWrite(0, 0xffffffff)).toBe(1);
    expect(GICD_IPRIORITYR.applyWrite(0x11223344, 0xa000, 0xff00)).toBe(0x1122a044);
    expect([GICD_ISENABLER.count, GICD_IPRIORITYR.count, GICD_ITARGETSR.count]).toEqual([32, 255, 255]);
    expect([GICD_ICENABLER.offsetOf(31), GICD_IPRIORITYR.offsetOf(254), GICD_ITARGETSR.offsetOf(8)]).toEqual([0x1fc, 0x7f8, 0x820]);
    expect(() => GICD_IPRIORITYR.offsetOf(255)).toThrow(HwspecError);
  });
});

describe("GICD_CTLR, TYPER, IIDR", () => {
  it("CTLR keeps only Enable: 0xffffffff reads back 1", () => {
    const g = new Gicv2();
    expect(rd(g, 0, O.GICD_CTLR)).toBe(0);
    wr(g, 0, O.GICD_CTLR, 0xffffffff);
    expect(rd(g, 0, O.GICD_CTLR)).toBe(1);
    expect(g.ctlrEnabled).toBe(true);
    wr(g, 0, O.GICD_CTLR, 0xfffffffe);
    expect(rd(g, 0, O.GICD_CTLR)).toBe(0);
  });

  it("CTLR refuses byte and halfword accesses with a data abort and no change", () => {
    const g = new Gicv2();
    wr(g, 0, O.GICD_CTLR, 1);
    const before = snapshot(g);
    const e = refused(() => wr(g, 0, O.GICD_CTLR, 0, 8));
    expect([e.kind, e.consequence, e.op, e.width]).toEqual(["bad-width", "data-abort", "write", 8]);
    expect(refused(() => rd(g, 0, O.GICD_CTLR, 16)).kind).toBe("bad-width");
    expect(snapshot(g)).toEqual(before);
    expect(g.log.some((l) => l.includes("bad write width 8"))).toBe(true);
  });

  it("TYPER describes the domain: CPUNumber = vCPUs - 1, ITLinesNumber = SPIs / 32", () => {
    // 4 vCPUs: CPUNumber 3 (bits 7:5 = 0x60); 64 SPIs: ITLinesNumber 2 (96 interrupts).
    expect(rd(new Gicv2({ vcpus: 4, nrSpis: 64 }), 0, O.GICD_TYPER)).toBe(0x62);
    // domain_vgic_init rounds 40 SPIs up to 64.
    expect(rd(new Gicv2({ vcpus: 1, nrSpis: 40 }), 0, O.GICD_TYPER)).toBe(0x02);
    expect(rd(new Gicv2({ vcpus: 8, nrSpis: 960 }), 0, O.GICD_TYPER)).toBe(0xe0 | 30);
    const g = new Gicv2();
    wr(g, 0, O.GICD_TYPER, 0xffffffff);
    expect(rd(g, 0, O.GICD_TYPER)).toBe(0x01);
    expect(refused(() => wr(g, 0, O.GICD_TYPER, 0, 8)).kind).toBe("bad-width");
  });

  it("IIDR is ARM's JEP106 code 0x43B and ignores writes", () => {
    const g = new Gicv2();
    expect(rd(g, 0, O.GICD_IIDR)).toBe(0x43b);
    wr(g, 0, O.GICD_IIDR, 0);
    expect(rd(g, 0, O.GICD_IIDR)).toBe(0x43b);
  });

  it("refuses domains a GICv2 cannot have", () => {
    expect(() => new Gicv2({ vcpus: 9 })).toThrow(VgicUsageError);
    expect(() => new Gicv2({ vcpus: 0 })).toThrow(VgicUsageError);
    // domain_vgic_init rounds up before it compares with 1020 - 32: 988 becomes 992 and is refused.
    expect(() => new Gicv2({ nrSpis: 988 })).toThrow(VgicUsageError);
    expect(() => new Gicv2({ nrSpis: 961 })).toThrow(VgicUsageError);
    expect(new Gicv2({ nrSpis: 960 }).nrRanks).toBe(31);
  });
});

describe("enable bits: GICD_ISENABLERn (w1s) and GICD_ICENABLERn (w1c) over one bitmap", () => {
  it("writes of 3 then 4 to ISENABLER read back 7; ICENABLER clears and reads the same bits", () => {
    const g = new Gicv2({ nrSpis: 64 });
    const set1 = GICD_ISENABLER.offsetOf(1);
    const clr1 = GICD_ICENABLER.offsetOf(1);
    wr(g, 0, set1, 3);
    wr(g, 0, set1, 4);
    expect(rd(g, 0, set1)).toBe(7);
    expect(rd(g, 0, clr1)).toBe(7);
    wr(g, 0, clr1, 2);
    expect(rd(g, 0, set1)).toBe(5);
    wr(g, 0, set1, 0);
    expect(rd(g, 0, set1)).toBe(5);
    expect([32, 33, 34].map((i) => g.isEnabled(i))).toEqual([true, false, true]);
    expect(refused(() => wr(g, 0, set1, 1, 8)).kind).toBe("bad-width");
    // Xen's case covers every byte of the register: inside it, a byte is a bad width and a word
    // an alignment fault, never an unhandled offset.
    expect(refused(() => rd(g, 0, set1 + 1, 8)).kind).toBe("bad-width");
    expect(refused(() => wr(g, 0, clr1 + 2, 1, 16)).kind).toBe("bad-width");
    expect(refused(() => rd(g, 0, set1 + 2)).kind).toBe("misaligned");
    expect(refused(() => rd(g, 0, O.GICD_CTLR + 3, 8)).kind).toBe("bad-width");
  });

  it("ISENABLER0 is banked per vCPU; shared ranks are one for the domain", () => {
    const g = new Gicv2({ vcpus: 3 });
    wr(g, 1, O.GICD_ISENABLER, 0x0000ffff);
    expect([0, 1, 2].map((c) => rd(g, c, O.GICD_ISENABLER))).toEqual([0, 0xffff, 0]);
    wr(g, 2, GICD_ISENABLER.offsetOf(1), 1);
    expect([0, 1, 2].map((c) => rd(g, c, GICD_ISENABLER.offsetOf(1)))).toEqual([1, 1, 1]);
    expect(g.isEnabled(5, 1)).toBe(true);
    expect(g.isEnabled(5, 0)).toBe(false);
  });

  it("ranks beyond the domain's SPIs read as zero and ignore writes, after the width check", () => {
    const g = new Gicv2({ nrSpis: 32 });
    const set2 = GICD_ISENABLER.offsetOf(2); // interrupts 64-95: no rank
    wr(g, 0, set2, 0xffffffff);
    expect(rd(g, 0, set2)).toBe(0);
    expect(refused(() => wr(g, 0, set2, 1, 8)).kind).toBe("bad-width");
    const prio16 = GICD_IPRIORITYR.offsetOf(16); // interrupts 64-67
    wr(g, 0, prio16, 0xa0a0a0a0);
    expect(rd(g, 0, prio16)).toBe(0);
    const targets16 = GICD_ITARGETSR.offsetOf(16);
    expect(rd(g, 0, targets16)).toBe(0);
  });
});

describe("priorities, targets and configuration", () => {
  it("IPRIORITYR is byte-accessible; halfwords are refused", () => {
    const g = new Gicv2({ nrSpis: 32 });
    const p8 = GICD_IPRIORITYR.offsetOf(8); // interrupts 32-35
    wr(g, 0, p8, 0x11223344);
    wr(g, 0, p8 + 1, 0xa0, 8);
    expect(rd(g, 0, p8)).toBe(0x1122a044);
    expect(rd(g, 0, p8 + 3, 8)).toBe(0x11);
    expect(g.priorityOf(33)).toBe(0xa0);
    expect(refused(() => wr(g, 0, p8, 0, 16)).kind).toBe("bad-width");
    expect(refused(() => wr(g, 0, p8 + 1, 0, 32)).kind).toBe("misaligned");
    expect(rd(g, 0, p8)).toBe(0x1122a044);
  });

  it("IPRIORITYR0-7 are banked per vCPU", () => {
    const g = new Gicv2({ vcpus: 2 });
    wr(g, 0, O.GICD_IPRIORITYR + 4, 0x80, 8); // interrupt 4 on vCPU0
    expect(rd(g, 0, O.GICD_IPRIORITYR + 4)).toBe(0x80);
    expect(rd(g, 1, O.GICD_IPRIORITYR + 4)).toBe(0);
  });

  it("ITARGETSR0-7 read as the reading vCPU and ignore writes (word only)", () => {
    const g = new Gicv2({ vcpus: 4 });
    expect([0, 1, 2, 3].map((c) => rd(g, c, O.GICD_ITARGETSR + 4))).toEqual([0x01010101, 0x02020202, 0x04040404, 0x08080808]);
    expect(rd(g, 2, O.GICD_ITARGETSR + 6, 8)).toBe(0x04);
    wr(g, 1, O.GICD_ITARGETSR, 0x01010101);
    expect(rd(g, 1, O.GICD_ITARGETSR)).toBe(0x02020202);
    expect(refused(() => wr(g, 1, O.GICD_ITARGETSR, 1, 8)).kind).toBe("bad-width");
  });

  it("SPIs start on vCPU0 and go to the lowest valid vCPU of a written list; an invalid list keeps the old target", () => {
    const g = new Gicv2({ vcpus: 4, nrSpis: 32 });
    const t8 = GICD_ITARGETSR.offsetOf(8); // SPIs 32-35
    expect(rd(g, 0, t8)).toBe(0x01010101);
    wr(g, 0, t8 + 1, 0x0c, 8); // SPI 33 to vCPUs 2 and 3: Xen keeps vCPU2
    expect(rd(g, 0, t8)).toBe(0x01010401);
    expect(g.targetOf(33)).toBe(2);
    wr(g, 0, t8, 0x00f00008); // SPI 32 -> vCPU3, 33 -> none (kept), 34 -> vCPU4+ (kept), 35 -> none (kept)
    expect(rd(g, 0, t8)).toBe(0x01010408);
    expect(g.log.filter((l) => l.includes("no valid vCPU")).length).toBe(3);
  });

  it("ICFGR0/1 read 0 and ignore writes; SPI configuration is stored as written", () => {
    const g = new Gicv2({ nrSpis: 32 });
    wr(g, 0, O.GICD_ICFGR, 0xaaaaaaaa);
    wr(g, 0, O.GICD_ICFGR + 4, 0xaaaaaaaa);
    expect([rd(g, 0, O.GICD_ICFGR), rd(g, 0, O.GICD_ICFGR + 4)]).toEqual([0, 0]);
    expect(refused(() => wr(g, 0, O.GICD_ICFGR, 0, 8)).kind).toBe("bad-width");
    wr(g, 0, O.GICD_ICFGR + 8, 0x00000003);
    expect(rd(g, 0, O.GICD_ICFGR + 8)).toBe(3);
    expect(g.isEdge(32)).toBe(true);
    expect(g.isEdge(33)).toBe(false);
  });
});

describe("registers Xen reads as zero, and the writes it refuses", () => {
  it("IGROUPR and NSACR: zero, writes ignored, words only", () => {
    const g = new Gicv2();
    for (const off of [O.GICD_IGROUPR, O.GICD_IGROUPR + 0x7c, O.GICD_NSACR, O.GICD_NSACR + 0xfc]) {
      wr(g, 0, off, 0xffffffff);
      expect(rd(g, 0, off)).toBe(0);
      expect(refused(() => rd(g, 0, off, 8)).kind).toBe("bad-width");
    }
  });

  it("pending and active registers read as zero at any size, even with interrupts pending", () => {
    const g = new Gicv2();
    wr(g, 0, GICD_ISENABLER.offsetOf(1), 1);
    g.injectSpi(32);
    expect(g.isPending(32)).toBe(true);
    for (const base of [O.GICD_ISPENDR, O.GICD_ICPENDR, O.GICD_ISACTIVER, O.GICD_ICACTIVER]) {
      expect(rd(g, 0, base + 4)).toBe(0);
      expect(rd(g, 0, base + 5, 8)).toBe(0);
      expect(rd(g, 0, base + 6, 16)).toBe(0);
    }
  });

  it("ICPENDR clears nothing and warns for an interrupt in flight", () => {
    const g = new Gicv2();
    g.injectSpi(32);
    wr(g, 0, GICD_ICPENDR.offsetOf(1), 1);
    expect(g.isPending(32)).toBe(true);
    expect(g.log.some((l) => l.includes("clear pending interrupt 32"))).toBe(true);
    expect(refused(() => wr(g, 0, GICD_ICPENDR.offsetOf(1), 1, 8)).kind).toBe("bad-width");
  });

  it("ISACTIVER accepts only a word of 0; ICACTIVER words are logged and ignored", () => {
    const g = new Gicv2();
    wr(g, 0, O.GICD_ISACTIVER, 0);
    expect(refused(() => wr(g, 0, O.GICD_ISACTIVER, 1)).kind).toBe("unhandled");
    expect(refused(() => wr(g, 0, O.GICD_ISACTIVER, 0, 8)).kind).toBe("bad-width");
    wr(g, 0, O.GICD_ICACTIVER, 0xffffffff);
    expect(g.log.some((l) => l.includes("ICACTIVER0"))).toBe(true);
    expect(refused(() => wr(g, 0, O.GICD_ICACTIVER, 1, 16)).kind).toBe("bad-width");
  });

  it("CPENDSGIR/SPENDSGIR read as zero and refuse every write", () => {
    const g = new Gicv2();
    for (const base of [O.GICD_CPENDSGIR, O.GICD_SPENDSGIR]) {
      expect(rd(g, 0, base + 1, 8)).toBe(0);
      expect(refused(() => wr(g, 0, base, 1)).kind).toBe("unhandled");
      expect(refused(() => wr(g, 0, base + 2, 1, 8)).kind).toBe("unhandled");
      expect(refused(() => wr(g, 0, base, 1, 16)).kind).toBe("bad-width");
    }
  });

  it("ICPIDR2 reads are refused; the component IDs read zero but refuse writes", () => {
    const g = new Gicv2();
    expect(refused(() => rd(g, 0, O.GICD_ICPIDR2)).kind).toBe("unhandled");
    wr(g, 0, O.GICD_ICPIDR2, 0);
    expect(rd(g, 0, 0xff0)).toBe(0);
    expect(refused(() => wr(g, 0, 0xff0, 0)).kind).toBe("unhandled");
    expect(refused(() => wr(g, 0, 0xfec, 0, 8)).kind).toBe("unhandled");
  });

  it("GICD_SGIR reads 0xDEADBEEF; addresses outside the block are refused", () => {
    const g = new Gicv2();
    expect(rd(g, 0, O.GICD_SGIR)).toBe(0xdeadbeef);
    expect(g.mmioRead(0, GUEST_GICD_BASE + O.GICD_IIDR, 32)).toBe(0x43b);
    expect(refused(() => g.mmioRead(0, GUEST_GICD_BASE + 0x1000, 32)).kind).toBe("outside");
    expect(() => rd(g, 1, 0)).toThrow(VgicUsageError);
  });
});

describe("the vpl011 raises GUEST_VPL011_SPI into the distributor", () => {
  function wired() {
    const gic = new Gicv2({ vcpus: 2 });
    const { uart, backend } = connectConsole({ spiTarget: gic });
    return { gic, uart, backend };
  }
  /** TXI goes high once the backend drains the OUT ring; with IMSC.TXIM set UARTINTR is high. */
  function raiseUartintr(uart: ReturnType<typeof wired>["uart"], backend: ReturnType<typeof wired>["backend"]) {
    uart.write(0x038, 32, TXI); // IMSC
    uart.write(0x000, 32, 0x41); // DR
    backend.drain();
    expect(uart.line).toBe(true);
  }

  it("an enabled SPI 32 routed to vCPU1 becomes pending there and is taken, active, completed", () => {
    expect(GUEST_VPL011_SPI).toBe(32);
    const { gic, uart, backend } = wired();
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 1); // SPI 32
    wr(gic, 0, GICD_ITARGETSR.offsetOf(8), 0x02, 8); // SPI 32 -> vCPU1
    wr(gic, 0, GICD_IPRIORITYR.offsetOf(8), 0xa0, 8);
    raiseUartintr(uart, backend);
    expect(uart.spiInjections).toBeGreaterThan(0);
    expect(gic.isPending(32, 1)).toBe(true);
    expect(gic.isPending(32, 0)).toBe(false);
    expect(gic.signalled(1)).toBe(32);
    expect(gic.signalled(0)).toBeUndefined();
    expect(gic.kicks(1)).toBe(uart.spiInjections);
    expect(gic.acknowledge(1)).toBe(32);
    expect(gic.isActive(32, 1)).toBe(true);
    expect(gic.isPending(32, 1)).toBe(false);
    expect(gic.signalled(1)).toBeUndefined();
    gic.complete(1, 32);
    expect(gic.inflight(1)).toEqual([]);
    expect(() => gic.complete(1, 32)).toThrow(VgicUsageError);
  });

  it("a disabled SPI is held pending but not signalled until it is enabled again", () => {
    const { gic, uart, backend } = wired();
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 1);
    wr(gic, 0, GICD_ICENABLER.offsetOf(1), 1);
    raiseUartintr(uart, backend);
    expect(gic.isPending(32, 0)).toBe(true);
    expect(gic.signalled(0)).toBeUndefined();
    expect(gic.acknowledge(0)).toBe(SPURIOUS_INTID);
    wr(gic, 1, GICD_ISENABLER.offsetOf(1), 1);
    expect(gic.signalled(0)).toBe(32);
  });

  it("without a distributor the vpl011 still only counts its injections", () => {
    const { uart, backend } = connectConsole();
    raiseUartintr(uart, backend);
    expect(uart.spiInjections).toBe(1);
  });

  it("an SPI injected while active is pending again after completion", () => {
    const gic = new Gicv2();
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 1);
    gic.injectSpi(32);
    expect(gic.acknowledge(0)).toBe(32);
    gic.injectSpi(32);
    expect([gic.isActive(32), gic.isPending(32), gic.signalled(0)]).toEqual([true, true, undefined]);
    gic.complete(0, 32);
    expect([gic.isActive(32), gic.isPending(32), gic.signalled(0)]).toEqual([false, true, 32]);
  });
});

describe("priorities order delivery", () => {
  it("the highest priority (lowest value) is taken first, first come first served among equals", () => {
    const gic = new Gicv2({ nrSpis: 32 });
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 0b111);
    wr(gic, 0, GICD_IPRIORITYR.offsetOf(8), 0x00a080a0); // 32: 0xa0, 33: 0x80, 34: 0xa0
    gic.injectSpi(34);
    gic.injectSpi(33);
    gic.injectSpi(32);
    expect(gic.inflight(0)).toEqual([33, 34, 32]);
    const order = [gic.acknowledge(0), gic.acknowledge(0), gic.acknowledge(0), gic.acknowledge(0)];
    expect(order).toEqual([33, 34, 32, SPURIOUS_INTID]);
  });

  it("priority is sampled when the interrupt is queued (a later IPRIORITYR write does not reorder it)", () => {
    const gic = new Gicv2();
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 0b11);
    wr(gic, 0, GICD_IPRIORITYR.offsetOf(8), 0x00008040); // 32: 0x40, 33: 0x80
    gic.injectSpi(32);
    gic.injectSpi(33);
    wr(gic, 0, GICD_IPRIORITYR.offsetOf(8), 0x00000080); // now 32: 0x80, 33: 0x00
    expect(gic.signalled(0)).toBe(32);
  });

  it("a PPI and an SPI on one vCPU compete by priority", () => {
    const gic = new Gicv2({ vcpus: 2 });
    wr(gic, 1, O.GICD_ISENABLER, 1 << 27); // PPI 27 (the virtual timer) on vCPU1
    wr(gic, 1, O.GICD_IPRIORITYR + 24, 0x20 << 24, 32);
    wr(gic, 0, GICD_ISENABLER.offsetOf(1), 1);
    wr(gic, 0, O.GICD_ITARGETSR + 32, 0x02, 8);
    wr(gic, 0, O.GICD_IPRIORITYR + 32, 0x90, 8);
    gic.injectSpi(32);
    gic.injectLocal(1, 27);
    expect(gic.signalled(1)).toBe(27);
    expect(gic.isPending(27, 0)).toBe(false);
  });
});

describe("SGIs through GICD_SGIR", () => {
  const sgir = (filter: number, list: number, id: number) => ((filter << 24) | (list << 16) | id) >>> 0;

  it("target list, all others, self; each vCPU enables its SGIs in its own bank", () => {
    const g = new Gicv2({ vcpus: 4 });
    for (let c = 0; c < 4; c++) wr(g, c, O.GICD_ISENABLER, 0xffff);
    wr(g, 0, O.GICD_SGIR, sgir(0, 0b1010, 3));
    expect([0, 1, 2, 3].map((c) => g.isPending(3, c))).toEqual([false, true, false, true]);
    wr(g, 2, O.GICD_SGIR, sgir(1, 0, 5));
    expect([0, 1, 2, 3].map((c) => g.isPending(5, c))).toEqual([true, true, false, true]);
    wr(g, 2, O.GICD_SGIR, sgir(2, 0xff, 7));
    expect([0, 1, 2, 3].map((c) => g.isPending(7, c))).toEqual([false, false, true, false]);
    expect(g.signalled(1)).toBe(3);
  });

  it("skips vCPUs that do not exist or are offline, and refuses filter 3", () => {
    const g = new Gicv2({ vcpus: 2 });
    g.setOnline(1, false);
    wr(g, 0, O.GICD_SGIR, sgir(0, 0b1110, 1));
    expect(g.inflight(1)).toEqual([]);
    expect(g.log.filter((l) => l.includes("bad target vcpu")).length).toBe(3);
    const before = snapshot(g);
    expect(refused(() => wr(g, 0, O.GICD_SGIR, sgir(3, 1, 1))).kind).toBe("unhandled");
    expect(snapshot(g)).toEqual(before);
  });

  it("a disabled SGI waits in flight", () => {
    const g = new Gicv2({ vcpus: 2 });
    wr(g, 0, O.GICD_SGIR, sgir(0, 0b10, 2));
    expect(g.isPending(2, 1)).toBe(true);
    expect(g.signalled(1)).toBeUndefined();
    wr(g, 0, O.GICD_ISENABLER, 1 << 2); // vCPU0's bank: no effect on vCPU1
    expect(g.signalled(1)).toBeUndefined();
    wr(g, 1, O.GICD_ISENABLER, 1 << 2);
    expect(g.signalled(1)).toBe(2);
  });
});

describe("set-pending through GICD_ISPENDRn", () => {
  it("rank 0 is set pending on the writing vCPU, SPIs on their target", () => {
    const g = new Gicv2({ vcpus: 2 });
    wr(g, 0, O.GICD_ITARGETSR + 32, 0x01010201); // SPI 33 -> vCPU1
    wr(g, 1, O.GICD_ISPENDR, 1 << 20);
    expect([g.isPending(20, 0), g.isPending(20, 1)]).toEqual([false, true]);
    wr(g, 0, GICD_ISPENDR.offsetOf(1), 0b11); // SPI 32 (vCPU0), SPI 33 (vCPU1)
    expect([g.isPending(32, 0), g.isPending(33, 1), g.isPending(33, 0)]).toEqual([true, true, false]);
    expect(refused(() => wr(g, 0, GICD_ISPENDR.offsetOf(1), 1, 8)).kind).toBe("bad-width");
  });
});

describe("GICD_CTLR gating", () => {
  it("gates nothing in Xen, and holds every interrupt back in the architecture's mode", () => {
    const xen = new Gicv2();
    const arch = new Gicv2({ ctlr: "architecture" });
    for (const g of [xen, arch]) {
      wr(g, 0, GICD_ISENABLER.offsetOf(1), 1);
      g.injectSpi(32);
    }
    expect(xen.signalled(0)).toBe(32);
    expect(arch.signalled(0)).toBeUndefined();
    expect(arch.acknowledge(0)).toBe(SPURIOUS_INTID);
    wr(arch, 0, O.GICD_CTLR, 1);
    expect(arch.signalled(0)).toBe(32);
  });
});
