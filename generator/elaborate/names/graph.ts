import { reservedIn } from "./reserved-words.ts";

/**
 * Node and cluster ids of the Mermaid and DOT exports of a machine. Labels are quoted text; ids
 * are bare, so each carries a prefix: a process named `end`, `graph`, `subgraph` or `node` is
 * then `c_end` and `n_end_0`, which neither grammar reads as a keyword. The prefixes differ per
 * kind of id, so a process `st` cannot meet the state graph's `st_3`, nor a process `a_0` the
 * first step of a process `a` (a step index has no `_`).
 */
export const graphNames = {
  cluster: (proc: string) => bare(`c_${proc}`),
  step: (proc: string, index: number) => bare(`n_${proc}_${index}`),
  state: (index: number) => `st_${index}`,
  failedState: "st_fail",
  reachableCluster: "reachable",
};

/** The prefixes make this impossible; a guard, as cIdent is for C, so a changed prefix cannot slip through. */
function bare(id: string): string {
  if (reservedIn("Mermaid", id) || reservedIn("DOT", id)) throw new Error(`internal: graph id ${id} is a Mermaid or DOT keyword`);
  return id;
}
