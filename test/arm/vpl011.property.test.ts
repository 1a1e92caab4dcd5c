import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pl011_OFFSETS as O } from "../../generated/ts/arm/pl011.ts";
import { BUSY, connectConsole, RXFE, RXFF, RXI, TXFE, TXFF, TXI } from "../../runtime/arm/vpl011.ts";
import { createXenconsInterface, queued, ringInvariantHolds, u32 } from "../../runtime/arm/xencons-ring.ts";

type Op =
  | { k: "write"; byte: number }
  | { k: "read" }
  | { k: "drain"; max: number }
  | { k: "feed"; bytes: number[] }
  | { k: "imsc"; value: number }
  | { k: "icr"; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 255 }).map((byte) => ({ k: "write" as const, byte })) },
  { weight: 5, arbitrary: fc.constant({ k: "read" as const }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3000 }).map((max) => ({ k: "drain" as const, max })) },
  { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 1200 }).map((bytes) => ({ k: "feed" as const, bytes })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7ff }).map((value) => ({ k: "imsc" as const, value })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0x7ff }).map((value) => ({ k: "icr" as const, value })) },
);
/** Long bursts of writes or reads reach the full and empty edges of both rings. */
const burst: fc.Arbitrary<Op[]> = fc.oneof(
  op.map((o) => [o]),
  fc.tuple(op, fc.integer({ min: 1, max: 2100 })).map(([o, n]) => (o.k === "write" || o.k === "read" ? Array<Op>(n).fill(o) : [o])),
);
const startIndex = fc.oneof(fc.constant(0), fc.constant(0xffffffff), fc.integer({ min: 0xfffff000, max: 0xffffffff }), fc.nat());

describe("vpl011 under random interleavings of guest and backend", () => {
  it("loses, duplicates or reorders no byte except the patch's drops on a full ring; ring invariants always hold", () => {
    fc.assert(
      fc.property(fc.array(burst, { maxLength: 30 }), startIndex, startIndex, (bursts, inStart, outStart) => {
        const { uart, backend } = connectConsole({ intf: createXenconsInterface({ in: inStart, out: outStart }) });
        const sentByGuest: number[] = []; // bytes the guest wrote that the OUT ring accepted
        const fedByBackend: number[] = []; // bytes the IN ring accepted
        const readByGuest: number[] = [];
        let drops = 0;
        let emptyReads = 0;
        for (const o of bursts.flat()) {
          const outBefore = queued(uart.intf.out);
          const inBefore = queued(uart.intf.in);
          const fr = uart.state.FR;
          const notify = uart.backendNotifications;
          switch (o.k) {
            case "write":
              uart.write(O.DR, 32, o.byte);
              if (outBefore === 2048) drops++;
              else sentByGuest.push(o.byte);
              expect(uart.backendNotifications).toBe(notify + 1);
              expect(uart.state.FR & BUSY).toBe(BUSY);
              expect(uart.state.FR & TXFE).toBe(0);
              expect((uart.state.FR & TXFF) !== 0).toBe(queued(uart.intf.out) === 2048 || (fr & TXFF) !== 0);
              break;
            case "read": {
              const v = uart.read(O.DR, 32);
              if (inBefore === 0) {
                expect(v).toBe(0);
                emptyReads++;
              } else readByGuest.push(v);
              expect(uart.state.FR & RXFF).toBe(0);
              if (queued(uart.intf.in) === 0) {
                expect(uart.state.FR & RXFE).toBe(RXFE);
                expect(uart.state.RIS & RXI).toBe(0);
              }
              break;
            }
            case "drain": {
              const got = backend.drain(o.max);
              expect(got.length).toBe(Math.min(o.max, outBefore));
              assertAfterDataAvail();
              break;
            }
            case "feed": {
              const n = backend.feed(o.bytes);
              expect(n).toBe(Math.min(o.bytes.length, 1024 - inBefore));
              fedByBackend.push(...o.bytes.slice(0, n));
              assertAfterDataAvail();
              break;
            }
            case "imsc":
              uart.write(O.IMSC, 32, o.value);
              expect(uart.read(O.IMSC, 32)).toBe(o.value);
              break;
            case "icr": {
              const ris = uart.state.RIS;
              uart.write(O.ICR, 32, o.value);
              expect(uart.state.RIS).toBe(u32(ris & ~o.value));
              break;
            }
          }
          expect(ringInvariantHolds(uart.intf.in)).toBe(true);
          expect(ringInvariantHolds(uart.intf.out)).toBe(true);
          expect(queued(uart.intf.in)).toBe(u32(uart.intf.in.prod - uart.intf.in.cons));
          expect(queued(uart.intf.out)).toBe(u32(uart.intf.out.prod - uart.intf.out.cons));
          expect(uart.read(O.MIS, 32)).toBe(u32(uart.state.RIS & uart.state.IMSC));
          expect(uart.line).toBe((uart.state.RIS & uart.state.IMSC) !== 0);
        }
        // OUT: the backend saw exactly the accepted guest bytes, in order, and the rest is still queued.
        backend.drain();
        expect(backend.output).toEqual(sentByGuest);
        // IN: the guest read a prefix of what was fed, in order; the remainder is queued.
        while (queued(uart.intf.in) > 0) readByGuest.push(uart.read(O.DR, 32));
        expect(readByGuest).toEqual(fedByBackend);
        expect(uart.errors.filter((e) => e.includes("OUT ring buffer full")).length).toBe(drops);
        expect(uart.errors.filter((e) => e.includes("IN ring buffer empty")).length).toBe(emptyReads);

        function assertAfterDataAvail(): void {
          const inQ = queued(uart.intf.in);
          const outQ = queued(uart.intf.out);
          if (inQ > 0) {
            expect(uart.state.FR & RXFE).toBe(0);
            expect(uart.state.RIS & RXI).toBe(RXI);
            if (inQ === 1024) expect(uart.state.FR & RXFF).toBe(RXFF);
          }
          if (outQ < 2048) {
            expect(uart.state.FR & TXFF).toBe(0);
            expect(uart.state.RIS & TXI).toBe(TXI);
            if (outQ === 0) expect(uart.state.FR & (BUSY | TXFE)).toBe(TXFE);
          }
        }
      }),
      { numRuns: 40, seed: 0x5eed011, endOnFailure: true },
    );
  });
});

/**
 * vreg_reg32_update as a BigInt reference: a `size`-byte store at offset 0 replaces the register's
 * low `size` bytes with the low bytes of the 64-bit source register.
 */
function vregReg32Update(reg: bigint, val: bigint, width: number): bigint {
  const mask = (1n << BigInt(width)) - 1n;
  return (reg & ~mask & 0xffff_ffffn) | (val & mask);
}

describe("vpl011 stores of any 64-bit register value", () => {
  const register = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const width = fc.constantFrom(8, 16, 32);
  const asNumberWhenSafe = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

  it("IMSC takes the low access-size bits, as the BigInt vreg_reg32_update reference does", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(register, width, fc.boolean()), { maxLength: 40 }), (stores) => {
        const { uart } = connectConsole();
        let reference = 0n;
        for (const [v, w, asNumber] of stores) {
          uart.write(O.IMSC, w, asNumber ? asNumberWhenSafe(v) : v);
          reference = vregReg32Update(reference, v, w);
          expect(BigInt(uart.read(O.IMSC, 32))).toBe(reference);
        }
      }),
      { numRuns: 200, seed: 0x1a5c, endOnFailure: true },
    );
  });

  it("DR transmits the register's low byte for every access size", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(register, width), { maxLength: 60 }), (stores) => {
        const { uart, backend } = connectConsole();
        for (const [v, w] of stores) uart.write(O.DR, w, asNumberWhenSafe(v));
        expect(backend.drain()).toEqual(stores.map(([v]) => Number(v & 0xffn)));
      }),
      { numRuns: 200, seed: 0xd4, endOnFailure: true },
    );
  });
});
