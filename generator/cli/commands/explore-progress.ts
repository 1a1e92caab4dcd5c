/**
 * The progress line of `hwspec explore`: states, states/s, frontier, memory and, once the
 * breadth-first levels shrink, an ETA. Printed on stderr, rewritten in place, at most a few times
 * a second; never on stdout, so `--json` output stays one document.
 */
import type { ExploreProgress } from "../../../runtime/fsm/explorer.ts";

const count = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)} k` : String(n));
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

function duration(s: number): string {
  if (s < 60) return `${Math.max(1, Math.round(s))} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** One progress line. `rate` is states expanded per second; `rss` the process's resident memory. */
export function formatProgress(p: ExploreProgress, rate: number, rss: number): string {
  const parts = [`${count(p.states)} states`, `${count(Math.round(rate))} states/s`, `frontier ${count(p.frontier)}`, `depth ${p.depth}`, `memory ${mib(rss)} (store ${mib(p.storeBytes)})`];
  if (p.remaining !== undefined && rate > 0) parts.push(`ETA ~${duration(p.remaining / rate)}`);
  return parts.join(", ");
}

/**
 * A throttled writer of progress lines. `write` shows one line (on a terminal it replaces the
 * previous one); `clear`, when given, removes it at the end.
 */
export function progressReporter(write: (line: string) => void, clear?: () => void, minIntervalMs = 250): { update: (p: ExploreProgress) => void; done: () => void } {
  const t0 = performance.now();
  let last = t0;
  let lastExpanded = 0;
  let rate = 0;
  let shown = false;
  return {
    update(p) {
      const now = performance.now();
      if (now - last < minIntervalMs) return;
      const expanded = p.states - p.frontier;
      const recent = ((expanded - lastExpanded) * 1000) / (now - last);
      // A smoothed rate: the last interval weighs most, a stall does not zero it at once.
      rate = rate ? 0.5 * rate + 0.5 * recent : (expanded * 1000) / (now - t0);
      last = now;
      lastExpanded = expanded;
      shown = true;
      write(formatProgress(p, rate, process.memoryUsage.rss()));
    },
    done() {
      if (shown) clear?.();
    },
  };
}
