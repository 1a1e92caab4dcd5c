/**
 * The packed state store round-trips states: random layouts (slot ranges from 1 to 65536 values,
 * locks sized by the instance count), random states in range, packed, added, found again and
 * unpacked to the same slots; different states get different ids.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { MachineDef, Slot } from "../../generated/ts/fsm.ts";
import { layout, type Layout } from "../../runtime/fsm/machine.ts";
import { pack, packing, packSlot, unpack } from "../../runtime/fsm/packing.ts";
import { ABSENT, FULL, StateStore } from "../../runtime/fsm/store.ts";

const slotArb: fc.Arbitrary<Slot> = fc.oneof(
  fc.record({ min: fc.integer({ min: 0, max: 10 }), span: fc.integer({ min: 0, max: 65535 }) }).map(({ min, span }) => ({ name: "v", kind: "int" as const, min, max: min + span, init: min })),
  fc.constant<Slot>({ name: "b", kind: "bool", min: 0, max: 1, init: 0 }),
  fc.constant<Slot>({ name: "l", kind: "lock", min: 0, max: 255, init: 0 }),
);

/** A machine with only shared slots and `instances` idle instances (which size the locks). */
function layoutOf(globals: Slot[], instances: number): Layout {
  const def: MachineDef = {
    name: "t",
    doc: "",
    cpus: 1,
    globals,
    processes: [{ name: "p", context: "process", instances, cpus: [0], locals: [], steps: [{ label: "s", rest: true, transitions: [] }] }],
    invariants: [],
    ends: [],
    liveness: [],
  };
  return layout(def);
}

const caseArb = fc
  .record({ globals: fc.array(slotArb, { minLength: 1, maxLength: 40 }), instances: fc.integer({ min: 1, max: 16 }) })
  .chain(({ globals, instances }) => {
    const l = layoutOf(globals, instances);
    const p = packing(l);
    const state = fc.tuple(...l.slots.map((s, k) => fc.integer({ min: s.min, max: p.max[k]! })));
    return fc.record({ l: fc.constant(l), states: fc.array(state, { minLength: 1, maxLength: 200 }) });
  });

describe("packing and the state store", () => {
  it("round-trips random states of random layouts", () => {
    fc.assert(
      fc.property(caseArb, ({ l, states }) => {
        const p = packing(l);
        // Slots fill words in order, and every word holds at least one slot.
        expect(p.words).toBe(new Set(p.word).size);
        expect(p.words).toBe(p.word[p.word.length - 1]! + 1);
        const store = new StateStore(p.words);
        const w = new Uint32Array(p.words);
        const ids = new Map<string, number>();
        for (const s of states) {
          pack(p, s, w);
          const key = s.join(",");
          const known = ids.get(key);
          const found = store.find(w);
          expect(found).toBe(known ?? ABSENT);
          if (known === undefined) ids.set(key, store.add(w, ids.size - 1, ids.size));
        }
        expect(store.count).toBe(ids.size);
        const back = new Array<number>(l.slots.length).fill(0);
        for (const [key, id] of ids) {
          const at = store.locate(id);
          unpack(p, at.words, at.offset, back);
          expect(back.join(",")).toBe(key);
          store.read(id, w);
          expect(store.find(w)).toBe(id);
          expect(store.parent(id)).toBe(id - 1);
          expect(store.move(id)).toBe(id);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("rewrites one slot in place without touching its neighbours", () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), fc.nat(), ({ l, states }, pick, value) => {
        const p = packing(l);
        const s = states[0]!;
        const k = pick % s.length;
        const v = l.slots[k]!.min + (value % (p.max[k]! - l.slots[k]!.min + 1));
        const w = new Uint32Array(p.words);
        pack(p, s, w);
        packSlot(p, w, k, v);
        const back = new Array<number>(s.length).fill(0);
        unpack(p, w, 0, back);
        expect(back).toEqual(s.map((x, i) => (i === k ? v : x)));
      }),
    );
  });

  it("keeps 100 000 distinct states apart across table growth", () => {
    const store = new StateStore(2);
    const w = new Uint32Array(2);
    const wrong: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      w[0] = i * 7919;
      w[1] = i & 3;
      if (store.find(w) !== ABSENT || store.add(w, i - 1, i & 0xffff) !== i) wrong.push(i);
    }
    for (let i = 0; i < 100_000; i++) {
      w[0] = i * 7919;
      w[1] = i & 3;
      if (store.find(w) !== i || store.parent(i) !== i - 1 || store.move(i) !== (i & 0xffff)) wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });

  it("reserve grows the table ahead, keeps every state, and says no within maxBytes", () => {
    const store = new StateStore(2, { maxBytes: 4 << 20 });
    const w = new Uint32Array(2);
    const put = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        w[0] = i * 2654435761;
        w[1] = i;
        store.find(w);
        expect(store.add(w, -1, 0)).toBe(i);
      }
    };
    put(0, 3000);
    const before = store.bytes;
    expect(store.reserve(60_000)).toBe(true);
    // Room for 60,000 at a load of at most 2/3: 131,072 entries of 8 bytes instead of 8,192.
    expect(store.bytes - before).toBe((131_072 - 8192) * 8);
    const grown = store.bytes;
    put(3000, 60_000);
    // No growth of the table while the reserved room lasts: only three chunks of 2^14 states
    // (two words, a parent and a 2-byte move each) were added.
    expect(store.bytes - grown).toBe(3 * (1 << 14) * (2 * 4 + 4 + 2));
    for (let i = 0; i < 60_000; i++) {
      w[0] = i * 2654435761;
      w[1] = i;
      expect(store.find(w)).toBe(i);
    }
    // A table for a million states would pass the 4 MiB bound: refused, and nothing changed.
    const at = store.bytes;
    expect(store.reserve(1_000_000)).toBe(false);
    expect(store.bytes).toBe(at);
    w[0] = 0;
    w[1] = 0;
    expect(store.find(w)).toBe(0);
  });

  it("seal gives the table's bytes back and keeps states, parents and moves readable", () => {
    let reserved = 0;
    const budget = { reserve: (b: number) => ((reserved += b), true), release: (b: number) => void (reserved -= b) };
    const store = new StateStore(3, { budget });
    const w = new Uint32Array(3);
    for (let i = 0; i < 10_000; i++) {
      w[0] = i;
      store.find(w);
      store.add(w, i - 1, i & 7);
    }
    const before = store.bytes;
    const beforeReserved = reserved;
    store.seal();
    // 10,000 states at a load of at most 2/3 need 16,384 entries of 8 bytes: all of them go back.
    expect(before - store.bytes).toBe(16_384 * 8);
    expect(beforeReserved - reserved).toBe(16_384 * 8);
    expect(reserved).toBe(store.bytes);
    const out = new Uint32Array(3);
    store.read(9_999, out);
    expect([out[0], store.parent(9_999), store.move(9_999)]).toEqual([9_999, 9_998, 9_999 & 7]);
    expect(() => store.find(w)).toThrow(/sealed/);
    expect(() => store.add(w, -1, 0)).toThrow(/sealed/);
    expect(() => store.reserve(20_000)).toThrow(/sealed/);
  });

  it("a shared bound that cannot hold the first table refuses the first state", () => {
    const budget = { reserve: () => false, release: () => undefined };
    const store = new StateStore(2, { budget });
    const w = new Uint32Array(2);
    expect(store.find(w)).toBe(ABSENT);
    expect(store.add(w, -1, 0)).toBe(FULL);
    expect(store.count).toBe(0);
  });

  it("refuses a state that would pass maxBytes and stays within it", () => {
    const maxBytes = 600_000;
    const store = new StateStore(4, { maxBytes });
    const w = new Uint32Array(4);
    let id = 0;
    for (let i = 0; id !== FULL; i++) {
      w[0] = i;
      store.find(w);
      id = store.add(w, -1, 0);
      expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(store.count).toBeGreaterThan(1000);
    // Everything stored before the refusal is still there.
    w[0] = store.count - 1;
    expect(store.find(w)).toBe(store.count - 1);
  });

  it("two stores sharing a budget stay within it together, and a rehash gives the old table back", () => {
    let reserved = 0;
    const limit = 1_500_000;
    const budget = {
      reserve: (b: number) => (reserved + b <= limit ? ((reserved += b), true) : false),
      release: (b: number) => void (reserved -= b),
    };
    const stores = [new StateStore(4, { budget }), new StateStore(4, { budget })];
    const w = new Uint32Array(4);
    const full = [false, false];
    for (let i = 0; !(full[0] && full[1]); i++) {
      const k = i & 1;
      if (full[k]) continue;
      w[0] = i;
      stores[k]!.find(w);
      if (stores[k]!.add(w, -1, 0) === FULL) full[k] = true;
      expect(reserved).toBeLessThanOrEqual(limit);
    }
    // What the stores hold, their first tables included, is exactly what they reserved.
    expect(stores[0]!.bytes + stores[1]!.bytes).toBe(reserved);
    expect(stores[0]!.count + stores[1]!.count).toBeGreaterThan(10_000);
  });
});
