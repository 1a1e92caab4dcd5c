/**
 * fast-check generators of whole spec trees that the spec format allows: several specs of every
 * kind (registers, device, entries, machine) in nested folders, sharing short names, nesting each
 * other's layouts through qualified `ns.layout` references, and using names picked to collide with
 * identifiers hwspec generates in some target (`<layout>_get`, `<REG>_RES0_MASK`, `L1_SHIFT`,
 * `State`, barrel namespaces, ...).
 *
 * Each spec is drawn as a plan of independent choices and turned into JSON by a deterministic
 * build step that resolves cross-spec references and packs bits, so fast-check shrinks a failing
 * tree by dropping specs, shapes and fields while it stays valid.
 */
import fc from "fast-check";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Spec = { [k: string]: Json };
/** Spec files by path under specs/. */
export type Tree = Record<string, Spec>;

// Names shared across specs, and names equal to identifiers some emitter derives from another name.
// C has one namespace per translation unit, so a name two specs share is refused there (located);
// the pool is wide enough that most trees share a few names, not most of them.
const SHAPE_NAMES = [
  "foo_bits", "ctl", "CTRL", "STATUS", "A", "A_B", "R", "cr0_bits", "DATA", "mode_bits",
  "ier", "lsr", "ICR", "TIMER", "gate_bits", "pte_bits", "VBAR", "SCTLR", "irq_bits", "MODE", "cfg", "PRIO",
  "ISR", "fcr", "MCR", "dlab_bits", "TCR", "ESR", "far_bits", "CNTCTL", "wdt", "RTC_CR", "PMCR", "GATE",
] as const;
const HOSTILE_SHAPES = [
  "foo_bits_get", "foo_bits_table", "foo_bits_Fields", "ctl_put", "ctl_nested", "CTRL_with", "R_patch", "R_all", "U64",
  "u64", "Object", "Set", "Number", "BigInt", "applyPatch", "rangeFail", "levels", "machine", "State", "BUILD_BUG_ON",
  "HWSPEC_MEMBER_SIZE", "UINT32_C", "MSR_A", "CSR_A", "SYS_A", "REG_CTRL", "PORT_R", "dev_read", "dev_BLOCK", "uart_State", "l1e_table",
] as const;
/**
 * Words some output language reserves, listed here from the languages' own definitions (not from
 * hwspec's lists, so a word hwspec forgets is still drawn). A spec may use any of them: "accepted
 * means it compiles" must hold with each as a field, register, layout, constant or machine name.
 */
const KEYWORDS = {
  ts: ["delete", "class", "default", "new", "function", "enum", "typeof", "void", "this", "let", "yield", "static", "await", "arguments", "eval", "interface", "package", "instanceof", "export", "import", "super", "debugger", "with"],
  tsTypes: ["string", "number", "boolean", "any", "never", "unknown", "object", "symbol", "bigint", "undefined"],
  c: ["int", "char", "register", "auto", "signed", "unsigned", "union", "struct", "long", "short", "double", "float", "goto", "extern", "volatile", "restrict", "inline", "sizeof", "static", "const", "_Bool", "_Atomic", "_Generic", "bool", "true", "false", "NULL", "uint32_t", "int8_t", "uintptr_t", "UINT8_C", "INT32_MAX", "SIZE_MAX", "linux", "unix", "typeof", "alignas", "nullptr", "constexpr"],
  cxx: ["template", "typename", "namespace", "operator", "virtual", "friend", "mutable", "explicit", "private", "public", "protected", "catch", "throw", "try", "and", "or", "not", "xor", "bitand", "compl", "asm", "wchar_t", "char8_t", "concept", "requires", "decltype", "noexcept"],
  promela: ["xs", "xr", "len", "priority", "enabled", "chan", "proctype", "mtype", "atomic", "d_step", "skip", "timeout", "od", "fi", "empty", "full", "nempty", "nfull", "run", "init", "never", "provided", "hidden", "byte", "bit", "pc_value", "printf", "unless", "select", "trace", "local", "show", "_pid", "np_"],
  graphs: ["end", "graph", "subgraph", "flowchart", "style", "classDef", "click", "linkStyle", "direction", "node", "edge", "digraph", "strict"],
};
const ALL_KEYWORDS = [...new Set(Object.values(KEYWORDS).flat())];
/** Upper-case spellings: registers' C tags are their lower-cased names. */
const UPPER_KEYWORDS = ["INT", "CHAR", "DEFAULT", "UNION", "DELETE", "CLASS", "Register", "Signed", "BOOL", "NEW"];
/** Every keyword the trees may use as a name, for tests that count how often accepted trees do. */
export const TREE_KEYWORDS: ReadonlySet<string> = new Set([...ALL_KEYWORDS, ...UPPER_KEYWORDS]);

const FIELD_NAMES = ["en", "mode", "a", "b", "B_C", "C", "lo", "hi", "x", "ready", "count"] as const;
/** Field and enum names that equal a suffix of a generated C macro; rare, or every tree would hit them. */
const MACRO_SUFFIXES = ["RES0", "RES1", "SHIFT", "MASK", "WIDTH", "RES0_MASK"] as const;
const HOSTILE_FIELDS = ["RESET", "OFFSET", "get", "set", "decode", "fields", "width", "name", "kind", "then", "value", "u", "h", "v", "w"] as const;
const ENUM_NAMES = ["A", "B", "OFF", "ON", "IDLE", "name"] as const;
const HOSTILE_ENUMS = ["get", "then", "value"] as const;
const NAMESPACES = ["a", "a.b", "a.b_c", "a_b.c", "dev", "p.dev", "q.uart", "x86.cr", "lib", "lib.bits", "support", "fsm", "index", "pt", "class", "int.delete"] as const;
const DIRS = ["", "a/", "a/b/", "x86/", "arm/", "deep/er/still/"] as const;
const FILES = ["one", "two", "regs", "dev", "pt", "a-b", "a_b", "machine", "control-registers"] as const;
/** Spec files named like files hwspec writes itself (ts/support.ts, ts/fsm.ts, ts/index.ts). */
const HOSTILE_FILES = ["fsm", "support", "index"] as const;
// The whole access vocabulary except const, which needs a value and is drawn separately by the spec format's own tests.
const ACCESS = ["ro", "wo", "rw", "w1c", "w1s", "w0c", "w0s", "w1t", "wc", "ws", "rc", "rs", "write-once"] as const;
const WIDTHS = [8, 16, 32, 64] as const;
const POLICIES = ["res0", "res1", "ignore"] as const;

/**
 * Mostly plain names, sometimes (1 in `odds`) one chosen to collide with something generated. A
 * tree holds a dozen or more names and the checker refuses every such collision, so the odds
 * keep a hostile name in about one tree of three rather than in nearly all of them.
 */
const names = (plain: readonly string[], hostile: readonly string[], odds = 24) =>
  fc.oneof({ weight: odds - 1, arbitrary: fc.constantFrom(...plain) }, { weight: 1, arbitrary: fc.constantFrom(...hostile) });

const optional = <T>(a: fc.Arbitrary<T>, freq = 3) => fc.option(a, { nil: undefined, freq });

interface FieldPlan {
  name: string;
  gap: number;
  width: number;
  /** Picks a layout to nest (its width then replaces `width`); undefined: a plain field. */
  nest: number | undefined;
  access: (typeof ACCESS)[number] | undefined;
  reset: bigint | undefined;
  enum: string[] | undefined;
}
const fieldPlanArb: fc.Arbitrary<FieldPlan> = fc.record({
  name: fc.oneof(
    { weight: 200, arbitrary: names(FIELD_NAMES, HOSTILE_FIELDS) },
    { weight: 1, arbitrary: fc.constantFrom(...MACRO_SUFFIXES) },
    { weight: 12, arbitrary: fc.constantFrom(...ALL_KEYWORDS) },
  ),
  gap: fc.constantFrom(0, 0, 0, 1, 3),
  width: fc.constantFrom(1, 1, 2, 3, 4, 8, 12, 16, 32),
  nest: optional(fc.nat(20), 4),
  access: optional(fc.constantFrom(...ACCESS)),
  reset: optional(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  enum: optional(
    fc.uniqueArray(
      fc.oneof({ weight: 300, arbitrary: names(ENUM_NAMES, HOSTILE_ENUMS, 8) }, { weight: 1, arbitrary: fc.constantFrom(...MACRO_SUFFIXES) }, { weight: 20, arbitrary: fc.constantFrom(...ALL_KEYWORDS) }),
      { minLength: 1, maxLength: 3 },
    ),
    5,
  ),
});

interface ShapePlan {
  name: string;
  width: (typeof WIDTHS)[number];
  fields: FieldPlan[];
  reserved: (typeof POLICIES)[number] | "list";
  access: (typeof ACCESS)[number] | undefined;
  reset: boolean;
  /** Array length; undefined: a single register. */
  count: number | undefined;
}
const shapePlanArb = (widths: readonly (typeof WIDTHS)[number][]): fc.Arbitrary<ShapePlan> =>
  fc.record({
    name: fc.oneof({ weight: 10, arbitrary: names(SHAPE_NAMES, HOSTILE_SHAPES) }, { weight: 1, arbitrary: fc.constantFrom(...ALL_KEYWORDS, ...UPPER_KEYWORDS) }),
    width: fc.constantFrom(...widths),
    fields: fc.array(fieldPlanArb, { minLength: 1, maxLength: 4 }),
    reserved: fc.constantFrom("res0", "res1", "ignore", "list"),
    access: optional(fc.constantFrom(...ACCESS)),
    reset: fc.boolean(),
    count: optional(fc.integer({ min: 1, max: 4 }), 4),
  });

interface Header {
  ns: (typeof NAMESPACES)[number];
  dir: (typeof DIRS)[number];
  file: string;
}
const headerArb: fc.Arbitrary<Header> = fc.record({ ns: fc.constantFrom(...NAMESPACES), dir: fc.constantFrom(...DIRS), file: names(FILES, HOSTILE_FILES, 12) });

type Space = "msr" | "csr" | "sysreg" | "port" | "mmio";
/** `spread`: array elements this many registers apart (an explicit `stride` when above 1). */
type RegistersPlan = { kind: "registers"; h: Header; layouts: ShapePlan[]; registers: ShapePlan[]; space: Space; base: number; group: string | undefined; spread: 1 | 2 | 3 };
type DevicePlan = {
  kind: "device";
  h: Header;
  layouts: ShapePlan[];
  registers: ShapePlan[];
  shareLayout: number | undefined;
  hook: boolean;
  irq: boolean;
  constants: string[];
  /** Adds a w1c alias of the first stored register. */
  alias: boolean;
  lanes: boolean;
  unmapped: "fault" | "raz-wi";
  razRange: boolean;
};
type EntriesPlan = {
  kind: "entries";
  h: Header;
  width: 32 | 64;
  wideFlags: boolean;
  flags: { name: string; bit: number }[];
  constants: { name: string; value: number }[];
  levels: { format: string; split: number | undefined; address: string; flags: number[]; policy: "ignore" | "res0" }[];
  conversion: string | undefined;
  param: string;
  flagSet: string | undefined;
};
type MachinePlan = {
  kind: "machine";
  h: Header;
  events: boolean;
  constants: string[];
  vars: { name: string; bool: boolean }[];
  enumName: string | undefined;
  procName: string;
  steps: number;
  instances: number;
  func: string | undefined;
  invariant: string | undefined;
};
export type SpecPlan = RegistersPlan | DevicePlan | EntriesPlan | MachinePlan;

const registersPlanArb: fc.Arbitrary<RegistersPlan> = fc.record({
  kind: fc.constant("registers" as const),
  h: headerArb,
  layouts: fc.array(shapePlanArb(WIDTHS), { maxLength: 2 }),
  registers: fc.array(shapePlanArb(WIDTHS), { maxLength: 3 }),
  space: fc.constantFrom<Space>("msr", "mmio", "csr", "port", "sysreg"),
  base: fc.integer({ min: 0, max: 0xfff }),
  group: optional(fc.constantFrom("blk", "A", "CTRL", "grp_get")),
  spread: fc.constantFrom(1 as const, 2 as const, 3 as const),
});

const devicePlanArb: fc.Arbitrary<DevicePlan> = fc.record({
  kind: fc.constant("device" as const),
  h: headerArb,
  layouts: fc.array(shapePlanArb([32]), { maxLength: 2 }),
  registers: fc.array(shapePlanArb([8, 16, 32]), { minLength: 1, maxLength: 3 }),
  shareLayout: optional(fc.nat(3)),
  hook: fc.boolean(),
  irq: fc.boolean(),
  constants: fc.uniqueArray(names(["BASE", "SIZE", "FIFO_DEPTH"], ["CTRL_OFFSET", "A_RESET", "dev_BLOCK", "dev_REGISTERS", "uart_read", ...KEYWORDS.ts, ...KEYWORDS.c], 6), { maxLength: 2 }),
  alias: fc.boolean(),
  lanes: fc.boolean(),
  unmapped: fc.constantFrom("fault" as const, "raz-wi" as const),
  razRange: fc.boolean(),
});

const FLAG_NAMES = ["_PAGE_PRESENT", "_PAGE_RW", "_PAGE_USER", "F", "G", "PAGE"];
const HOSTILE_FLAGS = ["L1_SHIFT", "FLAGS_WIDTH", "levels", "walk", "WalkDescriptor", "l1e", "flags", "raw", "value", "e", "pfn", "int", "delete", "NULL", "UINT8_C", "register", "_Bool"];
const CONSTANT_NAMES = ["PAGE_SHIFT", "ORDER", "ENTRY_BYTES", "PADDR_BITS", "K"];
const HOSTILE_CONSTANTS = ["L1_SHIFT", "L2_SHIFT", "L1_ENTRIES", "FLAGS_WIDTH", "FLAGS_LIMIT", "levels", "walk", "get_pte_flags", "l1e_empty", "flags", "raw", "value", "long", "default", "class", "INT32_MAX", "true"];
const FORMAT_NAMES = ["l1e", "l2e", "pte", "entry", "l3e", "leaf"];
const HOSTILE_FORMATS = ["l2e_table", "l1e_table", "pte_get", "levels", "walk", "l1e_from_pfn", "l2e_empty", "L1_SHIFT", "union", "delete", "char", "string"];

const entriesPlanArb: fc.Arbitrary<EntriesPlan> = fc.record({
  kind: fc.constant("entries" as const),
  h: headerArb,
  width: fc.constantFrom(32 as const, 64 as const),
  wideFlags: fc.boolean(),
  flags: fc.array(fc.record({ name: names(FLAG_NAMES, HOSTILE_FLAGS), bit: fc.nat(23) }), { minLength: 1, maxLength: 5 }),
  constants: fc.array(fc.record({ name: names(CONSTANT_NAMES, HOSTILE_CONSTANTS), value: fc.integer({ min: 1, max: 40 }) }), { maxLength: 3 }),
  levels: fc.array(
    fc.record({
      format: names(FORMAT_NAMES, HOSTILE_FORMATS),
      split: optional(fc.nat(5)),
      address: fc.constantFrom("frame", "table", "addr", "mfn"),
      flags: fc.uniqueArray(fc.nat(5), { maxLength: 5 }),
      policy: fc.constantFrom("ignore" as const, "res0" as const),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  conversion: optional(names(["l1f_to_lNf", "conv"], ["L1_SHIFT", "levels", "delete", "int", "default"], 6)),
  param: fc.constantFrom("f", "f", "f", "default", "int", "delete", "xs"),
  flagSet: optional(names(["ALL", "PAGE_HYPERVISOR"], ["FLAGS_LIMIT", "class", "NULL"], 6)),
});

const MACHINE_NAMES = ["count", "flag", "busy", "owner", "pending", "ready"] as const;
const HOSTILE_MACHINE = ["State", "machine", "decodeState", "TRANSITIONS", "StepName", "Event", "Ctx", "Failure", "MachineDef", "E_NAMES", "then", "String", "Object", "let", "yield", "of", "type", "s", "c", "fail", "p"] as const;
/** Keywords as machine names; not the expression language's own words (`true`, `false`, `sizeof`). */
const MACHINE_KEYWORDS = ALL_KEYWORDS.filter((w) => !["true", "false", "sizeof"].includes(w));
const machineName = fc.oneof({ weight: 4, arbitrary: names(MACHINE_NAMES, HOSTILE_MACHINE, 6) }, { weight: 1, arbitrary: fc.constantFrom(...MACHINE_KEYWORDS) });

const machinePlanArb: fc.Arbitrary<MachinePlan> = fc.record({
  kind: fc.constant("machine" as const),
  h: headerArb,
  events: fc.boolean(),
  constants: fc.uniqueArray(machineName, { maxLength: 2 }),
  vars: fc.uniqueArray(fc.record({ name: machineName, bool: fc.boolean() }), { minLength: 1, maxLength: 3, selector: (v) => v.name }),
  enumName: optional(names(["E", "Dom", "Mode"], ["State", "machine", "Event", "string", "number", "delete", "chan"], 4)),
  procName: fc.oneof({ weight: 3, arbitrary: fc.constant("proc") }, { weight: 1, arbitrary: fc.constantFrom("end", "graph", "node", "subgraph", "st", "reachable", "proctype", "class") }),
  steps: fc.integer({ min: 1, max: 3 }),
  instances: fc.integer({ min: 1, max: 2 }),
  func: optional(machineName),
  invariant: optional(machineName),
});

export const specPlanArb: fc.Arbitrary<SpecPlan> = fc.oneof(
  { weight: 4, arbitrary: registersPlanArb },
  { weight: 2, arbitrary: devicePlanArb },
  { weight: 2, arbitrary: entriesPlanArb },
  { weight: 2, arbitrary: machinePlanArb },
);

/** A random tree: 1–4 specs of any kind. */
export const treeArb: fc.Arbitrary<Tree> = fc.array(specPlanArb, { minLength: 1, maxLength: 4 }).map(buildTree);

// ---------------------------------------------------------------------------------------------
// Build: plans → spec JSON

interface Avail {
  ns: string;
  name: string;
  width: number;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const mask = (w: number) => (1n << BigInt(w)) - 1n;
const bitsText = (lo: number, hi: number) => (lo === hi ? `${lo}` : `${hi}:${lo}`);

/** Makes `name` unique among `used` ignoring case (the spec format refuses such pairs; that is not what these trees test). */
function unique(name: string, used: Set<string>): string {
  let n = name;
  for (let i = 2; used.has(n.toUpperCase()); i++) n = `${name}${i}`;
  used.add(n.toUpperCase());
  return n;
}

/** Ranges of the bits below `width` that are clear in `covered`. */
function gaps(covered: bigint, width: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  for (let b = 0; b <= width; b++) {
    const free = b < width && ((covered >> BigInt(b)) & 1n) === 0n;
    if (free && start < 0) start = b;
    if (!free && start >= 0) out.push([start, b - 1]), (start = -1);
  }
  return out;
}

/**
 * Packs planned fields from bit 0 upwards; a nested field takes the width of the layout it picks
 * among `avail` (same spec: short name; other specs: qualified).
 */
function buildShape(p: ShapePlan, width: number, ns: string, avail: Avail[], kind: "registers" | "device"): { json: Spec; width: number } {
  const fields: Spec = {};
  const used = new Set<string>();
  let cursor = 0;
  let covered = 0n;
  let reset = 0n;
  for (const f of p.fields) {
    const lo = cursor + f.gap;
    let w = f.width;
    let layout: Avail | undefined;
    if (f.nest !== undefined) {
      const fit = avail.filter((l) => l.width <= width - lo && (kind === "registers" || l.ns === ns));
      if (fit.length) (layout = fit[f.nest % fit.length]!), (w = layout.width);
    }
    if (lo + w > width) continue;
    const name = unique(f.name, used);
    const field: Spec = { bits: bitsText(lo, lo + w - 1) };
    if (layout) field.layout = layout.ns === ns && f.nest! % 3 !== 0 ? layout.name : `${layout.ns}.${layout.name}`;
    else {
      if (f.access) field.access = f.access;
      if (f.reset !== undefined) {
        field.reset = hex(f.reset & mask(w));
        reset |= (f.reset & mask(w)) << BigInt(lo);
      }
      if (f.enum && w <= 16) {
        const members = f.enum.slice(0, Number(mask(w)) + 1);
        field.enum = Object.fromEntries(members.map((m, i) => [m, i]));
      }
    }
    fields[name] = field;
    covered |= mask(w) << BigInt(lo);
    cursor = lo + w;
  }
  if (!Object.keys(fields).length) {
    fields.f = { bits: "0" };
    covered = 1n;
  }
  const json: Spec = { width, fields };
  const free = gaps(covered, width);
  if (p.reserved === "list") {
    if (free.length) json.reserved = free.map(([lo, hi], i) => ({ bits: bitsText(lo, hi), policy: POLICIES[i % 3]! }));
    free.forEach(([lo, hi], i) => (i % 3 === 1 ? (reset |= mask(hi - lo + 1) << BigInt(lo)) : undefined));
  } else {
    json.reserved = p.reserved;
    if (p.reserved === "res1") for (const [lo, hi] of free) reset |= mask(hi - lo + 1) << BigInt(lo);
  }
  if (p.access) json.access = p.access;
  if (p.reset) json.reset = hex(reset);
  if (p.count !== undefined) json.count = p.count;
  return { json, width };
}

/** The n-th address of a space; consecutive system registers are consecutive encodings (op2 carrying into CRm, CRn, op1). */
function address(space: Space, n: number): Spec {
  if (space === "mmio") return { offset: hex(BigInt(n)) };
  if (space !== "sysreg") return { index: hex(BigInt(n)) };
  return { encoding: { op0: 3, op1: (n >> 11) & 7, crn: (n >> 7) & 15, crm: (n >> 3) & 15, op2: n & 7 } };
}

function buildRegisters(p: RegistersPlan, ns: string, avail: Avail[]): Spec {
  const spec: Spec = { $schema: "../schema/registers.schema.json", kind: "registers", name: ns, doc: `Registers ${ns}.`, index_space: p.space };
  const names = new Set<string>();
  const layouts: Spec = {};
  for (const l of p.layouts) {
    const name = unique(l.name, names);
    const { json } = buildShape(l, l.width, ns, avail, "registers");
    delete json.access;
    delete json.reset;
    delete json.count;
    layouts[name] = json;
    avail.push({ ns, name, width: l.width });
  }
  if (p.layouts.length) spec.layouts = layouts;
  const registers: Spec = {};
  const members: string[] = [];
  // CSR numbers stop at 0xfff; a few registers after the base must still fit.
  let at = p.space === "csr" ? p.base % 0xff0 : p.base;
  for (const r of p.registers) {
    const name = unique(r.name, names);
    const { json } = buildShape(r, r.width, ns, avail, "registers");
    // Ports and MMIO are byte-addressed; MSRs, CSRs and system-register encodings count registers.
    const step = p.space === "mmio" || p.space === "port" ? r.width / 8 : 1;
    at = Math.ceil(at / step) * step;
    registers[name] = { ...address(p.space, at), ...json };
    // A system register's stride is in sys_reg() units: consecutive encodings are 0x20 apart.
    const unit = p.space === "sysreg" ? 0x20 : step;
    if (r.count !== undefined && p.spread > 1) (registers[name] as Spec).stride = hex(BigInt(unit * p.spread));
    at += step * (r.count === undefined ? 1 : p.spread * (r.count - 1) + 1);
    members.push(name);
  }
  if (members.length) spec.registers = registers;
  const sameWidth = p.registers.every((r) => r.width === p.registers[0]?.width);
  // Groups are raw arrays of single registers, so a tree with register arrays has no group.
  const noArrays = p.registers.every((r) => r.count === undefined);
  if (p.group && members.length && sameWidth && noArrays) spec.groups = { [unique(p.group, names)]: { registers: members, available: "true" } };
  return spec;
}

function buildDevice(p: DevicePlan, ns: string, avail: Avail[]): Spec {
  const names = new Set<string>();
  const layouts: Spec = {};
  const local: Avail[] = [];
  for (const l of p.layouts) {
    const name = unique(l.name, names);
    const { json } = buildShape(l, 32, ns, local, "device");
    delete json.access;
    delete json.reset;
    delete json.count;
    layouts[name] = json;
    local.push({ ns, name, width: 32 });
  }
  const registers: Spec = {};
  const regNames: string[] = [];
  // 16 bytes per register leaves room for arrays of up to four 32-bit elements.
  p.registers.forEach((r, i) => {
    const name = unique(r.name, names);
    const offset = hex(BigInt(i * 16));
    const shared = p.shareLayout !== undefined && local.length && r.width === 32 && i % 2 === 1 ? local[p.shareLayout % local.length] : undefined;
    if (shared) registers[name] = { offset, width: 32, access: r.access ?? "rw", layout: shared.name, ...(r.count !== undefined ? { count: r.count } : {}) };
    else {
      const { json } = buildShape(r, r.width, ns, local, "device");
      registers[name] = { offset, ...json };
      if (p.lanes && r.width === 32) registers[name].narrow = "lanes";
    }
    regNames.push(name);
  });
  const first = registers[regNames[0]!] as Spec;
  const spec: Spec = {
    $schema: "../schema/device.schema.json",
    kind: "device",
    name: ns,
    doc: `Device ${ns}.`,
    block: { size: "0x100", access_widths: [8, 16, 32], unmapped: p.unmapped, ...(p.razRange ? { unmapped_ranges: [{ first: "0xf0", last: "0xff", policy: "raz-wi" }] } : {}) },
  };
  if (p.layouts.length) spec.layouts = layouts;
  spec.registers = registers;
  if (p.hook) {
    const hook = unique("pop", names);
    first.onRead = hook;
    first.access = "ro";
    delete first.reset;
    spec.hooks = { [hook]: { on: "read", doc: "Supplies the value read." } };
  }
  const reg = (n: string) => registers[n] as Spec;
  const stored = regNames.filter((n, i) => !(p.hook && i === 0) && reg(n).access !== "wo" && reg(n).access !== "ro");
  if (p.alias && stored.length) {
    // The alias copies its target's shape and lets every field inherit w1c from the register.
    const target = registers[stored[0]!] as Spec;
    const copy = JSON.parse(JSON.stringify(target)) as Spec;
    if (copy.fields) for (const f of Object.values(copy.fields as Record<string, Spec>)) delete f.access, delete f.reset, delete f.const;
    delete copy.reset;
    delete copy.narrow;
    const name = unique("CLR", names);
    registers[name] = { ...copy, offset: hex(BigInt(regNames.length * 16)), access: "w1c", alias_of: stored[0]! };
  }
  const irqReg = stored.find((n) => reg(n).count === undefined);
  if (p.irq && irqReg) spec.interrupts = { [unique("IRQ", names)]: { expr: `${irqReg} != 0` } };
  if (p.constants.length) spec.constants = Object.fromEntries(p.constants.map((c, i) => [unique(c, names), { value: i + 1 }]));
  void avail;
  return spec;
}

function buildEntries(p: EntriesPlan, ns: string): Spec {
  const W = p.width;
  const fw = p.wideFlags ? 24 : 12;
  const highBase = W === 64 ? 52 : 20;
  // Flags bits 11:0 are entry bits 11:0; 23:12 (wide flags, 64-bit entries only) are entry bits 63:52.
  const wide = p.wideFlags && W === 64;
  const flagsWidth = wide ? fw : 12;
  const entryBit = (b: number) => (b < 12 ? b : highBase + (b - 12));
  const names = new Set<string>();
  const flags: { name: string; bit: number }[] = [];
  const bitsUsed = new Set<number>();
  for (const f of p.flags) {
    const bit = f.bit % flagsWidth;
    if (bitsUsed.has(bit)) continue;
    bitsUsed.add(bit);
    flags.push({ name: unique(f.name, names), bit });
  }
  const constants = p.constants.map((c) => ({ name: unique(c.name, names), value: c.value }));
  const frameHi = W === 64 ? 51 : 31;
  const levels: Spec = {};
  p.levels.forEach((l, i) => {
    const formats: Spec = {};
    const split = l.split !== undefined ? flags[l.split % flags.length] : undefined;
    const variants = split ? ["== 0", "!= 0"] : [undefined];
    variants.forEach((cond, k) => {
      const fname = unique(k ? `${l.format}_b` : l.format, names);
      const members = [...new Set(l.flags.map((x) => flags[x % flags.length]!))];
      if (split && !members.includes(split)) members.push(split);
      let covered = mask(frameHi - 11) << 12n;
      for (const m of members) covered |= 1n << BigInt(entryBit(m.bit));
      const free = gaps(covered, W);
      const fmt: Spec = {
        when: cond ? `(flags & ${split!.name}) ${cond}` : "true",
        address: { field: l.address, bits: `${frameHi}:12`, shift: 12 },
        flags: members.map((m) => m.name),
      };
      if (free.length) fmt.reserved = free.map(([lo, hi]) => ({ bits: bitsText(lo, hi), policy: l.policy }));
      formats[fname] = fmt;
    });
    levels[`L${i + 1}`] = { shift: String(12 + 9 * i), entries: "512", frame: `${frameHi}:12`, formats };
  });
  const spec: Spec = {
    $schema: "../schema/entries.schema.json",
    kind: "entries",
    name: ns,
    doc: `Entries ${ns}.`,
    width: W,
  };
  if (constants.length) spec.constants = Object.fromEntries(constants.map((c) => [c.name, { value: c.value }]));
  spec.flags = {
    width: flagsWidth,
    packing: wide ? [{ flags: "11:0", entry: "11:0" }, { flags: "23:12", entry: `63:52` }] : [{ flags: "11:0", entry: "11:0" }],
    flags: Object.fromEntries(flags.map((f) => [f.name, { bit: f.bit, field: f.name.toLowerCase().replace(/^_+/, "") || "f" }])),
  };
  if (p.flagSet) spec.flagSets = { [unique(p.flagSet, names)]: { flags: flags.map((f) => f.name) } };
  spec.levels = levels;
  if (p.conversion) spec.conversions = { [unique(p.conversion, names)]: { param: p.param, expr: `${p.param} | ${flags[0]!.name}` } };
  return spec;
}

function buildMachine(p: MachinePlan, ns: string): Spec {
  const names = new Set<string>();
  const constants = p.constants.map((c) => unique(c, names));
  const vars = p.vars.map((v) => ({ name: unique(v.name, names), bool: v.bool }));
  const spec: Spec = { $schema: "../schema/machine.schema.json", kind: "machine", name: ns, doc: `Machine ${ns}.` };
  if (constants.length) spec.constants = Object.fromEntries(constants.map((c, i) => [c, i + 1]));
  let enumMembers: string[] = [];
  if (p.enumName) {
    const e = unique(p.enumName, names);
    enumMembers = [unique("IDLE", names), unique("BUSY", names)];
    spec.enums = { [e]: enumMembers };
    vars.push({ name: unique("st", names), bool: false });
    spec.vars = {};
    for (const v of vars.slice(0, -1)) (spec.vars as Spec)[v.name] = v.bool ? { type: "bool" } : { type: "int", max: 3 };
    (spec.vars as Spec)[vars[vars.length - 1]!.name] = { type: "enum", enum: e };
  } else spec.vars = Object.fromEntries(vars.map((v) => [v.name, (v.bool ? { type: "bool" } : { type: "int", max: 3 }) as Spec]));
  const effect = (i: number) => {
    const v = vars[i % vars.length]!;
    if (enumMembers.length && v === vars[vars.length - 1]) return `${v.name} = ${enumMembers[i % 2]}`;
    return v.bool ? `${v.name} = !${v.name}` : `${v.name} = ${v.name} < 3 ? ${v.name} + 1 : 0`;
  };
  if (p.events) {
    spec.actor = "actor";
    spec.events = Object.fromEntries(Array.from({ length: p.steps }, (_, i) => [unique(`ev${i}`, names), { effects: effect(i) }]));
  } else {
    spec.processes = {
      [unique(p.procName, names)]: { instances: p.instances, steps: Array.from({ length: p.steps }, (_, i) => ({ label: `s${i}`, effects: effect(i) })) },
    };
  }
  const boolVar = vars.find((v) => v.bool && !(enumMembers.length && v === vars[vars.length - 1]));
  const cond = boolVar ? `${boolVar.name} || !${boolVar.name}` : "true";
  if (p.func) spec.functions = { [unique(p.func, names)]: { expr: cond } };
  if (p.invariant) spec.invariants = { [unique(p.invariant, names)]: cond };
  return spec;
}

/** Resolves every plan against the specs before it; paths and namespaces are made distinct. */
export function buildTree(plans: SpecPlan[]): Tree {
  const tree: Tree = {};
  const avail: Avail[] = [];
  const usedNs = new Set<string>();
  const usedPath = new Set<string>();
  plans.forEach((p, i) => {
    let ns: string = p.h.ns;
    for (let k = 2; usedNs.has(ns); k++) ns = `${p.h.ns}${k}`;
    usedNs.add(ns);
    let path = `${p.h.dir}${p.h.file}.json`;
    for (let k = 2; usedPath.has(path.toLowerCase()); k++) path = `${p.h.dir}${p.h.file}${k}.json`;
    usedPath.add(path.toLowerCase());
    const depth = path.split("/").length - 1;
    let spec: Spec;
    if (p.kind === "registers") spec = buildRegisters(p, ns, avail);
    else if (p.kind === "device") spec = buildDevice(p, ns, avail);
    else if (p.kind === "entries") spec = buildEntries(p, ns);
    else spec = buildMachine(p, ns);
    spec.$schema = `${"../".repeat(depth)}schema/${p.kind}.schema.json`;
    void i;
    tree[path] = spec;
  });
  return tree;
}
