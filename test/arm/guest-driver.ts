import { pl011_OFFSETS } from "../../generated/ts/arm/pl011.ts";
import { GUEST_PL011_BASE } from "../../generated/ts/arm/pl011.ts";
import { RXFE, TXFF, type Vpl011 } from "../../runtime/arm/vpl011.ts";

/** A minimal guest PL011 driver: MMIO accesses at GUEST_PL011_BASE, as a guest kernel would make them. */
export class GuestDriver {
  constructor(private readonly uart: Vpl011) {}

  reg(name: keyof typeof pl011_OFFSETS, width = 32): number {
    return this.uart.mmioRead(GUEST_PL011_BASE + pl011_OFFSETS[name], width);
  }

  set(name: keyof typeof pl011_OFFSETS, value: number | bigint, width = 32): void {
    this.uart.mmioWrite(GUEST_PL011_BASE + pl011_OFFSETS[name], width, value);
  }

  /** Writes each byte whose FR.TXFF is clear; returns how many were written before the FIFO filled. */
  puts(text: string): number {
    let n = 0;
    for (const b of new TextEncoder().encode(text)) {
      if (this.reg("FR") & TXFF) break;
      this.set("DR", b);
      n++;
    }
    return n;
  }

  /** Reads DR while FR.RXFE is clear. */
  gets(): string {
    const got: number[] = [];
    while (!(this.reg("FR") & RXFE)) got.push(this.reg("DR") & 0xff);
    return new TextDecoder().decode(Uint8Array.from(got));
  }
}
