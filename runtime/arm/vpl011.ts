/**
 * Xen's emulated SBSA PL011 (xen/arch/arm/vpl011.c of the vpl011 patch) over the xencons rings.
 *
 * Register decoding, access-width and value checks, MIS = RIS & IMSC, ICR write-1-to-clear and
 * the UARTINTR line come from the generated register file (specs/arm/pl011.json); this module
 * implements the spec's hooks (pop_rx, push_tx, update) with the patch's ring and flag logic and
 * the patch's choice of which offsets it handles. Wide write values are masked to the access
 * size here, before the generated dispatch, because that is what Xen's vreg_reg32_update does.
 */
import { HwspecError } from "../../generated/ts/support.ts";
import {
  FR,
  GUEST_PL011_BASE,
  GUEST_PL011_SIZE,
  GUEST_VPL011_SPI,
  RIS,
  pl011_AccessError,
  pl011_OFFSETS,
  pl011_interrupts,
  pl011_read,
  pl011_reset,
  pl011_value_MIS,
  pl011_write,
  type pl011_Hooks,
  type pl011_State,
} from "../../generated/ts/arm/pl011.ts";
import { ConsoleBackend } from "./console-backend.ts";
import { createXenconsInterface, queued, xenconsMask, xenconsQueued, u32, type XenconsInterface } from "./xencons-ring.ts";

/** Flag and interrupt bits the patch uses, taken from the generated field descriptors. */
const bit = (shape: { fields: readonly { name: string; lsb: number }[] }, name: string): number => {
  const f = shape.fields.find((x) => x.name === name);
  if (!f) throw new Error(`internal: no field ${name}`);
  return (1 << f.lsb) >>> 0;
};
export const RXFE = bit(FR, "RXFE");
export const TXFF = bit(FR, "TXFF");
export const RXFF = bit(FR, "RXFF");
export const TXFE = bit(FR, "TXFE");
export const BUSY = bit(FR, "BUSY");
/** RIS bits the patch calls RXI and TXI (RXIM/TXIM in the shared interrupt layout). */
export const RXI = bit(RIS, "RXIM");
export const TXI = bit(RIS, "TXIM");

/** The offsets vpl011_mmio_read/vpl011_mmio_write handle; everything else is their default case. */
const HANDLED = new Set<number>([
  pl011_OFFSETS.DR,
  pl011_OFFSETS.RSR,
  pl011_OFFSETS.FR,
  pl011_OFFSETS.RIS,
  pl011_OFFSETS.MIS,
  pl011_OFFSETS.IMSC,
  pl011_OFFSETS.ICR,
]);
/** Writes the patch ignores before any width check (`goto write_ignore`). */
const WRITE_IGNORED = new Set<number>([pl011_OFFSETS.FR, pl011_OFFSETS.RIS, pl011_OFFSETS.MIS]);

/**
 * How the patch ends a refused access: `domain-crash` for a bad width (domain_crash_synchronous),
 * `data-abort` where the handler returns 0 (unhandled offset, ICR read) and the guest takes an abort.
 * `caller-error` is not a guest outcome: the call passed a value no 64-bit register can hold, so
 * Xen has no counterpart.
 */
export type Vpl011Consequence = "domain-crash" | "data-abort" | "caller-error";
export type Vpl011ErrorKind = "bad-width" | "bad-value" | "unhandled" | "write-only" | "outside";

/**
 * A refused guest access, or a write value no guest register holds. The emulator state and both
 * rings are unchanged when one is thrown.
 */
export class Vpl011AccessError extends HwspecError {
  override name = "Vpl011AccessError";
  constructor(
    readonly kind: Vpl011ErrorKind,
    readonly consequence: Vpl011Consequence,
    readonly op: "read" | "write",
    readonly offset: number,
    readonly width: number,
    message: string,
  ) {
    super(message);
  }
}

/** Where injections of GUEST_VPL011_SPI go: vgic_inject_irq(d, NULL, spi, true) (runtime/arm/gicv2.ts). */
export interface Vpl011SpiTarget {
  injectSpi(spi: number): void;
}

export interface Vpl011Options {
  /** Receives each SPI injection; without one the injections are only counted. */
  spiTarget?: Vpl011SpiTarget;
  /** The shared console page; a fresh one by default. */
  intf?: XenconsInterface;
  /**
   * `patch` (default): the state the patch starts from — struct vpl011 lives in the zeroed
   * struct arch_domain and domain_vpl011_init sets no register, so FR, RIS and IMSC are 0.
   * `reset`: the TRM reset values of the generated register file (FR = TXFE | RXFE).
   */
  start?: "patch" | "reset";
  /** Receives the patch's gprintk(XENLOG_ERR, ...) lines. */
  log?: (line: string) => void;
}

const hex = (n: number) => "0x" + n.toString(16).padStart(3, "0");

/**
 * The contents of the guest register a store writes from (the trapped instruction's Rt). An
 * AArch64 Xn holds up to 2^64 − 1, so a `bigint` in [0, 2^64) is accepted; a `number` must be a
 * safe integer in [0, 2^53), because above that a double no longer holds every low bit that the
 * mask to the access size keeps.
 */
export type Vpl011WriteValue = number | bigint;

const U64_LIMIT = 1n << 64n;

/** The dabt sizes vpl011_reg32_check_access lets through: every size but DABT_DOUBLE_WORD. */
const REG32_WIDTHS = new Set<number>([8, 16, 32]);

function isRegisterValue(value: unknown): value is Vpl011WriteValue {
  if (typeof value === "bigint") return value >= 0n && value < U64_LIMIT;
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * VREG_REG_MASK(dabt.size) as vreg_reg32_update applies it (`(uint32_t)val & mask`): the store
 * writes the low `width` bits of the register. Widths the check refuses pass through unmasked;
 * the dispatch rejects the width before it looks at the value, as the patch checks the access
 * before it calls vreg_reg32_update.
 */
function maskToAccess(value: Vpl011WriteValue, width: number): number {
  if (!REG32_WIDTHS.has(width)) return Number(value);
  if (typeof value === "bigint") return Number(BigInt.asUintN(width, value));
  return value % 2 ** width;
}

export class Vpl011 {
  readonly intf: XenconsInterface;
  readonly state: pl011_State;
  /** vgic_vcpu_inject_spi(d, GUEST_VPL011_SPI) calls. */
  spiInjections = 0;
  /** notify_via_xen_event_channel calls towards the backend. */
  backendNotifications = 0;
  readonly errors: string[] = [];
  readonly spi = GUEST_VPL011_SPI;
  private readonly hooks: pl011_Hooks;
  private readonly listeners: (() => void)[] = [];
  private readonly logLine: (line: string) => void;
  private readonly spiTarget: Vpl011SpiTarget | undefined;

  constructor(options: Vpl011Options = {}) {
    this.intf = options.intf ?? createXenconsInterface();
    this.spiTarget = options.spiTarget;
    this.state = pl011_reset();
    if ((options.start ?? "patch") === "patch") {
      this.state.FR = 0;
      this.state.RIS = 0;
      this.state.IMSC = 0;
    }
    this.logLine = (line) => {
      this.errors.push(line);
      options.log?.(line);
    };
    this.hooks = {
      pop_rx: () => this.readData(),
      push_tx: (_s, value) => this.writeData(value & 0xff),
      update: () => this.update(),
    };
  }

  /** Registers the backend's event-channel handler (the other end of vpl011->evtchn). */
  onNotify(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** A guest read at a guest physical address (the MMIO handler covers GUEST_PL011_BASE..+SIZE). */
  mmioRead(gpa: number, width: number): number {
    return this.read(this.offsetOf(gpa, width, "read"), width);
  }

  /** A guest store at a guest physical address; `value` is the whole source register (see Vpl011WriteValue). */
  mmioWrite(gpa: number, width: number, value: Vpl011WriteValue): void {
    this.checkValue(gpa - GUEST_PL011_BASE, width, value);
    this.write(this.offsetOf(gpa, width, "write"), width, value);
  }

  /** vpl011_mmio_read: a `width`-bit read (8, 16, 32 or 64) at `offset` in the block. */
  read(offset: number, width: number): number {
    if (!HANDLED.has(offset)) {
      const line = `vpl011: unhandled read offset ${hex(offset)}`;
      this.logLine(line);
      throw new Vpl011AccessError("unhandled", "data-abort", "read", offset, width, line);
    }
    return this.dispatch("read", offset, width, () => pl011_read(this.state, this.hooks, offset, width));
  }

  /**
   * vpl011_mmio_write: a `width`-bit store of the register `value` at `offset` in the block. The
   * low `width` bits are written, as Xen masks them; a value no 64-bit register can hold is a
   * `bad-value` error before anything else, since no guest access could carry it.
   */
  write(offset: number, width: number, value: Vpl011WriteValue): void {
    this.checkValue(offset, width, value);
    if (!HANDLED.has(offset)) {
      const line = `vpl011: unhandled write offset ${hex(offset)}`;
      this.logLine(line);
      throw new Vpl011AccessError("unhandled", "data-abort", "write", offset, width, line);
    }
    // FR, RIS and MIS: `goto write_ignore` comes before any width check in the patch.
    if (WRITE_IGNORED.has(offset)) return;
    const data = maskToAccess(value, width);
    this.dispatch("write", offset, width, () => pl011_write(this.state, this.hooks, offset, width, data));
  }

  /** The backend raised the event channel: vpl011_notification → vpl011_data_avail. */
  dataAvail(): void {
    const intf = this.intf;
    const inQ = xenconsQueued(intf.in.prod, intf.in.cons, intf.in.buf.length);
    const outQ = xenconsQueued(intf.out.prod, intf.out.cons, intf.out.buf.length);
    const s = this.state;
    if (inQ !== 0) {
      s.FR = u32(s.FR & ~RXFE);
      if (inQ === intf.in.buf.length) s.FR = u32(s.FR | RXFF);
      s.RIS = u32(s.RIS | RXI);
    }
    if (outQ !== intf.out.buf.length) {
      s.FR = u32(s.FR & ~TXFF);
      s.RIS = u32(s.RIS | TXI);
      if (outQ === 0) {
        s.FR = u32(s.FR & ~BUSY);
        s.FR = u32(s.FR | TXFE);
      }
    }
    this.update();
  }

  /** MIS as the guest would read it. */
  get mis(): number {
    return pl011_value_MIS(this.state);
  }

  /** The level of UARTINTR (RIS & IMSC non-zero). */
  get line(): boolean {
    return pl011_interrupts(this.state).UARTINTR;
  }

  private checkValue(offset: number, width: number, value: unknown): asserts value is Vpl011WriteValue {
    if (isRegisterValue(value)) return;
    // Never String() an arbitrary object: its toString is the caller's code and may throw.
    const shown = typeof value === "bigint" ? `${value}n` : typeof value === "number" ? String(value) : `of type ${typeof value}`;
    throw new Vpl011AccessError(
      "bad-value",
      "caller-error",
      "write",
      offset,
      width,
      `vpl011: write value ${shown} is not a 64-bit register value (a number must be a safe integer 0..2^53-1, a bigint 0..2^64-1)`,
    );
  }

  private offsetOf(gpa: number, width: number, op: "read" | "write"): number {
    const offset = gpa - GUEST_PL011_BASE;
    if (!Number.isInteger(gpa) || offset < 0 || offset >= GUEST_PL011_SIZE) {
      throw new Vpl011AccessError("outside", "data-abort", op, offset, width, `vpl011: address 0x${gpa.toString(16)} is outside the PL011 region`);
    }
    return offset;
  }

  /** Runs a generated dispatch and turns its typed errors into the patch's outcomes. */
  private dispatch<T>(op: "read" | "write", offset: number, width: number, run: () => T): T {
    try {
      return run();
    } catch (e) {
      if (!(e instanceof pl011_AccessError)) throw e;
      const where = `offset ${hex(offset)}`;
      switch (e.kind) {
        case "width": {
          const line = `vpl011: bad ${op} width ${width} ${where}`;
          this.logLine(line);
          throw new Vpl011AccessError("bad-width", "domain-crash", op, offset, width, `${line} (domain crash)`);
        }
        case "value":
          // maskToAccess leaves no too-wide value for an accepted width, so this is a bug here.
          throw e;
        case "read-fault":
          throw new Vpl011AccessError("write-only", "data-abort", op, offset, width, e.message);
        case "unmapped":
          throw new Vpl011AccessError("unhandled", "data-abort", op, offset, width, e.message);
      }
    }
  }

  /** vpl011_update: inject the SPI while RIS & IMSC is non-zero (level interrupt). */
  private update(): void {
    if (!pl011_interrupts(this.state).UARTINTR) return;
    this.spiInjections++;
    this.spiTarget?.injectSpi(this.spi);
  }

  /** vpl011_read_data. */
  private readData(): number {
    const intf = this.intf;
    const size = intf.in.buf.length;
    const inProd = intf.in.prod;
    let inCons = intf.in.cons;
    let data = 0;
    if (xenconsQueued(inProd, inCons, size) > 0) {
      data = intf.in.buf[xenconsMask(inCons, size)]!;
      inCons = u32(inCons + 1);
      intf.in.cons = inCons;
    } else {
      this.logLine("vpl011: Unexpected IN ring buffer empty");
    }
    const s = this.state;
    if (xenconsQueued(inProd, inCons, size) === 0) {
      s.FR = u32(s.FR | RXFE);
      s.RIS = u32(s.RIS & ~RXI);
    }
    s.FR = u32(s.FR & ~RXFF);
    return data;
  }

  /** vpl011_write_data, then the event to the backend. */
  private writeData(data: number): void {
    const intf = this.intf;
    const size = intf.out.buf.length;
    const outCons = intf.out.cons;
    let outProd = intf.out.prod;
    if (xenconsQueued(outProd, outCons, size) !== size) {
      intf.out.buf[xenconsMask(outProd, size)] = data;
      outProd = u32(outProd + 1);
      intf.out.prod = outProd;
    } else {
      this.logLine("vpl011: Unexpected OUT ring buffer full");
    }
    const s = this.state;
    if (xenconsQueued(outProd, outCons, size) === size) {
      s.FR = u32(s.FR | TXFF);
      s.RIS = u32(s.RIS & ~TXI);
    }
    s.FR = u32(s.FR | BUSY);
    s.FR = u32(s.FR & ~TXFE);
    this.backendNotifications++;
    for (const l of this.listeners) l();
  }
}

/** Bytes waiting in each ring (for drivers and tests). */
export function ringLevels(intf: XenconsInterface): { in: number; out: number } {
  return { in: queued(intf.in), out: queued(intf.out) };
}

/**
 * An emulator and a backend on one shared page, wired as in Xen: each DR write notifies the
 * backend, and the backend's notifications run vpl011_data_avail.
 */
export function connectConsole(options: Vpl011Options = {}): { uart: Vpl011; backend: ConsoleBackend } {
  const uart = new Vpl011(options);
  const backend = new ConsoleBackend(uart.intf, () => uart.dataAvail());
  uart.onNotify(() => backend.onNotify());
  return { uart, backend };
}
