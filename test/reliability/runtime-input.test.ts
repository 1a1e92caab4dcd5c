/**
 * Guest-controlled and user-controlled bad input to the runtimes: each refusal is a typed error and
 * the modelled state (deep snapshot before and after) is unchanged.
 */
import { describe, expect, it } from "vitest";
import { machine as dpci } from "../../generated/ts/xen/dpci-softirq.ts";
import { GUEST_PL011_BASE, GUEST_PL011_SIZE, pl011_OFFSETS } from "../../generated/ts/arm/pl011.ts";
import * as x from "../../generated/ts/x86/pagetable.ts";
import { connectConsole, Vpl011, Vpl011AccessError } from "../../runtime/arm/vpl011.ts";
import { FsmError, Interpreter, type Move } from "../../runtime/fsm/interpreter.ts";
import { AddressRangeError, InvalidArgumentError, OutOfMemoryError, PageTable, PageTableError, SimFrameAllocator } from "../../runtime/x86/pagetable/index.ts";

/** Throws unless `fn` throws an instance of `type`; returns the error. */
function refused<E extends Error>(type: abstract new (...a: any[]) => E, fn: () => unknown): E {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, "expected a refusal").toBeInstanceOf(type);
  return err as E;
}

describe("vpl011: refused guest accesses leave registers, rings and counters unchanged", () => {
  const snap = (u: Vpl011) => structuredClone({ state: { ...u.state }, in: u.intf.in, out: u.intf.out, spi: u.spiInjections, notify: u.backendNotifications });

  /** A console with traffic in both rings, interrupts unmasked and pending. */
  function busy() {
    const { uart, backend } = connectConsole();
    for (const c of "hi") uart.write(pl011_OFFSETS.DR, 8, c.charCodeAt(0));
    uart.write(pl011_OFFSETS.IMSC, 32, 0x7ff);
    backend.onNotify();
    const intf = uart.intf;
    for (const c of [0x41, 0x42, 0x43]) intf.in.buf[intf.in.prod++ % intf.in.buf.length] = c;
    uart.dataAvail();
    return uart;
  }

  const HANDLED = ["DR", "RSR", "FR", "RIS", "MIS", "IMSC", "ICR"] as const;
  const BAD_WIDTHS = [0, 1, 3, 7, 24, 64, 128, -8, 8.5, Number.NaN, Number.POSITIVE_INFINITY];

  it("bad access widths (reads, and writes to stored registers) are typed errors", () => {
    const u = busy();
    for (const name of HANDLED) {
      for (const w of BAD_WIDTHS) {
        const before = snap(u);
        if (name !== "ICR") {
          const e = refused(Vpl011AccessError, () => u.read(pl011_OFFSETS[name], w));
          expect(e.kind, `${name} read width ${w}`).toBe("bad-width");
        }
        if (!["FR", "RIS", "MIS"].includes(name)) {
          const e = refused(Vpl011AccessError, () => u.write(pl011_OFFSETS[name], w, 1));
          expect(e.kind, `${name} write width ${w}`).toBe("bad-width");
        }
        expect(snap(u), `${name} width ${w}`).toEqual(before);
      }
    }
  });

  it("unknown, misaligned and out-of-block offsets are typed errors", () => {
    const u = busy();
    const offsets = [0x002, 0x001, 0x008, 0x01c, 0x030, 0x048, 0xfe0, 0xffc, 0x1000, 0x10000, -4, 1.5, Number.NaN, 2 ** 32];
    for (const off of offsets) {
      const before = snap(u);
      expect(refused(Vpl011AccessError, () => u.read(off, 32)).kind, `read ${off}`).toBe("unhandled");
      expect(refused(Vpl011AccessError, () => u.write(off, 32, 0xff)).kind, `write ${off}`).toBe("unhandled");
      expect(snap(u)).toEqual(before);
    }
    for (const gpa of [GUEST_PL011_BASE - 4, GUEST_PL011_BASE + GUEST_PL011_SIZE, GUEST_PL011_BASE + 0.5, Number.NaN, -1]) {
      const before = snap(u);
      expect(refused(Vpl011AccessError, () => u.mmioRead(gpa, 32)).kind, `read gpa ${gpa}`).toBe("outside");
      expect(refused(Vpl011AccessError, () => u.mmioWrite(gpa, 32, 1)).kind, `write gpa ${gpa}`).toBe("outside");
      expect(snap(u)).toEqual(before);
    }
  });

  it("values no 64-bit register holds (negative, fractional, unsafe numbers, bigints from 2^64, non-numbers) are typed errors", () => {
    const u = busy();
    const hostile = {
      toString() {
        throw new Error("caller code ran");
      },
    };
    const values: unknown[] = [-1, -0.5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 2 ** 64, -1n, 2n ** 64n, "65", null, undefined, hostile];
    for (const name of ["DR", "IMSC", "ICR", "RSR", "FR"] as const) {
      for (const w of [8, 32, 64]) {
        for (const v of values) {
          const before = snap(u);
          const e = refused(Vpl011AccessError, () => u.write(pl011_OFFSETS[name], w, v as number));
          expect([e.kind, e.consequence], `${name} ${w}-bit write of ${typeof v}`).toEqual(["bad-value", "caller-error"]);
          expect(snap(u), `${name} ${w}-bit write of ${typeof v}`).toEqual(before);
        }
      }
    }
    const before = snap(u);
    expect(refused(Vpl011AccessError, () => u.mmioWrite(GUEST_PL011_BASE, 8, hostile as unknown as number)).kind).toBe("bad-value");
    expect(snap(u)).toEqual(before);
  });

  it("ICR reads (write-only) are refused without popping the IN ring", () => {
    const u = busy();
    const before = snap(u);
    expect(refused(Vpl011AccessError, () => u.read(pl011_OFFSETS.ICR, 32)).kind).toBe("write-only");
    expect(snap(u)).toEqual(before);
  });
});

describe("page tables: refused operations leave tables, flushes, counters and the allocator unchanged", () => {
  const PH = x.PAGE_HYPERVISOR;
  const MFN_LIMIT = 2 ** (x.PADDR_BITS - x.PAGE_SHIFT);
  const VA_LIMIT = 2 ** x.VADDR_BITS;

  function populated(limit = Number.POSITIVE_INFINITY) {
    const alloc = new SimFrameAllocator({ limit });
    const pt = new PageTable({ allocator: alloc, page1gb: true });
    pt.mapPages(0, 0, 512 * 512 + 3, PH); // a 1 GiB page, then 4K pages
    pt.mapPages(0x7f00_0000_0000, 0x1234, 17, PH);
    pt.destroyMappings(0x2000, 0x5000);
    return { pt, alloc };
  }
  const snap = ({ pt, alloc }: ReturnType<typeof populated>) =>
    structuredClone({ tables: [...pt.tables].sort(([a], [b]) => a - b), flushes: pt.flushes, writes: pt.writes, inUse: [...alloc.inUse()].sort((a, b) => a - b) });

  it("misaligned or non-integer addresses, counts, frames and flags are EINVAL", () => {
    const s = populated();
    const before = snap(s);
    const bad: [string, () => unknown][] = [
      ["virt misaligned", () => s.pt.mapPages(0x1001, 0, 1, PH)],
      ["virt not an integer", () => s.pt.mapPages(4096.5, 0, 1, PH)],
      ["virt NaN", () => s.pt.mapPages(Number.NaN, 0, 1, PH)],
      ["virt negative", () => s.pt.mapPages(-4096, 0, 1, PH)],
      ["nr negative", () => s.pt.mapPages(0, 0, -1, PH)],
      ["nr fractional", () => s.pt.mapPages(0, 0, 1.5, PH)],
      ["nr infinite", () => s.pt.mapPages(0, 0, Number.POSITIVE_INFINITY, PH)],
      ["mfn negative", () => s.pt.mapPages(0, -1, 1, PH)],
      ["mfn fractional", () => s.pt.mapPages(0, 0.5, 1, PH)],
      ["flags too wide", () => s.pt.mapPages(0, 0, 1, 2 ** x.FLAGS_WIDTH)],
      ["flags negative", () => s.pt.mapPages(0, 0, 1, -1)],
      ["destroy start misaligned", () => s.pt.destroyMappings(0x10, 0x2000)],
      ["destroy end misaligned", () => s.pt.destroyMappings(0x1000, 0x2001)],
      ["destroy reversed", () => s.pt.destroyMappings(0x3000, 0x1000)],
      ["destroy NaN", () => s.pt.destroyMappings(0, Number.NaN)],
    ];
    for (const [what, fn] of bad) {
      const e = refused(InvalidArgumentError, fn);
      expect(e.code, what).toBe("EINVAL");
      expect(snap(s), what).toEqual(before);
    }
  });

  it("ranges past the address space and frames beyond PADDR_BITS are ERANGE", () => {
    const s = populated();
    const before = snap(s);
    const bad: [string, () => unknown][] = [
      ["last page plus one", () => s.pt.mapPages(VA_LIMIT - 4096, 0, 2, PH)],
      ["virt beyond", () => s.pt.mapPages(VA_LIMIT + 4096, 0, 1, PH)],
      ["huge nr", () => s.pt.mapPages(0, 0, 2 ** 40, PH)],
      ["nr beyond safe integers", () => s.pt.mapPages(0, 0, 2 ** 60, PH)],
      ["frames beyond PADDR_BITS", () => s.pt.mapPages(0, MFN_LIMIT - 1, 2, PH)],
      ["first frame beyond PADDR_BITS", () => s.pt.mapPages(0, MFN_LIMIT, 1, PH)],
      ["mfn far beyond", () => s.pt.mapPages(0, 2 ** 52, 1, PH)],
      ["destroy past the end", () => s.pt.destroyMappings(0, VA_LIMIT + 4096)],
      ["destroy far beyond", () => s.pt.destroyMappings(VA_LIMIT + 8192, VA_LIMIT + 16384)],
    ];
    for (const [what, fn] of bad) {
      const e = refused(AddressRangeError, fn);
      expect(e.code, what).toBe("ERANGE");
      expect(snap(s), what).toEqual(before);
    }
    // The edges themselves are accepted.
    expect(() => s.pt.mapPages(VA_LIMIT - 4096, MFN_LIMIT - 1, 1, PH)).not.toThrow();
  });

  it("allocator exhaustion at every allocation of an operation is ENOMEM and rolls back", () => {
    // An operation that needs several new tables (L3, L2, L1 under a fresh L4 slot, then shattering).
    const ops: [string, (pt: PageTable) => unknown][] = [
      ["map into an empty L4 slot", (pt) => pt.mapPages(0x0000_4000_0000_0000, 0x99, 3, PH)],
      ["shatter a 1 GiB page", (pt) => pt.mapPages(0x20_0000, 0x555, 1, PH & ~x._PAGE_RW)],
      ["destroy inside a 1 GiB page", (pt) => pt.destroyMappings(0x40_0000, 0x40_2000)],
    ];
    for (const [what, op] of ops) {
      let failures = 0;
      for (let k = 0; k < 8; k++) {
        const s = populated();
        const before = snap(s);
        let n = 0;
        s.alloc.failWhen = () => n++ === k;
        let err: unknown;
        try {
          op(s.pt);
        } catch (e) {
          err = e;
        }
        if (err === undefined) break; // the operation needs fewer than k + 1 tables
        failures++;
        expect(err, `${what}, allocation ${k}`).toBeInstanceOf(OutOfMemoryError);
        expect((err as PageTableError).code).toBe("ENOMEM");
        expect(snap(s), `${what}, allocation ${k}`).toEqual(before);
        // The table is still usable: the same operation succeeds once memory is back.
        s.alloc.failWhen = undefined;
        expect(() => op(s.pt)).not.toThrow();
      }
      expect(failures, what).toBeGreaterThan(0);
    }
  });

  it("a frame limit reached mid-operation is ENOMEM and rolls back", () => {
    const alloc = new SimFrameAllocator({ limit: 4 });
    const pt = new PageTable({ allocator: alloc, page1gb: false });
    pt.mapPages(0, 0, 1, PH); // root, L3, L2 and L1: the limit
    const s = { pt, alloc } as ReturnType<typeof populated>;
    const before = snap(s);
    const e = refused(OutOfMemoryError, () => pt.mapPages(0x0000_4000_0000_0000, 0, 1, PH));
    expect(e.code).toBe("ENOMEM");
    expect(snap(s)).toEqual(before);
  });
});

describe("machines: bad moves and traces are FsmErrors and leave the state unchanged", () => {
  function advanced() {
    const it = new Interpreter(dpci);
    it.run([
      { instance: "binder#0", step: "create_bind" },
      { instance: "binder#0", step: "restart" },
    ]);
    return it;
  }

  it("unknown instances, steps and disabled moves", () => {
    const it = advanced();
    const before = [...it.state];
    const bad: [Move, string][] = [
      [{ instance: "irq#7", step: "hvm_do_IRQ_dpci" }, "unknown-instance"],
      [{ instance: "nosuch#0", step: "x" }, "unknown-instance"],
      [{ instance: "irq", step: "hvm_do_IRQ_dpci" }, "unknown-instance"],
      [{ instance: "", step: "" }, "unknown-instance"],
      [{ instance: "__proto__", step: "constructor" }, "unknown-instance"],
      [{ instance: "irq#0", step: "no_such_step" }, "unknown-step"],
      [{ instance: "irq#0", step: "toString" }, "unknown-step"],
      [{ instance: "binder#0", step: "restart" }, "not-enabled"],
      [{ instance: "softirq#0", step: "do_softirq" }, "not-enabled"],
    ];
    for (const [move, code] of bad) {
      const e = refused(FsmError, () => it.step(move));
      expect(e.code, JSON.stringify(move)).toBe(code);
      expect([...it.state]).toEqual(before);
    }
  });

  it("malformed moves (as read from a JSON trace) are FsmErrors, not TypeErrors", () => {
    const it = advanced();
    const before = [...it.state];
    for (const move of [null, undefined, {}, { instance: 1, step: 2 }, { instance: "irq#0" }, "irq#0.hvm_do_IRQ_dpci", []] as unknown as Move[]) {
      refused(FsmError, () => it.step(move));
      refused(FsmError, () => it.run([{ instance: "binder#0", step: "set_dom" }, move]));
      expect([...it.state], JSON.stringify(move)).toEqual(before);
    }
  });

  it("run and replay are all-or-nothing on an invalid move anywhere in the list", () => {
    const it = advanced();
    const before = [...it.state];
    const good = it.enabled();
    expect(good.length).toBeGreaterThan(0);
    refused(FsmError, () => it.run([good[0]!, { instance: "irq#0", step: "nope" }]));
    expect([...it.state]).toEqual(before);
    const traces: Move[][] = [
      [{ instance: "binder#0", step: "restart" }], // not enabled in the initial state
      [{ instance: "binder#0", step: "create_bind" }, { instance: "binder#0", step: "create_bind" }],
      [{ instance: "irq#0", step: "hvm_do_IRQ_dpci" }, { instance: "irq#9", step: "hvm_do_IRQ_dpci" }],
    ];
    for (const t of traces) {
      refused(FsmError, () => it.replay(t));
      expect([...it.state], JSON.stringify(t)).toEqual(before);
    }
    for (const t of [null, undefined, "trace", 7, { length: 1, 0: null }] as unknown as Move[][]) {
      refused(FsmError, () => it.replay(t));
      expect([...it.state], String(t)).toEqual(before);
    }
  });

  it("bad instance counts are refused when the interpreter is built", () => {
    for (const counts of [{ irq: -1 }, { irq: 1.5 }, { nosuch: 1 }, { irq: Number.NaN }] as Record<string, number>[]) {
      refused(FsmError, () => new Interpreter(dpci, counts));
    }
  });
});
