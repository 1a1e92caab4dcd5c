import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GICD_ICENABLER, GICD_IPRIORITYR, GICD_ISENABLER, GICD_ISPENDR, gicv2_BLOCK, gicv2_OFFSETS as O } from "../../generated/ts/arm/gicv2-distributor.ts";
import { GicAccessError, Gicv2, SPURIOUS_INTID } from "../../runtime/arm/gicv2.ts";

const VCPUS = 3;
const NR_SPIS = 64; // ranks 0 (banked), 1, 2; ISENABLER3.. have no rank
const cpu = fc.integer({ min: 0, max: VCPUS - 1 });
const word = fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom(0, 0xffffffff, 1, 0x80000000));

/**
 * The reference for enable bits: one 32-bit set per (rank, vCPU) for rank 0 and per rank
 * otherwise, written as plain bitsets (set: or, clear: and-not), with no knowledge of offsets
 * beyond "element n covers interrupts 32n..32n+31".
 */
class EnableReference {
  private readonly banked = Array.from({ length: VCPUS }, () => new Set<number>());
  private readonly shared = new Set<number>();
  private set(c: number, n: number): Set<number> {
    return n === 0 ? this.banked[c]! : this.shared;
  }
  write(c: number, n: number, value: number, op: "set" | "clear"): void {
    if (n * 32 >= 32 + NR_SPIS) return;
    for (let b = 0; b < 32; b++) {
      if (((value >>> b) & 1) === 0) continue;
      if (op === "set") this.set(c, n).add(n * 32 + b);
      else this.set(c, n).delete(n * 32 + b);
    }
  }
  word(c: number, n: number): number {
    let v = 0;
    for (let b = 0; b < 32; b++) if (this.set(c, n).has(n * 32 + b)) v |= 1 << b;
    return v >>> 0;
  }
}

describe("GICD_ISENABLERn / GICD_ICENABLERn against a bitset reference", () => {
  it("random set-enable and clear-enable writes from random vCPUs read back as the reference", () => {
    const op = fc.record({ cpu, n: fc.integer({ min: 0, max: 5 }), value: word, clear: fc.boolean() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
        const ref = new EnableReference();
        for (const o of ops) {
          g.write(o.cpu, (o.clear ? GICD_ICENABLER : GICD_ISENABLER).offsetOf(o.n), 32, o.value);
          ref.write(o.cpu, o.n, o.value, o.clear ? "clear" : "set");
          for (let c = 0; c < VCPUS; c++) {
            for (let n = 0; n < 6; n++) {
              expect(g.read(c, GICD_ISENABLER.offsetOf(n), 32)).toBe(ref.word(c, n));
              expect(g.read(c, GICD_ICENABLER.offsetOf(n), 32)).toBe(ref.word(c, n));
            }
          }
        }
      }),
    );
  });
});

/**
 * The reference for delivery: per vCPU, the set of pending and of active interrupts, the
 * priority each was queued with and a sequence number of queueing; the next interrupt is the
 * minimum by (priority, sequence) among pending, enabled, not active ones.
 */
class DeliveryReference {
  readonly queuedAt = Array.from({ length: VCPUS }, () => new Map<number, { priority: number; seq: number }>());
  readonly active = Array.from({ length: VCPUS }, () => new Set<number>());
  readonly again = Array.from({ length: VCPUS }, () => new Set<number>());
  private seq = 0;
  constructor(private readonly g: Gicv2) {}
  inject(c: number, irq: number): void {
    const q = this.queuedAt[c]!;
    if (q.has(irq)) {
      if (this.active[c]!.has(irq)) this.again[c]!.add(irq);
      return;
    }
    q.set(irq, { priority: this.g.priorityOf(irq, c), seq: this.seq++ });
  }
  next(c: number): number | undefined {
    let best: { irq: number; priority: number; seq: number } | undefined;
    for (const [irq, e] of this.queuedAt[c]!) {
      if (this.active[c]!.has(irq) || !this.g.isEnabled(irq, c)) continue;
      if (!best || e.priority < best.priority || (e.priority === best.priority && e.seq < best.seq)) best = { irq, ...e };
    }
    return best?.irq;
  }
  acknowledge(c: number): number {
    const irq = this.next(c);
    if (irq === undefined) return SPURIOUS_INTID;
    this.active[c]!.add(irq);
    this.again[c]!.delete(irq);
    return irq;
  }
  complete(c: number, irq: number): void {
    this.active[c]!.delete(irq);
    if (this.again[c]!.has(irq) && this.g.isEnabled(irq, c)) return;
    this.again[c]!.delete(irq);
    this.queuedAt[c]!.delete(irq);
  }
  pending(c: number, irq: number): boolean {
    return this.queuedAt[c]!.has(irq) && (!this.active[c]!.has(irq) || this.again[c]!.has(irq));
  }
}

type DeliveryOp =
  | { k: "ispendr"; cpu: number; n: number; value: number }
  | { k: "spi"; irq: number }
  | { k: "enable"; cpu: number; n: number; value: number; clear: boolean }
  | { k: "priority"; cpu: number; irq: number; value: number }
  | { k: "target"; irq: number; to: number }
  | { k: "ack"; cpu: number }
  | { k: "eoi"; cpu: number; pick: number };

const irqs = fc.integer({ min: 0, max: 32 + NR_SPIS - 1 });
const spis = fc.integer({ min: 32, max: 32 + NR_SPIS - 1 });
const deliveryOp: fc.Arbitrary<DeliveryOp> = fc.oneof(
  fc.record({ k: fc.constant("ispendr" as const), cpu, n: fc.integer({ min: 0, max: 2 }), value: word }),
  fc.record({ k: fc.constant("spi" as const), irq: spis }),
  fc.record({ k: fc.constant("enable" as const), cpu, n: fc.integer({ min: 0, max: 2 }), value: word, clear: fc.boolean() }),
  fc.record({ k: fc.constant("priority" as const), cpu, irq: irqs, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ k: fc.constant("target" as const), irq: spis, to: cpu }),
  fc.record({ k: fc.constant("ack" as const), cpu }),
  fc.record({ k: fc.constant("eoi" as const), cpu, pick: fc.nat() }),
);

describe("pending and active state against a set reference", () => {
  it("set-pending writes, device injections, enables, priorities, targets, acknowledges and completions", () => {
    fc.assert(
      fc.property(fc.array(deliveryOp, { maxLength: 80 }), (ops) => {
        const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
        const ref = new DeliveryReference(g);
        // Where an in-flight SPI is held: the target it had when it was queued.
        const holder = new Map<number, number>();
        const spiInject = (irq: number) => {
          const c = holder.get(irq) ?? g.targetOf(irq);
          holder.set(irq, c);
          ref.inject(c, irq);
        };
        for (const o of ops) {
          switch (o.k) {
            case "ispendr":
              g.write(o.cpu, GICD_ISPENDR.offsetOf(o.n), 32, o.value);
              for (let b = 0; b < 32; b++) {
                if (((o.value >>> b) & 1) === 0) continue;
                if (o.n === 0) ref.inject(o.cpu, b);
                else spiInject(32 * o.n + b);
              }
              break;
            case "spi":
              g.injectSpi(o.irq);
              spiInject(o.irq);
              break;
            case "enable":
              g.write(o.cpu, (o.clear ? GICD_ICENABLER : GICD_ISENABLER).offsetOf(o.n), 32, o.value);
              break;
            case "priority":
              g.write(o.cpu, O.GICD_IPRIORITYR + o.irq, 8, o.value);
              break;
            case "target":
              g.write(0, O.GICD_ITARGETSR + o.irq, 8, 1 << o.to);
              break;
            case "ack":
              expect(g.acknowledge(o.cpu)).toBe(ref.acknowledge(o.cpu));
              break;
            case "eoi": {
              const active = [...ref.active[o.cpu]!].sort((a, b) => a - b);
              if (active.length === 0) break;
              const irq = active[o.pick % active.length]!;
              g.complete(o.cpu, irq);
              ref.complete(o.cpu, irq);
              if (irq >= 32 && !ref.queuedAt[o.cpu]!.has(irq)) holder.delete(irq);
              break;
            }
          }
          for (let c = 0; c < VCPUS; c++) {
            expect(g.signalled(c)).toBe(ref.next(c));
            for (let irq = 0; irq < 32 + NR_SPIS; irq++) {
              expect(g.isPending(irq, c)).toBe(ref.pending(c, irq));
              expect(g.isActive(irq, c)).toBe(ref.active[c]!.has(irq));
            }
          }
        }
      }),
    );
  });
});

const RAZ_WI: readonly [number, number][] = [
  [0x00c, 0x01f],
  [0x020, 0x03f],
  [0x040, 0x07f],
  [0x7fc, 0x7ff],
  [0xbfc, 0xbff],
  [0xd00, 0xdff],
  [0xf04, 0xf0f],
  [0xf30, 0xfcf],
  [0xfd0, 0xfe7],
];

describe("RAZ/WI space", () => {
  const access = fc
    .tuple(fc.constantFrom(...RAZ_WI), fc.nat(), fc.constantFrom(8, 16, 32), word, cpu)
    .map(([[first, last], pick, width, value, c]) => {
      const bytes = width / 8;
      const slots = Math.floor((last - first + 1) / bytes);
      return { offset: first + (pick % slots) * bytes, width, value: width === 32 ? value : value & ((1 << width) - 1), cpu: c };
    });

  it("reads 0 at every size and ignores writes, whatever was programmed before", () => {
    fc.assert(
      fc.property(fc.array(access, { minLength: 1, maxLength: 20 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 254 }), word)), (accesses, setup) => {
        const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
        for (const [n, v] of setup) g.write(0, GICD_IPRIORITYR.offsetOf(n), 32, v);
        g.write(0, O.GICD_CTLR, 32, 1);
        g.write(1, O.GICD_ISENABLER, 32, 0xffff);
        const before = Array.from({ length: VCPUS }, (_, c) => g.registerFile(c));
        for (const a of accesses) {
          expect(g.read(a.cpu, a.offset, a.width)).toBe(0);
          g.write(a.cpu, a.offset, a.width, a.value);
        }
        expect(Array.from({ length: VCPUS }, (_, c) => g.registerFile(c))).toEqual(before);
      }),
    );
  });

  it("covers, with the registers, every offset of the block: no access is an unhandled offset", () => {
    const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
    const unhandled: string[] = [];
    for (let off = 0; off < gicv2_BLOCK.size; off++) {
      for (const width of [8, 16, 32]) {
        if (off % (width / 8) !== 0) continue;
        try {
          g.read(0, off, width);
        } catch (e) {
          expect(e).toBeInstanceOf(GicAccessError);
          if ((e as GicAccessError).kind === "unhandled") unhandled.push(`${width}@0x${off.toString(16)}`);
          else expect((e as GicAccessError).kind).toBe("bad-width");
        }
      }
    }
    // Only the word read of GICD_ICPIDR2, which Xen refuses by name.
    expect(unhandled).toEqual([`32@0x${O.GICD_ICPIDR2.toString(16)}`]);
  });
});

describe("GICD_CTLR", () => {
  it("reads back exactly the written Enable bit, whatever else is written", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1 }), (values) => {
        const g = new Gicv2();
        for (const v of values) {
          g.write(0, O.GICD_CTLR, 32, v);
          expect(g.read(0, O.GICD_CTLR, 32)).toBe(v & 1);
        }
      }),
    );
  });
});

describe("GICD_IPRIORITYRn byte lanes", () => {
  it("byte and word writes from random vCPUs agree with a byte-array reference (banked for 0-31)", () => {
    const write = fc.record({ cpu, irq: fc.integer({ min: 0, max: 95 }), byte: fc.boolean(), value: word });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), (ops) => {
        const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
        const local = Array.from({ length: VCPUS }, () => new Uint8Array(32));
        const shared = new Uint8Array(NR_SPIS);
        const put = (c: number, irq: number, v: number) => (irq < 32 ? (local[c]![irq] = v) : (shared[irq - 32] = v));
        const get = (c: number, irq: number) => (irq < 32 ? local[c]![irq]! : shared[irq - 32]!);
        for (const o of ops) {
          if (o.byte) {
            g.write(o.cpu, O.GICD_IPRIORITYR + o.irq, 8, o.value & 0xff);
            put(o.cpu, o.irq, o.value & 0xff);
          } else {
            const first = o.irq & ~3;
            g.write(o.cpu, O.GICD_IPRIORITYR + first, 32, o.value);
            for (let y = 0; y < 4; y++) put(o.cpu, first + y, (o.value >>> (8 * y)) & 0xff);
          }
        }
        for (let c = 0; c < VCPUS; c++) {
          for (let irq = 0; irq < 96; irq++) {
            expect(g.read(c, O.GICD_IPRIORITYR + irq, 8)).toBe(get(c, irq));
            expect(g.priorityOf(irq, c)).toBe(get(c, irq));
          }
        }
      }),
    );
  });
});

describe("GICD_ITARGETSRn for SPIs", () => {
  it("every SPI always has exactly one valid target: the lowest valid vCPU last written, else the previous one", () => {
    const write = fc.record({ irq: fc.integer({ min: 32, max: 95 }), byte: fc.boolean(), value: word });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 60 }), (ops) => {
        const g = new Gicv2({ vcpus: VCPUS, nrSpis: NR_SPIS });
        const target = new Array<number>(96).fill(0);
        const apply = (irq: number, list: number) => {
          for (let c = 0; c < VCPUS; c++) {
            if ((list >>> c) & 1) {
              target[irq] = c;
              return;
            }
          }
        };
        for (const o of ops) {
          if (o.byte) {
            g.write(0, O.GICD_ITARGETSR + o.irq, 8, o.value & 0xff);
            apply(o.irq, o.value & 0xff);
          } else {
            const first = o.irq & ~3;
            g.write(0, O.GICD_ITARGETSR + first, 32, o.value);
            for (let y = 0; y < 4; y++) apply(first + y, (o.value >>> (8 * y)) & 0xff);
          }
        }
        for (let irq = 32; irq < 96; irq++) {
          expect(g.read(1, O.GICD_ITARGETSR + irq, 8)).toBe(1 << target[irq]!);
          expect(g.targetOf(irq)).toBe(target[irq]);
        }
      }),
    );
  });
});
