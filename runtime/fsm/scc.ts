/**
 * Strongly connected components by Tarjan's algorithm, iterative because a state graph is far
 * deeper than the JS call stack. One routine for the liveness checker's full graph and for the
 * graphs of the symmetry quotient's thread test.
 */

/** A graph in CSR form: the edges of node `s` are `to[first(s)] .. to[end(s) - 1]`. */
export interface SccGraph {
  first(s: number): number;
  end(s: number): number;
  readonly to: Int32Array;
}

/**
 * The components reachable from `roots` over `n` nodes, each handed to `onComponent` when it is
 * complete. Edges into a node whose `within` entry is negative are ignored. A finished node's low
 * link is set to its component's tag, `-1 - k` for the k-th component completed (negative, so
 * never a live low link): the returned array is how membership is read afterwards.
 */
export function stronglyConnected(
  n: number,
  g: SccGraph,
  roots: ArrayLike<number>,
  onComponent?: (nodes: Int32Array, tag: number, low: Int32Array) => void,
  within?: Int32Array,
): Int32Array {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const stack = new Int32Array(n);
  // The call stack: node and next edge, two words per frame.
  const call = new Int32Array(2 * n);
  const to = g.to;
  let sp = 0;
  let cp = 0;
  let next = 0;
  let comps = 0;
  for (let i = 0; i < roots.length; i++) {
    const r = roots[i]!;
    if (index[r]! >= 0) continue;
    index[r] = low[r] = next++;
    stack[sp++] = r;
    call[cp++] = r;
    call[cp++] = g.first(r);
    while (cp) {
      const s = call[cp - 2]!;
      const e = call[cp - 1]!;
      if (e < g.end(s)) {
        call[cp - 1] = e + 1;
        const t = to[e]!;
        if (within && within[t]! < 0) continue;
        if (index[t]! < 0) {
          index[t] = low[t] = next++;
          stack[sp++] = t;
          call[cp++] = t;
          call[cp++] = g.first(t);
        } else if (low[t]! >= 0) low[s] = Math.min(low[s]!, index[t]!); // still on the stack
        continue;
      }
      cp -= 2;
      if (cp) {
        const p = call[cp - 2]!;
        low[p] = Math.min(low[p]!, low[s]!);
      }
      if (low[s] === index[s]) {
        const tag = -1 - comps++;
        let k = sp;
        do k--;
        while (stack[k] !== s);
        const nodes = stack.subarray(k, sp);
        for (let j = 0; j < nodes.length; j++) low[nodes[j]!] = tag;
        onComponent?.(nodes, tag, low);
        sp = k;
      }
    }
  }
  return low;
}
