import { describe, expect, it } from "vitest";
import {
  GUEST_PL011_BASE,
  GUEST_VPL011_SPI,
  pl011_AccessError,
  pl011_OFFSETS as O,
  pl011_reset,
  pl011_write,
  type pl011_Hooks,
} from "../../generated/ts/arm/pl011.ts";
import { BUSY, connectConsole, RXFE, RXFF, RXI, TXFE, TXFF, TXI, Vpl011, Vpl011AccessError } from "../../runtime/arm/vpl011.ts";
import { createXenconsInterface, queued, ringInvariantHolds } from "../../runtime/arm/xencons-ring.ts";
import { GuestDriver } from "./guest-driver.ts";

function setup(start?: { in?: number; out?: number }) {
  const { uart, backend } = connectConsole(start ? { intf: createXenconsInterface(start) } : {});
  return { uart, backend, guest: new GuestDriver(uart) };
}

/** FR, RIS, MIS as the guest reads them, plus the counters the patch's code drives. */
function observe(uart: Vpl011, guest: GuestDriver) {
  return {
    FR: guest.reg("FR"),
    RIS: guest.reg("RIS"),
    MIS: guest.reg("MIS"),
    spi: uart.spiInjections,
    notify: uart.backendNotifications,
  };
}

function refused(fn: () => unknown): Vpl011AccessError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(Vpl011AccessError);
    return e as Vpl011AccessError;
  }
  throw new Error("expected the access to be refused");
}

describe("vpl011 flag and interrupt bits", () => {
  it("come from the generated field descriptors at the patch's positions", () => {
    expect({ RXFE, TXFF, RXFF, TXFE, BUSY, RXI, TXI }).toEqual({
      RXFE: 1 << 4,
      TXFF: 1 << 5,
      RXFF: 1 << 6,
      TXFE: 1 << 7,
      BUSY: 1 << 3,
      RXI: 1 << 4,
      TXI: 1 << 5,
    });
    expect(GUEST_VPL011_SPI).toBe(32);
    expect(GUEST_PL011_BASE).toBe(0x22000000);
  });
});

describe("vpl011 guest scenario", () => {
  it("writes a string, reads input, masks and unmasks interrupts step by step", () => {
    const { uart, backend, guest } = setup();
    // The patch initialises nothing: the zeroed struct vpl011.
    expect(observe(uart, guest)).toEqual({ FR: 0, RIS: 0, MIS: 0, spi: 0, notify: 0 });

    guest.set("DR", 0x68); // 'h'
    expect(observe(uart, guest)).toEqual({ FR: BUSY, RIS: 0, MIS: 0, spi: 0, notify: 1 });
    guest.set("DR", 0x69); // 'i'
    expect(observe(uart, guest)).toEqual({ FR: BUSY, RIS: 0, MIS: 0, spi: 0, notify: 2 });
    expect(backend.notifications).toBe(2);
    expect(queued(uart.intf.out)).toBe(2);

    // xenconsoled drains OUT and raises the event channel: vpl011_data_avail.
    expect(backend.drain()).toEqual([0x68, 0x69]);
    expect(backend.outputText()).toBe("hi");
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: TXI, MIS: 0, spi: 0, notify: 2 });

    // Unmask RX and TX: vpl011_update sees RIS & IMSC = TXI and injects the SPI.
    guest.set("IMSC", RXI | TXI);
    expect(guest.reg("IMSC")).toBe(RXI | TXI);
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: TXI, MIS: TXI, spi: 1, notify: 2 });
    expect(uart.line).toBe(true);

    // Clear TXI through ICR (write-1-to-clear into RIS).
    guest.set("ICR", TXI);
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: 0, MIS: 0, spi: 1, notify: 2 });
    expect(uart.line).toBe(false);

    // Input arrives: RXI and (OUT not full) TXI are raised, the SPI is injected again.
    expect(backend.feedText("ok")).toBe(2);
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: RXI | TXI, MIS: RXI | TXI, spi: 2, notify: 2 });

    expect(guest.reg("DR")).toBe(0x6f);
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: RXI | TXI, MIS: RXI | TXI, spi: 2, notify: 2 });
    expect(guest.reg("DR")).toBe(0x6b);
    // The ring is empty: RXFE set, RXI cleared; the patch does not call vpl011_update here.
    expect(observe(uart, guest)).toEqual({ FR: TXFE | RXFE, RIS: TXI, MIS: TXI, spi: 2, notify: 2 });

    // Reading an empty ring gives 0 and logs an error.
    expect(guest.reg("DR")).toBe(0);
    expect(uart.errors).toEqual(["vpl011: Unexpected IN ring buffer empty"]);
    expect(observe(uart, guest)).toEqual({ FR: TXFE | RXFE, RIS: TXI, MIS: TXI, spi: 2, notify: 2 });

    // Mask everything: no injection.
    guest.set("IMSC", 0);
    expect(observe(uart, guest)).toEqual({ FR: TXFE | RXFE, RIS: TXI, MIS: 0, spi: 2, notify: 2 });
  });

  it("drives a console end to end with the polling driver", () => {
    const { uart, backend, guest } = setup();
    expect(guest.puts("hello, xen\n")).toBe(11);
    expect(uart.backendNotifications).toBe(11);
    backend.drain();
    expect(backend.outputText()).toBe("hello, xen\n");
    backend.feedText("ls -l\n");
    expect(guest.gets()).toBe("ls -l\n");
    expect(guest.reg("FR")).toBe(TXFE | RXFE);
    expect(uart.errors).toEqual([]);
  });

  it("fills and drains the OUT ring: TXFF at 2048, a dropped byte with a logged error, TXI back on drain", () => {
    const { uart, backend, guest } = setup();
    guest.set("IMSC", TXI);
    for (let i = 0; i < 2047; i++) guest.set("DR", i & 0xff);
    expect(observe(uart, guest)).toEqual({ FR: BUSY, RIS: 0, MIS: 0, spi: 0, notify: 2047 });
    guest.set("DR", 0xaa);
    expect(observe(uart, guest)).toEqual({ FR: BUSY | TXFF, RIS: 0, MIS: 0, spi: 0, notify: 2048 });
    // The polling driver stops at TXFF.
    expect(guest.puts("x")).toBe(0);
    // A write anyway is dropped, logged, and still notifies the backend.
    guest.set("DR", 0xbb);
    expect(uart.errors).toEqual(["vpl011: Unexpected OUT ring buffer full"]);
    expect(observe(uart, guest)).toEqual({ FR: BUSY | TXFF, RIS: 0, MIS: 0, spi: 0, notify: 2049 });
    expect(queued(uart.intf.out)).toBe(2048);

    // The backend takes one byte: room again, TXI raised and injected; still busy.
    expect(backend.drain(1)).toEqual([0]);
    expect(observe(uart, guest)).toEqual({ FR: BUSY, RIS: TXI, MIS: TXI, spi: 1, notify: 2049 });
    // A write that fills the ring again clears TXI.
    guest.set("DR", 0xcc);
    expect(observe(uart, guest)).toEqual({ FR: BUSY | TXFF, RIS: 0, MIS: 0, spi: 1, notify: 2050 });
    backend.drain();
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: TXI, MIS: TXI, spi: 2, notify: 2050 });
    const expected = [...Array.from({ length: 2047 }, (_, i) => i & 0xff), 0xaa, 0xcc];
    expect(backend.output).toEqual(expected);
  });

  it("fills and drains the IN ring: RXFF at 1024, RXFF cleared by the first read, RXFE at the end", () => {
    const { uart, backend, guest } = setup();
    guest.set("IMSC", RXI);
    const bytes = Array.from({ length: 1100 }, (_, i) => (i * 7) & 0xff);
    expect(backend.feed(bytes)).toBe(1024);
    expect(observe(uart, guest)).toEqual({ FR: RXFF | TXFE, RIS: RXI | TXI, MIS: RXI, spi: 1, notify: 0 });
    expect(guest.reg("DR")).toBe(bytes[0]);
    expect(observe(uart, guest)).toEqual({ FR: TXFE, RIS: RXI | TXI, MIS: RXI, spi: 1, notify: 0 });
    const rest: number[] = [];
    for (let i = 1; i < 1024; i++) rest.push(guest.reg("DR", 8));
    expect(rest).toEqual(bytes.slice(1, 1024));
    expect(observe(uart, guest)).toEqual({ FR: TXFE | RXFE, RIS: TXI, MIS: 0, spi: 1, notify: 0 });
    expect(uart.errors).toEqual([]);
  });

  it("wraps the free-running indices at 2^32 without losing or reordering bytes", () => {
    const { uart, backend, guest } = setup({ in: 0xfffffff0, out: 0xfffffffe });
    expect(guest.puts("wrap!")).toBe(5);
    expect(uart.intf.out.prod).toBe(3);
    expect(queued(uart.intf.out)).toBe(5);
    backend.drain();
    expect(backend.outputText()).toBe("wrap!");
    expect(uart.intf.out.cons).toBe(3);
    expect(backend.feedText("0123456789abcdefghij")).toBe(20);
    expect(uart.intf.in.prod).toBe(4);
    expect(guest.gets()).toBe("0123456789abcdefghij");
    expect(uart.intf.in.cons).toBe(4);
    expect(ringInvariantHolds(uart.intf.in) && ringInvariantHolds(uart.intf.out)).toBe(true);
  });

  it("reports a full OUT ring across the wrap (prod < cons as raw numbers)", () => {
    const { uart, backend, guest } = setup({ out: 0xfffffc00 });
    for (let i = 0; i < 2048; i++) guest.set("DR", i & 0xff);
    expect(uart.intf.out.prod).toBe(0x400);
    expect(uart.intf.out.cons).toBe(0xfffffc00);
    expect(queued(uart.intf.out)).toBe(2048);
    expect(guest.reg("FR")).toBe(BUSY | TXFF);
    backend.drain();
    expect(backend.output).toEqual(Array.from({ length: 2048 }, (_, i) => i & 0xff));
    expect(guest.reg("FR")).toBe(TXFE);
  });
});

describe("vpl011 register semantics and refused accesses", () => {
  const snapshot = (uart: Vpl011) => ({
    state: { ...uart.state },
    in: [uart.intf.in.prod, uart.intf.in.cons, [...uart.intf.in.buf]],
    out: [uart.intf.out.prod, uart.intf.out.cons, [...uart.intf.out.buf]],
    spi: uart.spiInjections,
    notify: uart.backendNotifications,
  });

  it("reads RSR as 0 and ignores ECR writes", () => {
    const { uart, guest } = setup();
    expect(guest.reg("RSR")).toBe(0);
    guest.set("ECR", 0xf);
    expect(guest.reg("RSR")).toBe(0);
    expect(uart.state.RSR).toBe(0);
  });

  it("ignores writes to FR, RIS and MIS, even 64-bit ones (write_ignore precedes the width check)", () => {
    const { uart, backend, guest } = setup();
    backend.feedText("a");
    const before = snapshot(uart);
    guest.set("FR", 0xffffffff);
    guest.set("RIS", 0);
    guest.set("MIS", 0xffff, 16);
    guest.set("FR", 0, 64);
    expect(snapshot(uart)).toEqual(before);
  });

  it("fails ICR reads, after the width check", () => {
    const { uart, guest } = setup();
    const e = refused(() => guest.reg("ICR"));
    expect([e.kind, e.consequence]).toEqual(["write-only", "data-abort"]);
    const w = refused(() => guest.reg("ICR", 64));
    expect([w.kind, w.consequence]).toEqual(["bad-width", "domain-crash"]);
    expect(uart.errors).toEqual(["vpl011: bad read width 64 offset 0x044"]);
  });

  it("rejects 64-bit accesses to handled registers as vpl011_reg32_check_access, leaving state unchanged", () => {
    const { uart, backend, guest } = setup();
    backend.feedText("xy");
    guest.set("IMSC", RXI);
    const before = snapshot(uart);
    for (const name of ["DR", "RSR", "FR", "RIS", "MIS", "IMSC", "ICR"] as const) {
      const e = refused(() => guest.reg(name, 64));
      expect([e.kind, e.consequence, e.op, e.offset, e.width]).toEqual(["bad-width", "domain-crash", "read", O[name], 64]);
    }
    for (const name of ["DR", "RSR", "IMSC", "ICR"] as const) {
      const e = refused(() => guest.set(name, 0x41, 64));
      expect([e.kind, e.consequence, e.op]).toEqual(["bad-width", "domain-crash", "write"]);
    }
    expect(snapshot(uart)).toEqual(before);
    expect(guest.reg("DR")).toBe(0x78);
  });

  it("refuses other widths with typed errors and no state change", () => {
    const { uart, guest } = setup();
    const before = snapshot(uart);
    expect(refused(() => guest.set("DR", 0x41, 24)).kind).toBe("bad-width");
    expect(refused(() => guest.set("IMSC", 0x41, 0)).kind).toBe("bad-width");
    expect(snapshot(uart)).toEqual(before);
  });

  it("fails unhandled offsets clearly: other PL011 registers, misaligned and empty offsets, addresses outside the block", () => {
    const { uart } = setup();
    for (const offset of [O.IBRD, O.CR, O.LCR_H, O.DMACR, O.PeriphID0, O.PCellID3, 0x001, 0x00c]) {
      const r = refused(() => uart.read(offset, 32));
      expect([r.kind, r.consequence, r.offset]).toEqual(["unhandled", "data-abort", offset]);
      // The patch's default case comes before any width check.
      const w = refused(() => uart.write(offset, 64, 1));
      expect([w.kind, w.consequence]).toEqual(["unhandled", "data-abort"]);
    }
    expect(uart.errors[0]).toBe("vpl011: unhandled read offset 0x024");
    expect(refused(() => uart.mmioRead(GUEST_PL011_BASE + 0x1000, 32)).kind).toBe("outside");
    expect(refused(() => uart.mmioRead(GUEST_PL011_BASE - 4, 32)).kind).toBe("outside");
  });

  it("applies 8- and 16-bit accesses to the low bits, as vreg_reg32_update/extract/clearbits", () => {
    const { uart, backend, guest } = setup();
    guest.set("IMSC", 0xffff0030);
    expect(guest.reg("IMSC")).toBe(0xffff0030);
    guest.set("IMSC", 0x10, 8);
    expect(guest.reg("IMSC")).toBe(0xffff0010);
    expect(guest.reg("IMSC", 8)).toBe(0x10);
    expect(guest.reg("IMSC", 16)).toBe(0x0010);
    backend.feedText("z");
    expect(guest.reg("RIS")).toBe(RXI | TXI);
    guest.set("ICR", TXI, 8);
    expect(guest.reg("RIS")).toBe(RXI);
    // A 32-bit DR write keeps only the low byte (data &= 0xFF).
    guest.set("DR", 0x1ff);
    expect(uart.intf.out.buf[0]).toBe(0xff);
    expect(guest.reg("DR", 16)).toBe(0x7a);
  });

  it("can start from the TRM reset values of the generated register file instead", () => {
    const uart = new Vpl011({ start: "reset" });
    expect(uart.read(O.FR, 32)).toBe(TXFE | RXFE);
    expect(uart.state.CR).toBe(0x300);
  });
});

/**
 * A guest store writes from a 64-bit Xn whatever the access size; Xen's vreg_reg32_update keeps
 * the low `size` bits (VREG_REG_MASK). Expected values below are worked out by hand from that rule.
 */
describe("vpl011 masks wide register values to the access size, as vreg_reg32_update", () => {
  const snapshot = (uart: Vpl011) => ({
    state: { ...uart.state },
    out: [uart.intf.out.prod, [...uart.intf.out.buf]],
    spi: uart.spiInjections,
    notify: uart.backendNotifications,
  });

  it("strb of a register holding 0x141 to DR transmits 0x41", () => {
    const { uart, backend, guest } = setup();
    guest.set("DR", 0x141, 8);
    expect(queued(uart.intf.out)).toBe(1);
    expect(uart.intf.out.buf[0]).toBe(0x41);
    expect(uart.errors).toEqual([]);
    // Same effect as a plain strb of 0x41 on a second UART.
    const other = setup();
    other.guest.set("DR", 0x41, 8);
    expect(snapshot(uart)).toEqual(snapshot(other.uart));
    expect(backend.drain()).toEqual([0x41]);
    expect(backend.outputText()).toBe("A");
  });

  it("strh and str to DR keep the low half/word, then the patch's data &= 0xFF", () => {
    const { uart, backend, guest } = setup();
    guest.set("DR", 0x7_1242, 16); // low 16 bits 0x1242 → byte 0x42
    guest.set("DR", 2 ** 32 + 0x43, 32); // bit 32 dropped → 0x43
    guest.set("DR", 0xffff_ffff_ffff_ff44n); // an Xn with every high bit set → 0x44
    guest.set("DR", 2n ** 64n - 1n, 8); // the largest register value → 0xff
    guest.set("DR", Number.MAX_SAFE_INTEGER, 16); // 2^53 − 1: low 16 bits 0xffff → 0xff
    expect(backend.drain()).toEqual([0x42, 0x43, 0x44, 0xff, 0xff]);
    expect(uart.errors).toEqual([]);
  });

  it("strh and str to IMSC store only the accessed bits", () => {
    const { guest } = setup();
    guest.set("IMSC", 0x1_0030, 16); // bit 16 is outside a halfword store
    expect(guest.reg("IMSC")).toBe(0x0030);
    guest.set("IMSC", 0xabcd_0000_0000_0010n); // word store of an Xn: the high word is dropped
    expect(guest.reg("IMSC")).toBe(0x10);
    guest.set("IMSC", 0xffff_0000, 32);
    guest.set("IMSC", 0x5_00ff_0020n, 16); // replaces the low half only: 0xffff0000 → 0xffff0020
    expect(guest.reg("IMSC")).toBe(0xffff_0020);
    guest.set("IMSC", 0x1ff, 8); // low byte 0xff: 0xffff0020 → 0xffff00ff
    expect(guest.reg("IMSC")).toBe(0xffff_00ff);
  });

  it("ICR clears only the bits the access carries (vreg_reg32_clearbits masks too)", () => {
    const { backend, guest } = setup();
    backend.feedText("q");
    expect(guest.reg("RIS")).toBe(RXI | TXI);
    guest.set("ICR", 0xffff_ffff_0000_0000n); // word store: the set bits are all above bit 31
    expect(guest.reg("RIS")).toBe(RXI | TXI);
    guest.set("ICR", 0x1000 | TXI, 8); // byte store: only TXI (bit 5) is in the low byte
    expect(guest.reg("RIS")).toBe(RXI);
  });

  it("still refuses 64-bit accesses as a bad width, whatever the value", () => {
    const { uart, guest } = setup();
    const before = snapshot(uart);
    for (const v of [0x141, 2n ** 64n - 1n]) {
      const e = refused(() => guest.set("DR", v, 64));
      expect([e.kind, e.consequence]).toEqual(["bad-width", "domain-crash"]);
    }
    expect(snapshot(uart)).toEqual(before);
  });

  it("refuses values no 64-bit register holds as caller errors, before any other check", () => {
    const { uart, guest } = setup();
    const before = snapshot(uart);
    const bad: unknown[] = [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 64, -1n, 2n ** 64n, "0x41", null, {}];
    for (const v of bad) {
      for (const name of ["DR", "IMSC", "FR", "IBRD"] as const) {
        const e = refused(() => guest.set(name, v as number, 8));
        expect([e.kind, e.consequence, e.op], `${name} ${String(v)}`).toEqual(["bad-value", "caller-error", "write"]);
      }
    }
    expect(snapshot(uart)).toEqual(before);
    expect(uart.errors).toEqual([]);
  });

  it("leaves the generated dispatch strict: a too-wide value passed to pl011_write is its typed 'value' error", () => {
    const state = pl011_reset();
    const pushed: number[] = [];
    const hooks: pl011_Hooks = { pop_rx: () => 0, push_tx: (_s, v) => void pushed.push(v), update: () => {} };
    for (const [offset, width, value] of [
      [O.DR, 8, 0x141],
      [O.DR, 16, 0x1_0000],
      [O.IMSC, 16, 0x1_0030],
      [O.ICR, 32, 2 ** 32],
    ] as const) {
      let err: unknown;
      try {
        pl011_write(state, hooks, offset, width, value);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(pl011_AccessError);
      expect((err as pl011_AccessError).kind).toBe("value");
    }
    expect(pushed).toEqual([]);
    expect(state).toEqual(pl011_reset());
  });
});
