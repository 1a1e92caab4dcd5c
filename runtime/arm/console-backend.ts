import { queued, ringPop, ringPush, type XenconsInterface } from "./xencons-ring.ts";

/**
 * The xenconsoled side of a vpl011 console: it drains the OUT ring (what the guest printed) and
 * feeds the IN ring (what the user typed), then raises the event channel, which in Xen runs
 * vpl011_notification → vpl011_data_avail on the emulator.
 */
export class ConsoleBackend {
  /** Every byte drained from OUT, in order. */
  readonly output: number[] = [];
  /** Event-channel notifications received from the emulator (one per guest DR write). */
  notifications = 0;

  constructor(
    readonly intf: XenconsInterface,
    /** Raises the event channel towards the emulator (vpl011_data_avail). */
    private readonly notifyFrontend: () => void,
  ) {}

  /** The emulator's notify_via_xen_event_channel lands here. */
  onNotify(): void {
    this.notifications++;
  }

  /** Takes up to `max` bytes from OUT (all by default), then notifies; returns the bytes taken. */
  drain(max = Infinity): number[] {
    const got: number[] = [];
    while (got.length < max) {
      const b = ringPop(this.intf.out);
      if (b === undefined) break;
      got.push(b);
    }
    this.output.push(...got);
    this.notifyFrontend();
    return got;
  }

  /** Puts as many of `bytes` on IN as fit, then notifies; returns how many were accepted. */
  feed(bytes: Iterable<number>): number {
    let n = 0;
    for (const b of bytes) {
      if (!ringPush(this.intf.in, b)) break;
      n++;
    }
    this.notifyFrontend();
    return n;
  }

  /** Feeds a string's UTF-8 bytes. */
  feedText(text: string): number {
    return this.feed(new TextEncoder().encode(text));
  }

  /** What the guest printed so far, as text. */
  outputText(): string {
    return new TextDecoder().decode(Uint8Array.from(this.output));
  }

  /** Bytes waiting in OUT and IN. */
  pending(): { out: number; in: number } {
    return { out: queued(this.intf.out), in: queued(this.intf.in) };
  }
}
