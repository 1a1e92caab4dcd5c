export function formatBitsColumn(lsb: number, width: number): string {
  const text = width === 1 ? `${lsb}` : `${lsb + width - 1}:${lsb}`;
  return text.padStart(7);
}
