import type { MachineProcess } from "../../model/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import type { ShapeContext } from "../../docs/shapes.ts";
import type { PageView, StateDiagram, StateEdge, StateNode } from "../../docs/view.ts";
import { pageHead } from "../../docs/view.ts";

const NODE_W = 150;
const NODE_H = 30;
const GAP = 26;
const LEFT = 20;
const TOP = 20;

/**
 * Steps top to bottom in spec order, with a `rest` node first (where a process sits between runs).
 * Fall-through edges go straight down; gotos and branches loop on the right, one lane each, labelled
 * with their condition.
 */
export function stateDiagram(p: MachineProcess): StateDiagram {
  return p.events ? eventDiagram(p) : stepDiagram(p);
}

/**
 * An event machine has no program counter: every event is offered whenever its guard holds and
 * returns to the same state. Drawn as one state node with an edge to each event, labelled with
 * the event's guard.
 */
function eventDiagram(p: MachineProcess): StateDiagram {
  const yOf = (i: number) => TOP + i * (NODE_H + GAP);
  const ex = LEFT + NODE_W + 140;
  const clip = (t: string, n: number) => (t.length > n ? t.slice(0, n - 1) + "…" : t);
  const nodes: StateNode[] = [
    { x: LEFT, y: TOP, w: NODE_W, h: NODE_H, tx: LEFT + NODE_W / 2, ty: TOP + NODE_H / 2 + 4, label: p.name, title: `${p.name}: any state`, cls: "rest" },
    ...p.steps.map((s, i) => ({
      x: ex,
      y: yOf(i),
      w: NODE_W,
      h: NODE_H,
      tx: ex + NODE_W / 2,
      ty: yOf(i) + NODE_H / 2 + 4,
      label: clip(s.label, 20),
      title: `${s.label}: ${s.guard?.text ?? "true"} / ${s.effects?.text ?? ""}`,
      cls: "step" as const,
    })),
  ];
  const edges: StateEdge[] = p.steps.map((s, i) => {
    const y0 = TOP + NODE_H / 2;
    const y1 = yOf(i) + NODE_H / 2;
    return { d: `M ${LEFT + NODE_W} ${y0} C ${LEFT + NODE_W + 70} ${y0}, ${ex - 70} ${y1}, ${ex - 6} ${y1}`, label: clip(s.guard?.text ? `when ${s.guard.text}` : "always", 40), lx: ex + NODE_W + 8, ly: y1 + 4 };
  });
  return {
    title: `${p.name}: ${p.steps.length} events, each offered whenever its guard holds`,
    width: ex + NODE_W + 260,
    height: yOf(Math.max(1, p.steps.length) - 1) + NODE_H + TOP,
    nodes,
    edges,
  };
}

function stepDiagram(p: MachineProcess): StateDiagram {
  const labels = ["rest", ...p.steps.map((s) => s.label)];
  const yOf = (i: number) => TOP + i * (NODE_H + GAP);
  const nodes: StateNode[] = labels.map((label, i) => ({
    x: LEFT,
    y: yOf(i),
    w: NODE_W,
    h: NODE_H,
    tx: LEFT + NODE_W / 2,
    ty: yOf(i) + NODE_H / 2 + 4,
    label: label.length > 20 ? label.slice(0, 19) + "…" : label,
    title: i === 0 ? `${p.name} at rest` : `${label}: ${p.steps[i - 1]!.guard?.text ?? "true"} / ${p.steps[i - 1]!.effects?.text ?? ""}`,
    cls: i === 0 ? "rest" : "step",
  }));
  const edges: StateEdge[] = [];
  const idx = (label: string) => labels.indexOf(label);
  let lane = 0;
  const jump = (from: number, to: number, label: string) => {
    if (to < 0) return;
    lane++;
    const x0 = LEFT + NODE_W;
    const xr = x0 + 16 + lane * 14;
    const y0 = yOf(from) + NODE_H / 2;
    const y1 = yOf(to) + NODE_H / 2;
    edges.push({ d: `M ${x0} ${y0} H ${xr} V ${y1} H ${x0 + 6}`, label: label.length > 40 ? label.slice(0, 39) + "…" : label, lx: xr + 4, ly: (y0 + y1) / 2 });
  };
  edges.push({ d: `M ${LEFT + NODE_W / 2} ${yOf(0) + NODE_H} V ${yOf(1) - 6}`, label: "", lx: 0, ly: 0 });
  p.steps.forEach((s, k) => {
    const i = k + 1;
    for (const b of s.branches) jump(i, idx(b.goto), b.cond.text);
    if (s.goto) jump(i, idx(s.goto.label), "");
    else if (s.rest || i === labels.length - 1) jump(i, 0, "");
    else edges.push({ d: `M ${LEFT + NODE_W / 2} ${yOf(i) + NODE_H} V ${yOf(i + 1) - 6}`, label: "", lx: 0, ly: 0 });
  });
  return {
    title: `${p.name}: ${p.steps.length} atomic steps`,
    width: LEFT + NODE_W + 40 + lane * 14 + 260,
    height: yOf(labels.length - 1) + NODE_H + TOP,
    nodes,
    edges,
  };
}

/** Docs page of a `machine` spec: variables, processes with step tables and state diagrams, invariants, end conditions. */
export function machinePage(spec: ElabMachineSpec, _ctx: ShapeContext): PageView {
  return {
    ...pageHead(spec),
    sections: [
      {
        id: "state",
        title: "Shared state",
        doc: `${spec.cpus} CPU${spec.cpus === 1 ? "" : "s"}.`,
        tables: [
          { caption: "Variables", head: ["name", "type", "range", "init", "doc"], rows: spec.vars.map((v) => [v.name, v.type + (v.enumName ? ` ${v.enumName}` : "") + (v.bits.length ? ` {${v.bits.join(", ")}}` : ""), `${v.min}..${v.max ?? ""}`, String(v.init), v.doc]) },
          ...(spec.constants.length ? [{ caption: "Constants", head: ["name", "value"], rows: spec.constants.map((c) => [c.name, String(c.value)]) }] : []),
          ...(spec.enums.length ? [{ caption: "Enums", head: ["name", "members"], rows: spec.enums.map((e) => [e.name, e.members.join(", ")]) }] : []),
        ],
        shapes: [],
      },
      ...spec.processes.map((p) => ({
        id: `process-${p.name}`,
        title: `Process ${p.name}`,
        doc: `${p.doc}${p.doc ? " " : ""}(${p.instances} instance${p.instances === 1 ? "" : "s"}, ${p.context} context)`,
        tables: [
          {
            caption: "Steps",
            head: ["step", "guard", "effects", "then", "doc"],
            rows: p.steps.map((s) => [
              s.label,
              s.guard?.text ?? "",
              s.effects?.text ?? "",
              [...s.branches.map((b) => `if ${b.cond.text} goto ${b.goto}`), s.goto ? `goto ${s.goto.label}` : s.rest ? "rest" : ""].filter(Boolean).join("; "),
              s.doc,
            ]),
          },
        ],
        shapes: [],
        diagrams: [stateDiagram(p)],
      })),
      {
        id: "properties",
        title: "Invariants, end conditions and liveness",
        doc: "",
        tables: [
          ...(spec.invariants.length ? [{ caption: "Invariants", head: ["name", "expression", "doc"], rows: spec.invariants.map((c) => [c.name, c.expr.text, c.doc]) }] : []),
          ...(spec.ends.length ? [{ caption: "End conditions", head: ["name", "expression", "doc"], rows: spec.ends.map((c) => [c.name, c.expr.text, c.doc]) }] : []),
          ...(spec.liveness.length
            ? [{ caption: "Liveness (weakly fair runs)", head: ["name", "property", "fair", "doc"], rows: spec.liveness.map((l, i) => [l.name, spec.lowered.liveness[i]!.formula, spec.lowered.liveness[i]!.fair.join(", ") || "none", l.doc]) }]
            : []),
        ],
        shapes: [],
      },
    ].filter((s) => s.shapes.length || s.tables.length),
  };
}
