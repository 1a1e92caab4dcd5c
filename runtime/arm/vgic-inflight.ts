/**
 * The delivery side of Xen's vGIC (xen/arch/arm/vgic.c, gic-vgic.c): what the distributor
 * registers cannot show, because Xen keeps it in struct pending_irq and the per-vCPU
 * inflight_irqs lists rather than in any GICD register.
 *
 * One record per interrupt: SGIs and PPIs (0-31) have one per vCPU (v->arch.vgic.pending_irqs),
 * SPIs one per domain (d->arch.vgic.pending_irqs). An interrupt is *in flight* on a vCPU from the
 * injection that queues it until the guest completes it; the inflight list of each vCPU is
 * ordered by the priority the interrupt had when it was queued, first come first served among
 * equal priorities (vgic_inject_irq inserts before the first entry of strictly lower priority).
 *
 * List registers are not modelled: Xen's hardware GICH/GICV interface shows an in-flight,
 * enabled interrupt to the guest, the guest acknowledges it (it becomes active) and completes it
 * (EOI + deactivate). `acknowledge` and `complete` stand for those two guest steps.
 */
import { HwspecError } from "../../generated/ts/support.ts";
import { GIC_SPURIOUS_INTID, NR_LOCAL_IRQS } from "../../generated/ts/arm/gicv2-distributor.ts";

/** A call the model cannot honour: a vCPU or interrupt outside the domain, a completion of an interrupt that is not active. */
export class VgicUsageError extends HwspecError {
  override name = "VgicUsageError";
}

/** Xen's struct pending_irq, reduced to the state the guest can observe. */
interface PendingIrq {
  readonly irq: number;
  /** On a vCPU's inflight list (list_empty(&p->inflight) is false). */
  inflight: boolean;
  /** The vCPU whose list holds it; for an SPI it stays there when the SPI is retargeted (vgic_migrate_irq does nothing for virtual interrupts). */
  on: number;
  /** GIC_IRQ_GUEST_ACTIVE: the guest acknowledged it and has not completed it. */
  active: boolean;
  /** GIC_IRQ_GUEST_QUEUED: injected again since the guest last acknowledged it. */
  queued: boolean;
  /** Priority sampled at injection (n->priority); later GICD_IPRIORITYR writes do not reorder it. */
  priority: number;
}

/** What the delivery side asks the register side: enable bits and priorities as the guest programmed them. */
export interface VgicRegisterView {
  enabled(cpu: number, irq: number): boolean;
  priority(cpu: number, irq: number): number;
  /** The vCPU an SPI is routed to (rank->vcpu[]). */
  target(irq: number): number;
}

export { NR_LOCAL_IRQS };
export const SPURIOUS_INTID = GIC_SPURIOUS_INTID;

export class VgicInflight {
  private readonly local: PendingIrq[][];
  private readonly shared: PendingIrq[];
  private readonly lists: PendingIrq[][];
  private readonly online: boolean[];
  /** vcpu_kick calls per vCPU: every injection that reached a vCPU kicks it. */
  readonly kicks: number[];

  constructor(
    readonly vcpus: number,
    readonly nrSpis: number,
    private readonly regs: VgicRegisterView,
  ) {
    const fresh = (irq: number): PendingIrq => ({ irq, inflight: false, on: 0, active: false, queued: false, priority: 0 });
    this.local = Array.from({ length: vcpus }, () => Array.from({ length: NR_LOCAL_IRQS }, (_, i) => fresh(i)));
    this.shared = Array.from({ length: nrSpis }, (_, i) => fresh(NR_LOCAL_IRQS + i));
    this.lists = Array.from({ length: vcpus }, () => []);
    this.online = Array<boolean>(vcpus).fill(true);
    this.kicks = Array<number>(vcpus).fill(0);
  }

  /** Interrupt IDs the domain has: 0-31 and 32..32+nrSpis-1. */
  isValid(irq: number): boolean {
    return Number.isInteger(irq) && irq >= 0 && irq < NR_LOCAL_IRQS + this.nrSpis;
  }

  checkCpu(cpu: number): void {
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= this.vcpus) {
      throw new VgicUsageError(`vgic: vCPU ${String(cpu)} is not one of this domain's ${this.vcpus}`);
    }
  }

  private record(cpu: number, irq: number): PendingIrq {
    if (!this.isValid(irq)) throw new VgicUsageError(`vgic: interrupt ${String(irq)} is outside this domain (${NR_LOCAL_IRQS + this.nrSpis} interrupts)`);
    if (irq < NR_LOCAL_IRQS) {
      this.checkCpu(cpu);
      return this.local[cpu]![irq]!;
    }
    return this.shared[irq - NR_LOCAL_IRQS]!;
  }

  /** _VPF_down: an offline vCPU drops injections and SGIs skip it. */
  setOnline(cpu: number, online: boolean): void {
    this.checkCpu(cpu);
    this.online[cpu] = online;
  }

  isOnline(cpu: number): boolean {
    this.checkCpu(cpu);
    return this.online[cpu]!;
  }

  /**
   * vgic_inject_irq(d, v, virq, level = true). `cpu` undefined means "an SPI, to its target"
   * (v == NULL in Xen); SGIs and PPIs need the vCPU.
   */
  inject(cpu: number | undefined, irq: number): void {
    if (cpu === undefined) {
      if (irq < NR_LOCAL_IRQS || !this.isValid(irq)) throw new VgicUsageError(`vgic: ${String(irq)} is not an SPI of this domain; SGIs and PPIs need a vCPU`);
      cpu = this.regs.target(irq);
    }
    const n = this.record(cpu, irq);
    this.checkCpu(cpu);
    if (!this.online[cpu]) return;
    n.queued = true;
    if (!n.inflight) {
      n.priority = this.regs.priority(cpu, irq);
      const list = this.lists[cpu]!;
      const at = list.findIndex((p) => p.priority > n.priority);
      list.splice(at < 0 ? list.length : at, 0, n);
      n.inflight = true;
      n.on = cpu;
    }
    this.kicks[cpu]!++;
  }

  /** In flight on `cpu` (an SPI only on the vCPU whose list holds it). */
  isInflight(cpu: number, irq: number): boolean {
    const n = this.record(cpu, irq);
    return n.inflight && (irq < NR_LOCAL_IRQS || n.on === cpu);
  }

  /** Pending from the guest's point of view: in flight and not yet acknowledged, or injected again while active. */
  isPending(cpu: number, irq: number): boolean {
    const n = this.record(cpu, irq);
    return this.isInflight(cpu, irq) && (!n.active || n.queued);
  }

  isActive(cpu: number, irq: number): boolean {
    return this.isInflight(cpu, irq) && this.record(cpu, irq).active;
  }

  /** The vCPU whose inflight list holds an SPI, if any. */
  spiHolder(irq: number): number | undefined {
    const n = this.record(0, irq);
    return irq >= NR_LOCAL_IRQS && n.inflight ? n.on : undefined;
  }

  /** The interrupts in flight on `cpu`, in list (delivery) order. */
  inflightOn(cpu: number): number[] {
    this.checkCpu(cpu);
    return this.lists[cpu]!.map((p) => p.irq);
  }

  /** Priority an in-flight interrupt was queued with. */
  queuedPriority(cpu: number, irq: number): number | undefined {
    const n = this.record(cpu, irq);
    return n.inflight ? n.priority : undefined;
  }

  /**
   * The interrupt the guest would take next on `cpu`: the first entry of the inflight list that
   * is enabled and not active (Xen puts only enabled interrupts into list registers, and an
   * active interrupt is not signalled again until it is completed).
   */
  next(cpu: number): number | undefined {
    this.checkCpu(cpu);
    for (const p of this.lists[cpu]!) {
      if (!p.active && this.regs.enabled(cpu, p.irq)) return p.irq;
    }
    return undefined;
  }

  /** The guest reads its interrupt acknowledge register: the next interrupt becomes active, or 1023. */
  acknowledge(cpu: number): number {
    const irq = this.next(cpu);
    if (irq === undefined) return SPURIOUS_INTID;
    const n = this.record(cpu, irq);
    n.active = true;
    n.queued = false;
    return irq;
  }

  /**
   * The guest completes an active interrupt (EOI and deactivate; the list register empties). As
   * in gic_update_one_lr, it is raised again if it was injected while active and is still
   * enabled, and otherwise leaves the inflight list.
   */
  complete(cpu: number, irq: number): void {
    const n = this.record(cpu, irq);
    if (!this.isInflight(cpu, irq) || !n.active) {
      throw new VgicUsageError(`vgic: interrupt ${irq} is not active on vCPU ${cpu}`);
    }
    n.active = false;
    if (n.queued && this.regs.enabled(cpu, irq)) return;
    n.queued = false;
    n.inflight = false;
    const list = this.lists[n.on]!;
    list.splice(list.indexOf(n), 1);
  }
}
