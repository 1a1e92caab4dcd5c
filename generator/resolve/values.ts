/** Parses a spec Value (integer or 0x/0b/decimal string) to an exact unsigned bigint. */
export function parseValue(v: unknown): bigint | undefined {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.replace(/_/g, "");
  if (/^0x[0-9a-f]+$/i.test(s) || /^0b[01]+$/.test(s) || /^[0-9]+$/.test(s)) return BigInt(s);
  return undefined;
}

export interface BitRange {
  lsb: number;
  width: number;
}

/** "n" or "hi:lo"; an ascending range is refused rather than guessed, since Xen comments write lo:hi. */
export function parseBits(text: string): BitRange | { error: string } {
  const m = /^(\d+)(?::(\d+))?$/.exec(text);
  if (!m) return { error: `invalid bit range "${text}": use "n" or "hi:lo"` };
  const hi = Number(m[1]);
  const lo = m[2] === undefined ? hi : Number(m[2]);
  if (lo > hi) return { error: `bit range "${text}" is written low:high; write it as "${lo}:${hi}" (hi:lo)` };
  return { lsb: lo, width: hi - lo + 1 };
}

export function hex(v: bigint, width?: number): string {
  const digits = width ? Math.max(1, Math.ceil(width / 4)) : 1;
  return "0x" + v.toString(16).padStart(digits, "0");
}
