import type { Naming } from "../../expr/index.ts";
import type { ElabMachineSpec } from "../../elaborate/model.ts";
import { lookupName, type Where } from "../../model/machine-names.ts";

/** How a target spells each kind of name; shared by the TS and Promela naming. */
export interface Spelling {
  slot(index: number, bool: boolean): string;
  percpu(index: number, bool: boolean): string;
  local(index: number, name: string, bool: boolean): string;
  cpu: string;
  me: string;
  bool(v: boolean): string;
  /** Stores a bool-typed value into an integer slot. */
  toInt(value: string): string;
  truthy(lvalue: string): string;
  /** Spells a bound integer event parameter (default: the number itself). */
  intParam?(value: number): string;
  /** Reads a state slot (a variable, per-CPU copy, local or lock); default: the lvalue itself. */
  read?(lvalue: string): string;
}

/** A Naming for expressions of `where` (params bound to `binding`). */
export function machineNaming(spec: ElabMachineSpec, where: Where, binding: Map<string, number>, sp: Spelling): Naming {
  const lvalue = (path: string[]): { text: string; bool: boolean } => {
    const n = lookupName(spec, path[0]!, where);
    if (!n) throw new Error(`internal: unresolved name ${path.join(".")}`);
    switch (n.k) {
      case "global":
        return { text: sp.slot(n.slot, false), bool: n.v.type === "bool" };
      case "percpu":
        return { text: sp.percpu(n.slot, false), bool: n.v.type === "bool" };
      case "local":
        return { text: sp.local(n.index, n.v.name, false), bool: n.v.type === "bool" };
      case "lock":
        return { text: sp.slot(n.slot, false), bool: false };
      case "cpu":
        return { text: sp.cpu, bool: false };
      case "me":
        return { text: sp.me, bool: false };
      case "const":
        return { text: String(n.value), bool: false };
      case "param": {
        const v = binding.get(n.name) ?? 0;
        return n.type.t === "bool" ? { text: sp.bool(v !== 0), bool: false } : { text: sp.intParam ? sp.intParam(v) : String(v), bool: false };
      }
    }
  };
  return {
    ref(path) {
      const l = lvalue(path);
      const n = lookupName(spec, path[0]!, where)!;
      const stored = n.k === "global" || n.k === "percpu" || n.k === "local" || n.k === "lock";
      const text = stored && sp.read ? sp.read(l.text) : l.text;
      return l.bool ? sp.truthy(text) : text;
    },
    assign(path, value) {
      const l = lvalue(path);
      return `${l.text} = ${l.bool ? sp.toInt(value) : value}`;
    },
  };
}
