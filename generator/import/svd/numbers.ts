/**
 * CMSIS-SVD `scaledNonNegativeInteger`: decimal, `0x`/`0X` hex or `#` binary, optionally with a
 * leading `+` and a k/m/g/t scale (powers of 1024, as svdconv reads them). Returns undefined for
 * anything else, so the caller reports it where it is written.
 */
const DIGITS = /^(?:[0-9]+|0x[0-9a-fA-F]+)$/;

export function parseSvdInteger(text: string): bigint | undefined {
  // Most values are short plain decimals or hex: read without the pattern and its scale.
  if (text.length < 16 && DIGITS.test(text)) return BigInt(text);
  const t = text.trim();
  const m = /^\+?(0[xX][0-9a-fA-F]+|#[01]+|[0-9]+)([kKmMgGtT])?$/.exec(t);
  if (!m) return undefined;
  const digits = m[1]!;
  const v = digits.startsWith("#") ? BigInt("0b" + digits.slice(1)) : BigInt(digits.startsWith("0X") ? "0x" + digits.slice(2) : digits);
  const scale = m[2] ? 1024n ** BigInt("kmgt".indexOf(m[2].toLowerCase()) + 1) : 1n;
  return v * scale;
}

/**
 * An enumeratedValue `value`: a number, or `#` binary where `x` marks a bit that does not matter.
 * A pattern with don't-care bits stands for every value it matches.
 */
export function parseEnumValue(text: string): bigint[] | undefined {
  const t = text.trim();
  if (/^#[01xX]+$/.test(t) && /[xX]/.test(t)) {
    let out = [0n];
    for (const c of t.slice(1)) out = c === "x" || c === "X" ? out.flatMap((v) => [v * 2n, v * 2n + 1n]) : out.map((v) => v * 2n + (c === "1" ? 1n : 0n));
    return out.length > 256 ? undefined : out;
  }
  const v = parseSvdInteger(t);
  return v === undefined ? undefined : [v];
}

export const hex = (v: bigint) => "0x" + v.toString(16);
