/**
 * Xen's vGICv2 distributor (xen/arch/arm/vgic-v2.c over vgic.c) for one domain.
 *
 * The generated register file (specs/arm/gicv2-distributor.json) decodes offsets into registers,
 * array elements and byte lanes, checks access widths, and applies the declared semantics:
 * w1s/w1c over one enable bitmap for GICD_ISENABLER/ICENABLER, lane merges for priorities,
 * RAZ/WI ranges, CTLR's reserved bits. This module adds what a register map cannot say:
 *
 * - per-vCPU banks: rank 0 (interrupts 0-31) is v->arch.vgic.private_irqs, so ISENABLER0,
 *   IPRIORITYR0-7, ITARGETSR0-7 and ICFGR0-1 exist once per vCPU. The bank of the accessing
 *   vCPU is placed in the register file for the duration of each access.
 * - the domain's size: ranks beyond nr_spis / 32 have no vgic_irq_rank, so their elements read as
 *   zero and ignore writes, after the same width checks as a backed element.
 * - the hooks: TYPER from the domain, set-pending, SGIs, ITARGETSR routing, and the cases Xen
 *   refuses (the handler returns 0 and the guest takes a data abort).
 * - delivery: injections, pending and active state per vCPU (./vgic-inflight.ts), which Xen keeps
 *   outside the distributor registers.
 *
 * Up to eight vCPUs (vgic_max_vcpus for GICv2: an ITARGETSR byte and SGIR.CPUTargetList have
 * eight bits); one by default, as a guest created with no vcpus setting has.
 */
import { HwspecError } from "../../generated/ts/support.ts";
import {
  GICD_ITARGETSR,
  GICD_SGIR,
  GICD_SGIR_TARGETLISTFILTER as FILTER,
  GUEST_GICD_BASE,
  GUEST_GICD_SIZE,
  NR_INTERRUPT_PER_RANK,
  VGIC_MAX_SPIS,
  VGIC_V2_MAX_VCPUS,
  gicv2_AccessError,
  gicv2_REGISTERS,
  gicv2_read,
  gicv2_reset,
  gicv2_write,
  type gicv2_Hooks,
  type gicv2_State,
} from "../../generated/ts/arm/gicv2-distributor.ts";
import { NR_LOCAL_IRQS, SPURIOUS_INTID, VgicInflight, VgicUsageError } from "./vgic-inflight.ts";
import type { Vpl011SpiTarget } from "./vpl011.ts";

export { SPURIOUS_INTID, VgicUsageError };

export type GicErrorKind = "bad-width" | "bad-value" | "misaligned" | "unhandled" | "outside";

/**
 * A refused guest access. Every refusal of Xen's distributor ends the same way: the MMIO handler
 * returns 0 and the guest takes a data abort (bad widths no longer crash the domain). The
 * register file and the delivery state are unchanged when one is thrown.
 */
export class GicAccessError extends HwspecError {
  override name = "GicAccessError";
  readonly consequence = "data-abort";
  constructor(
    readonly kind: GicErrorKind,
    readonly op: "read" | "write",
    readonly cpu: number,
    readonly offset: number,
    readonly width: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Gicv2Options {
  /** max_vcpus of the domain: 1..8 (default 1). */
  vcpus?: number;
  /** nr_spis: rounded up to a multiple of 32 as domain_vgic_init does, then at most 988, so at most 960 in effect (default 32: one shared rank, enough for GUEST_VPL011_SPI). */
  nrSpis?: number;
  /**
   * `xen` (default): GICD_CTLR.Enable is stored but, as in Xen, gates nothing.
   * `architecture`: no interrupt is signalled to any vCPU while GICD_CTLR.Enable is 0.
   */
  ctlr?: "xen" | "architecture";
  /** Receives the lines Xen would print (gprintk/printk), also kept in `log`. */
  log?: (line: string) => void;
}

type Reg = (typeof gicv2_REGISTERS)[number];
type ArrayName = "GICD_ISENABLER" | "GICD_IPRIORITYR" | "GICD_ITARGETSR" | "GICD_ICFGR";

/** Registers of rank 0 each vCPU has its own copy of, and how many elements of each. */
const BANKED: readonly (readonly [ArrayName, number])[] = [
  ["GICD_ISENABLER", 1],
  ["GICD_IPRIORITYR", 8],
  ["GICD_ITARGETSR", 8],
  ["GICD_ICFGR", 2],
];

/** Interrupts per element (32 / b, b being vgic_rank_offset's bits per interrupt), for the registers whose elements belong to a rank. */
const PER_ELEMENT: Readonly<Record<string, number>> = {
  GICD_ISENABLER: 32,
  GICD_ICENABLER: 32,
  GICD_ISPENDR: 32,
  GICD_ICPENDR: 32,
  GICD_ISACTIVER: 32,
  GICD_ICACTIVER: 32,
  GICD_IPRIORITYR: 4,
  GICD_ITARGETSR: 4,
  GICD_ICFGR: 16,
};

const hex = (n: number) => "0x" + n.toString(16).padStart(3, "0");
const widthMask = (width: number) => (width >= 32 ? 0xffffffff : (1 << width) - 1);
const bitsOf = (value: number): number[] => {
  const out: number[] = [];
  for (let b = 0; b < 32; b++) if ((value >>> b) & 1) out.push(b);
  return out;
};

/** The register (and element) an offset falls in, from the generated descriptors. */
function locate(offset: number): { reg: Reg; index: number } | undefined {
  for (const reg of gicv2_REGISTERS) {
    const count = "count" in reg ? reg.count : 1;
    const stride = "stride" in reg ? reg.stride : reg.width / 8;
    const rel = offset - reg.offset;
    if (rel < 0 || rel >= (count - 1) * stride + reg.width / 8) continue;
    const index = Math.floor(rel / stride);
    if (rel - index * stride < reg.width / 8) return { reg, index };
  }
  return undefined;
}

/** The storage register an alias writes into. */
const storageOf = (reg: Reg): string => ("aliasOf" in reg ? reg.aliasOf : reg.name);

interface Bank {
  GICD_ISENABLER: number[];
  GICD_IPRIORITYR: number[];
  GICD_ITARGETSR: number[];
  GICD_ICFGR: number[];
}

export class Gicv2 implements Vpl011SpiTarget {
  readonly vcpus: number;
  readonly nrSpis: number;
  /** Ranks of 32 interrupts the domain has: rank 0 (private) plus nrSpis / 32 shared. */
  readonly nrRanks: number;
  readonly log: string[] = [];
  private readonly s: gicv2_State;
  private readonly banks: Bank[];
  private readonly delivery: VgicInflight;
  private readonly hooks: gicv2_Hooks;
  private readonly gate: "xen" | "architecture";
  private readonly logLine: (line: string) => void;
  /** The access being dispatched: hooks need the vCPU and the byte offset, which the generated interface does not pass. */
  private ctx = { cpu: 0, offset: 0 };

  constructor(options: Gicv2Options = {}) {
    const vcpus = options.vcpus ?? 1;
    if (!Number.isInteger(vcpus) || vcpus < 1 || vcpus > VGIC_V2_MAX_VCPUS) {
      throw new VgicUsageError(`vgic-v2: ${String(vcpus)} vCPUs; a GICv2 guest has 1 to ${VGIC_V2_MAX_VCPUS}`);
    }
    const asked = options.nrSpis ?? 32;
    const nrSpis = Math.ceil(asked / NR_INTERRUPT_PER_RANK) * NR_INTERRUPT_PER_RANK;
    if (!Number.isInteger(asked) || asked < 0 || nrSpis > VGIC_MAX_SPIS) {
      // ROUNDUP comes before the limit in domain_vgic_init, so 961..988 are refused too.
      throw new VgicUsageError(`vgic-v2: ${String(asked)} SPIs (${nrSpis} rounded up); domain_vgic_init refuses more than ${VGIC_MAX_SPIS}`);
    }
    this.vcpus = vcpus;
    this.nrSpis = nrSpis;
    this.nrRanks = 1 + nrSpis / NR_INTERRUPT_PER_RANK;
    this.gate = options.ctlr ?? "xen";
    this.logLine = (line) => {
      this.log.push(line);
      options.log?.(line);
    };
    this.s = gicv2_reset();
    // Elements of ranks the domain does not have hold 0 forever: they read as zero.
    for (const [name] of BANKED) {
      const arr = this.s[name];
      for (let i = 0; i < arr.length; i++) if (!this.rankBacked(name, i)) arr[i] = 0;
    }
    this.banks = Array.from({ length: vcpus }, (_, cpu) => ({
      GICD_ISENABLER: [0],
      GICD_IPRIORITYR: Array<number>(8).fill(0),
      // vgic_rank_init(private_irqs, 0, v->vcpu_id): every SGI and PPI targets its own vCPU.
      GICD_ITARGETSR: Array<number>(8).fill(Math.imul(1 << cpu, 0x01010101) >>> 0),
      GICD_ICFGR: [0, 0],
    }));
    this.delivery = new VgicInflight(vcpus, nrSpis, {
      enabled: (cpu, irq) => this.isEnabled(irq, cpu),
      priority: (cpu, irq) => this.priorityOf(irq, cpu),
      target: (irq) => this.targetOf(irq),
    });
    this.hooks = {
      typer: () => (((this.vcpus - 1) << 5) | Math.ceil(this.nrSpis / 32)) >>> 0,
      set_pending: (_s, value, width, index) => this.setPending(value, width, index),
      clear_pending: (_s, value, width, index) => this.clearPending(value, width, index),
      set_active: (_s, value, width, index) => this.setActive(value, width, index),
      clear_active: (_s, value, width, index) => this.clearActive(value, width, index),
      set_targets: (s, value, width, index) => this.setTargets(s, value, width, index),
      sgi: (_s, value) => this.sendSgi(value),
      sgi_pending: (_s, value, width, index) => this.sgiPending(value, width, index),
    };
  }

  // ---- guest accesses ----------------------------------------------------------------------

  /** A guest read of `width` bits at a guest physical address (GUEST_GICD_BASE..+SIZE) from vCPU `cpu`. */
  mmioRead(cpu: number, gpa: number, width: number): number {
    return this.read(cpu, this.offsetOf(cpu, gpa, width, "read"), width);
  }

  mmioWrite(cpu: number, gpa: number, width: number, value: number): void {
    this.write(cpu, this.offsetOf(cpu, gpa, width, "write"), width, value);
  }

  /** vgic_v2_distr_mmio_read: a `width`-bit read at `offset` in the distributor, from vCPU `cpu`. */
  read(cpu: number, offset: number, width: number): number {
    this.delivery.checkCpu(cpu);
    this.ctx = { cpu, offset };
    this.inside(cpu, offset, width, "read");
    return this.dispatch(cpu, offset, width, "read", () => gicv2_read(this.s, this.hooks, offset, width));
  }

  /** vgic_v2_distr_mmio_write: a `width`-bit write of `value` at `offset`, from vCPU `cpu`. */
  write(cpu: number, offset: number, width: number, value: number): void {
    this.delivery.checkCpu(cpu);
    this.ctx = { cpu, offset };
    this.inside(cpu, offset, width, "write");
    // ICPIDR3 and the component IDs: the write switch has no case, so `default` refuses them
    // before any width check.
    if (offset >= 0xfec) this.refuse("unhandled", "write", offset, width, `unhandled write ${hex(value)} at offset ${hex(offset)}`);
    const hit = locate(offset);
    const keep = hit ? this.writeDropped(hit.reg, hit.index) : undefined;
    this.dispatch(cpu, offset, width, "write", () => {
      const before = keep ? this.s[keep.name][keep.index]! : 0;
      gicv2_write(this.s, this.hooks, offset, width, value);
      if (keep) this.s[keep.name][keep.index] = before;
    });
  }

  /** Storage a write must leave as it was although the register file would store it. */
  private writeDropped(reg: Reg, index: number): { name: ArrayName; index: number } | undefined {
    const name = storageOf(reg);
    if (name !== "GICD_ISENABLER" && name !== "GICD_IPRIORITYR" && name !== "GICD_ICFGR") return undefined;
    // No rank behind the element (vgic_rank_offset returned NULL): write_ignore.
    if (!this.rankBacked(reg.name, index)) return { name, index };
    // ICFGR0 (SGIs) and ICFGR1 (PPIs): write_ignore_32, after the register file's width check.
    if (name === "GICD_ICFGR" && index < 2) return { name, index };
    return undefined;
  }

  private offsetOf(cpu: number, gpa: number, width: number, op: "read" | "write"): number {
    const offset = gpa - GUEST_GICD_BASE;
    if (!Number.isInteger(gpa) || offset < 0 || offset >= GUEST_GICD_SIZE) {
      throw new GicAccessError("outside", op, cpu, offset, width, `vGICD: address 0x${gpa.toString(16)} is outside the distributor`);
    }
    return offset;
  }

  private inside(cpu: number, offset: number, width: number, op: "read" | "write"): void {
    if (!Number.isInteger(offset) || offset < 0 || offset >= GUEST_GICD_SIZE) {
      throw new GicAccessError("outside", op, cpu, offset, width, `vGICD: offset ${String(offset)} is outside the distributor`);
    }
  }

  /** Runs a generated dispatch with `cpu`'s bank in place, turning its typed errors into Xen's outcome. */
  private dispatch<T>(cpu: number, offset: number, width: number, op: "read" | "write", run: () => T): T {
    const bank = this.banks[cpu]!;
    for (const [name, n] of BANKED) for (let i = 0; i < n; i++) this.s[name][i] = bank[name][i]!;
    try {
      return run();
    } catch (e) {
      if (!(e instanceof gicv2_AccessError)) throw e;
      const where = `offset ${hex(offset)}`;
      switch (e.kind) {
        case "width":
          this.refuse("bad-width", op, offset, width, `bad ${op} width ${width} ${where}`);
        case "value":
          throw new GicAccessError("bad-value", op, cpu, offset, width, e.message);
        case "misaligned":
          throw new GicAccessError("misaligned", op, cpu, offset, width, `${e.message} (alignment fault in the guest)`);
        case "unmapped": {
          // Inside a word-only register: Xen's VREG32/VRANGE32 case still matches and its width
          // check refuses the access; a word there never reaches Xen (alignment fault).
          const hit = locate(offset);
          if (hit && width < hit.reg.width) this.refuse("bad-width", op, offset, width, `bad ${op} width ${width} ${where}`);
          if (hit) throw new GicAccessError("misaligned", op, cpu, offset, width, `${e.message} (alignment fault in the guest)`);
          this.refuse("unhandled", op, offset, width, `unhandled ${op} ${where}`);
        }
        case "read-fault":
          this.refuse("unhandled", op, offset, width, `unhandled ${op} ${where}`);
      }
      throw e;
    } finally {
      for (const [name, n] of BANKED) for (let i = 0; i < n; i++) bank[name][i] = this.s[name][i]!;
    }
  }

  private refuse(kind: GicErrorKind, op: "read" | "write", offset: number, width: number, message: string): never {
    const line = `vcpu${this.ctx.cpu}: vGICD: ${message}`;
    this.logLine(line);
    throw new GicAccessError(kind, op, this.ctx.cpu, offset, width, line);
  }

  /** vgic_rank_offset(v, b, ...) != NULL: the element's rank exists in this domain. */
  private rankBacked(name: string, index: number): boolean {
    const per = PER_ELEMENT[name];
    if (per === undefined) return true;
    return Math.floor((index * per) / NR_INTERRUPT_PER_RANK) < this.nrRanks;
  }

  // ---- hooks ---------------------------------------------------------------------------------

  private wordOnly(width: number, what: string): void {
    if (width !== 32) this.refuse("bad-width", "write", this.ctx.offset, width, `bad write width ${width} to ${what}`);
  }

  /** vgic_set_irqs_pending. */
  private setPending(value: number, width: number, index: number): void {
    this.wordOnly(width, `ISPENDR${index}`);
    if (!this.rankBacked("GICD_ISPENDR", index)) return;
    for (const b of bitsOf(value)) {
      const irq = index * 32 + b;
      this.delivery.inject(index === 0 ? this.ctx.cpu : undefined, irq);
    }
  }

  /** vgic_check_inflight_irqs_pending: warns, clears nothing. */
  private clearPending(value: number, width: number, index: number): void {
    this.wordOnly(width, `ICPENDR${index}`);
    if (!this.rankBacked("GICD_ICPENDR", index)) return;
    for (const b of bitsOf(value)) {
      const irq = index * 32 + b;
      const on = irq < NR_LOCAL_IRQS ? this.delivery.isInflight(this.ctx.cpu, irq) : this.delivery.spiHolder(irq) !== undefined;
      if (on) this.logLine(`vcpu${this.ctx.cpu}: trying to clear pending interrupt ${irq}`);
    }
  }

  private setActive(value: number, width: number, index: number): void {
    this.wordOnly(width, `ISACTIVER${index}`);
    if (value === 0) return;
    this.refuse("unhandled", "write", this.ctx.offset, width, `unhandled word write ${hex(value)} to ISACTIVER${index}`);
  }

  private clearActive(value: number, width: number, index: number): void {
    this.logLine(`vcpu${this.ctx.cpu}: vGICD: unhandled write ${hex(value)} to ICACTIVER${index}`);
    this.wordOnly(width, `ICACTIVER${index}`);
  }

  /** vgic_store_itargetsr over the lanes the guest wrote (vreg_reg32_update). */
  private setTargets(s: gicv2_State, value: number, width: number, index: number): void {
    if (index < 8) {
      this.wordOnly(width, `ITARGETSR${index}`);
      return;
    }
    if (!this.rankBacked("GICD_ITARGETSR", index)) return;
    const shift = (this.ctx.offset & 3) * 8;
    const old = s.GICD_ITARGETSR[index]!;
    const merged = GICD_ITARGETSR.applyWrite(old, (value << shift) >>> 0, (widthMask(width) << shift) >>> 0);
    let next = old;
    for (let y = 0; y < 4; y++) {
      const wanted = (merged >>> (8 * y)) & 0xff;
      const irq = index * 4 + y;
      // The 1-N model: the lowest vCPU of the list receives the SPI.
      const target = wanted === 0 ? -1 : 31 - Math.clz32(wanted & -wanted);
      if (target < 0 || target >= this.vcpus) {
        this.logLine(`vcpu${this.ctx.cpu}: no valid vCPU for vIRQ${irq} in target list ${hex(wanted)}, skipped`);
        continue;
      }
      next = ((next & ~(0xff << (8 * y))) | ((1 << target) << (8 * y))) >>> 0;
    }
    s.GICD_ITARGETSR[index] = next;
  }

  /** vgic_v2_to_sgi / vgic_to_sgi. */
  private sendSgi(value: number): void {
    const virq = GICD_SGIR.get.SGIINTID(value);
    const me = this.ctx.cpu;
    switch (GICD_SGIR.get.TargetListFilter(value)) {
      case FILTER.LIST:
        for (const cpu of bitsOf(GICD_SGIR.get.CPUTargetList(value))) {
          if (cpu >= this.vcpus || !this.delivery.isOnline(cpu)) {
            this.logLine(`vcpu${me}: vGIC: SGIR write ${hex(value)}, bad target vcpu${cpu}`);
            continue;
          }
          this.delivery.inject(cpu, virq);
        }
        return;
      case FILTER.OTHERS:
        for (let cpu = 0; cpu < this.vcpus; cpu++) if (cpu !== me && this.delivery.isOnline(cpu)) this.delivery.inject(cpu, virq);
        return;
      case FILTER.SELF:
        this.delivery.inject(me, virq);
        return;
      case FILTER.RESERVED:
        this.refuse("unhandled", "write", this.ctx.offset, 32, `unhandled SGIR write ${hex(value)} with wrong mode`);
    }
  }

  private sgiPending(value: number, width: number, index: number): void {
    const name = this.ctx.offset >= 0xf20 ? "SPENDSGIR" : "CPENDSGIR";
    if (width === 16) this.refuse("bad-width", "write", this.ctx.offset, width, `bad write width 16 to ${name}${index}`);
    this.refuse("unhandled", "write", this.ctx.offset, width, `unhandled ${width === 8 ? "byte" : "word"} write ${hex(value)} to ${name}${index}`);
  }

  // ---- devices and the guest's CPU interface ---------------------------------------------------

  /** vgic_inject_irq(d, NULL, spi, true): what the vpl011 calls for UARTINTR. */
  injectSpi(spi: number): void {
    this.delivery.inject(undefined, spi);
  }

  /** vgic_inject_irq(d, v, irq, true) for an SGI or PPI of vCPU `cpu`. */
  injectLocal(cpu: number, irq: number): void {
    if (!Number.isInteger(irq) || irq < 0 || irq >= NR_LOCAL_IRQS) throw new VgicUsageError(`vgic: ${String(irq)} is not an SGI or PPI`);
    this.delivery.inject(cpu, irq);
  }

  /** The interrupt the distributor presents to vCPU `cpu` next: highest priority, enabled, pending, not active. */
  signalled(cpu: number): number | undefined {
    if (this.gate === "architecture" && !this.ctlrEnabled) {
      this.delivery.checkCpu(cpu);
      return undefined;
    }
    return this.delivery.next(cpu);
  }

  /** The guest acknowledges (GICC_IAR through the virtual CPU interface): returns the interrupt, now active, or 1023. */
  acknowledge(cpu: number): number {
    return this.signalled(cpu) === undefined ? SPURIOUS_INTID : this.delivery.acknowledge(cpu);
  }

  /** The guest completes an active interrupt (EOI and deactivate). */
  complete(cpu: number, irq: number): void {
    this.delivery.complete(cpu, irq);
  }

  setOnline(cpu: number, online: boolean): void {
    this.delivery.setOnline(cpu, online);
  }

  // ---- state as the guest programmed it ----------------------------------------------------------

  get ctlrEnabled(): boolean {
    return (this.s.GICD_CTLR & 1) !== 0;
  }

  isPending(irq: number, cpu = 0): boolean {
    return this.delivery.isPending(cpu, irq);
  }

  isActive(irq: number, cpu = 0): boolean {
    return this.delivery.isActive(cpu, irq);
  }

  /** In-flight interrupts of vCPU `cpu` in delivery order (pending or active, enabled or not). */
  inflight(cpu: number): number[] {
    return this.delivery.inflightOn(cpu);
  }

  kicks(cpu: number): number {
    this.delivery.checkCpu(cpu);
    return this.delivery.kicks[cpu]!;
  }

  isEnabled(irq: number, cpu = 0): boolean {
    const word = this.element("GICD_ISENABLER", irq, 32, cpu);
    return ((word >>> (irq % 32)) & 1) !== 0;
  }

  priorityOf(irq: number, cpu = 0): number {
    return (this.element("GICD_IPRIORITYR", irq, 4, cpu) >>> (8 * (irq % 4))) & 0xff;
  }

  /** The vCPU an interrupt is delivered to: its own vCPU for 0-31, the routed one for an SPI. */
  targetOf(irq: number, cpu = 0): number {
    const byte = (this.element("GICD_ITARGETSR", irq, 4, cpu) >>> (8 * (irq % 4))) & 0xff;
    return 31 - Math.clz32(byte);
  }

  /** ICFGR's Int_config[1]: edge-triggered. Xen records it; delivery treats every interrupt alike. */
  isEdge(irq: number, cpu = 0): boolean {
    return ((this.element("GICD_ICFGR", irq, 16, cpu) >>> (2 * (irq % 16) + 1)) & 1) !== 0;
  }

  /** The register file as vCPU `cpu` sees it (a copy, its bank in place). */
  registerFile(cpu = 0): gicv2_State {
    this.delivery.checkCpu(cpu);
    const copy = structuredClone(this.s);
    const bank = this.banks[cpu]!;
    for (const [name, n] of BANKED) for (let i = 0; i < n; i++) copy[name][i] = bank[name][i]!;
    return copy;
  }

  private element(name: ArrayName, irq: number, perElement: number, cpu: number): number {
    if (!this.delivery.isValid(irq)) throw new VgicUsageError(`vgic: interrupt ${String(irq)} is outside this domain`);
    const index = Math.floor(irq / perElement);
    if (irq < NR_LOCAL_IRQS) {
      this.delivery.checkCpu(cpu);
      return this.banks[cpu]![name][index]!;
    }
    return this.s[name][index]!;
  }
}
