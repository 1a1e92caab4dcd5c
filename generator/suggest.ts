/**
 * "Did you mean" for unknown names. Optimal-string-alignment distance (Levenshtein plus swaps of
 * neighbours, the usual typos), ignoring case because register names are spelled both ways.
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= x.length; i++) {
    rows.push(new Array<number>(y.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= y.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[x.length]![y.length]!;
}

/**
 * Candidates closest to `name` (at most `limit`). Close means within a third of the name's length
 * in edits (at least one); when nothing is, names that contain it or that it contains.
 */
export function closest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const unique = [...new Set(candidates)].filter((c) => c !== name);
  const budget = Math.max(1, Math.floor(name.length / 3));
  const scored = unique
    .map((c) => ({ c, d: editDistance(name, c) }))
    .filter((s) => s.d <= budget)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0));
  // Only the nearest: a one-letter typo should not also offer every name two edits away.
  if (scored.length) return scored.filter((s) => s.d === scored[0]!.d).slice(0, limit).map((s) => s.c);
  const lower = name.toLowerCase();
  if (lower.length < 3) return [];
  // Part of a name ("VMX_BASIC"), or a longer spelling of one; a short name inside a long typo is chance.
  const inside = (c: string) => c.length >= Math.max(3, Math.ceil(lower.length / 2)) && lower.includes(c.toLowerCase());
  return unique
    .filter((c) => c.toLowerCase().includes(lower) || inside(c))
    .sort()
    .slice(0, limit);
}

/** ` (did you mean "A" or "B"?)`, or "" when nothing is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  return formatSuggestions(closest(name, candidates));
}

/** ` (did you mean "A" or "B"?)` for suggestions already chosen, or "" for none. */
export function formatSuggestions(c: readonly string[]): string {
  if (!c.length) return "";
  const quoted = c.map((x) => `"${x}"`);
  return ` (did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`}?)`;
}
