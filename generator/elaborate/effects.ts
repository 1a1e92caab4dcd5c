import type { Access, Layout } from "../model/index.ts";
import type { Effects, FlatField, FlatReserved } from "./model.ts";

type WriteBucket = "store" | "once" | "w1c" | "w1s" | "w0c" | "w0s" | "w1t" | "wc" | "ws";

/** Where each access puts a bit on a write; accesses absent here leave the bit unchanged. */
const WRITE: Partial<Record<Access, WriteBucket>> = {
  rw: "store",
  wo: "store",
  "write-once": "once",
  w1c: "w1c",
  w1s: "w1s",
  w0c: "w0c",
  w0s: "w0s",
  w1t: "w1t",
  wc: "wc",
  ws: "ws",
};

/**
 * The per-bit masks of a shape. Leaves only: a nested layout's bits are decided by its own
 * fields, at their effective access (a read-only container makes them read-only).
 */
export function shapeEffects(
  shape: Layout,
  flat: readonly FlatField[],
  flatReserved: readonly FlatReserved[],
  mask: (lsb: number, width: number) => bigint,
  nestedOf: (qname: string) => Layout | undefined,
): Effects {
  const e: Effects = {
    store: 0n,
    once: 0n,
    w1c: 0n,
    w1s: 0n,
    w0c: 0n,
    w0s: 0n,
    w1t: 0n,
    wc: 0n,
    ws: 0n,
    rc: 0n,
    rs: 0n,
    readZero: 0n,
    fixedMask: 0n,
    fixedValue: 0n,
    writes: false,
    readSideEffects: false,
  };
  for (const f of flat) {
    if (f.field.layout && nestedOf(f.field.layout)) continue;
    const bucket = WRITE[f.access];
    if (bucket) e[bucket] |= f.mask;
    if (f.access === "wo") e.readZero |= f.mask;
    if (f.access === "rc") e.rc |= f.mask;
    if (f.access === "rs") e.rs |= f.mask;
    if (f.access === "const" && f.field.constValue !== undefined) {
      e.fixedMask |= f.mask;
      e.fixedValue |= (f.field.constValue << BigInt(f.lsb)) & f.mask;
    }
  }
  // An emulation that stores the whole written value keeps reserved bits as plain storage.
  const storesReserved = "reservedWrites" in shape && shape.reservedWrites === "store";
  for (const r of flatReserved) {
    const m = mask(r.lsb, r.width);
    if (storesReserved) e.store |= m;
    else if (r.policy === "res0") e.fixedMask |= m;
    else if (r.policy === "res1") {
      e.fixedMask |= m;
      e.fixedValue |= m;
    }
  }
  e.writes = (e.store | e.once | e.w1c | e.w1s | e.w0c | e.w0s | e.w1t | e.wc | e.ws) !== 0n;
  e.readSideEffects = (e.rc | e.rs) !== 0n;
  return e;
}
