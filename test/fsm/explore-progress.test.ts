import { describe, expect, it } from "vitest";
import { formatProgress } from "../../generator/cli/commands/explore-progress.ts";
import { machine } from "../../generated/ts/xen/dpci-softirq-fixed.ts";
import { explore, type ExploreProgress } from "../../runtime/fsm/explorer.ts";

describe("explore progress", () => {
  it("reports states, frontier, depth and store bytes as the search goes, and an estimate once levels shrink", () => {
    const seen: ExploreProgress[] = [];
    const r = explore(machine, { instances: { irq: 3, softirq: 3 }, progressEvery: 500, onProgress: (n, f, p) => seen.push({ ...p, states: n, frontier: f }) });
    expect(seen.length).toBe(Math.floor((r.states - 1) / 500));
    for (const [i, p] of seen.entries()) {
      // Called when state (i + 1) * 500 is about to be expanded.
      expect(p.states - p.frontier).toBe((i + 1) * 500);
      expect(p.storeBytes).toBeGreaterThan(0);
      if (i) expect(p.depth).toBeGreaterThanOrEqual(seen[i - 1]!.depth);
      if (p.remaining !== undefined) expect(p.remaining).toBeGreaterThanOrEqual(0);
    }
    // The state space of this model narrows towards its end, so the last reports carry an estimate.
    expect(seen.at(-1)!.remaining).toBeDefined();
    expect(seen[0]!.remaining).toBeUndefined();
  });

  it("prints the estimate only when there is one", () => {
    const p: ExploreProgress = { states: 1_234_567, frontier: 45_000, transitions: 3_000_000, depth: 42, storeBytes: 40 * 2 ** 20 };
    expect(formatProgress(p, 950_000, 200 * 2 ** 20)).toBe("1.23 M states, 950 k states/s, frontier 45 k, depth 42, memory 200 MiB (store 40 MiB)");
    expect(formatProgress({ ...p, remaining: 1_900_000 }, 950_000, 200 * 2 ** 20)).toMatch(/, ETA ~2 s$/);
    expect(formatProgress({ ...p, remaining: 95_000_000 }, 950_000, 2 ** 30)).toMatch(/ETA ~1 min 40 s$/);
  });
});
