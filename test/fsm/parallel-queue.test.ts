/**
 * The shared-memory queue between two parallel workers (runtime/fsm/parallel-queue.ts), driven
 * from one thread: entries come out in order and intact across the ring's wrap, a full queue
 * refuses a slot until the reader gives room back, unpublished entries stay invisible, and the
 * finished level is seen with the head that covers it.
 */
import { describe, expect, it } from "vitest";
import { QueueReader, QueueWriter, queueBuffer, queueEntries } from "../../runtime/fsm/parallel-queue.ts";

describe("parallel queue", () => {
  it("keeps order and contents across wraps, refuses a slot when full", () => {
    const entries = 8;
    const stride = 3;
    const buf = queueBuffer(entries, stride);
    const w = new QueueWriter(buf, entries, stride);
    const r = new QueueReader(buf, entries, stride);
    const got: number[] = [];
    let next = 0;
    for (let round = 0; round < 5; round++) {
      // Fill the queue completely, then one more slot must be refused.
      for (let k = 0; k < entries; k++) {
        const o = w.slot();
        expect(o).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < stride; j++) w.data[o + j] = next * 10 + j;
        w.commit();
        next++;
      }
      expect(w.slot()).toBe(-1);
      // Nothing is visible before it is published.
      expect(r.head()).toBe(r.tail);
      w.block();
      w.publish();
      const h = r.head();
      for (let t = r.tail; t !== h; t = (t + 1) | 0) {
        const o = (t & r.mask) * stride;
        got.push(r.data[o]!);
        for (let j = 1; j < stride; j++) expect(r.data[o + j]).toBe(r.data[o]! + j);
      }
      // The writer had said it waits for room: the release reports it once.
      expect(r.release(h)).toBe(true);
      expect(r.release(h)).toBe(false);
      expect(w.slot()).toBeGreaterThanOrEqual(0);
    }
    expect(got).toEqual(Array.from({ length: 5 * entries }, (_, i) => i * 10));
  });

  it("finish publishes the level's entries before the level", () => {
    const buf = queueBuffer(16, 1);
    const w = new QueueWriter(buf, 16, 1);
    const r = new QueueReader(buf, 16, 1);
    w.data[w.slot()] = 7;
    w.commit();
    expect(r.done()).toBe(0);
    w.finish(1);
    expect(r.done()).toBe(1);
    expect(r.head()).toBe(1);
  });

  it("sizes queues down as workers grow, to a floor", () => {
    expect(queueEntries(2)).toBe(1 << 15);
    expect(queueEntries(16)).toBe(4096);
    for (let n = 2; n <= 16; n++) expect(queueEntries(n) & (queueEntries(n) - 1)).toBe(0);
  });
});
