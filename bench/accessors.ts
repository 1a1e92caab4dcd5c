/**
 * 1. Accessors: the generated field API against hand-written mask-and-shift on two u32 halves (the
 * practical limit) and against BigInt. Every loop runs over the same prepared inputs and feeds the
 * shared sink, so no variant's work is dead code.
 */
import type { U64 } from "../generated/ts/support.ts";
import { cr0_bits } from "../generated/ts/x86/control-registers.ts";
import { l1e } from "../generated/ts/x86/pagetable.ts";
import { IA32_VMX_BASIC, vmx_pin_based_exec_control_bits } from "../generated/ts/x86/vmx-msrs.ts";
import { LCR_H } from "../generated/ts/arm/pl011.ts";
import { fmtNs, fmtRatio, nsPerOp, round, sink, type BenchConfig, type Row, type SectionResult } from "./harness.ts";

const N = 1024;

function inputs() {
  let seed = 0x9e3779b9;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const u64s: U64[] = [];
  const bigs: bigint[] = [];
  const u32s = new Uint32Array(N);
  const bools: boolean[] = [];
  const twoBits: number[] = [];
  const frames: U64[] = [];
  const frameBigs: bigint[] = [];
  for (let i = 0; i < N; i++) {
    const lo = rnd();
    const hi = rnd();
    u64s.push({ lo, hi });
    bigs.push((BigInt(hi) << 32n) | BigInt(lo));
    u32s[i] = rnd();
    bools.push((rnd() & 1) === 1);
    twoBits.push(rnd() & 3);
    const f = { lo: rnd(), hi: rnd() & 0xff }; // 40-bit frame number
    frames.push(f);
    frameBigs.push((BigInt(f.hi) << 32n) | BigInt(f.lo));
  }
  return { u64s, bigs, u32s, bools, twoBits, frames, frameBigs };
}

// Hand-written equivalents (what a careful engineer would type for these exact fields).
const hand = {
  vmcsRegionSize: (v: U64): number => v.hi & 0x1fff,
  setPg: (v: U64, x: boolean): U64 => ({ lo: ((v.lo & 0x7fffffff) | ((x ? 1 : 0) << 31)) >>> 0, hi: v.hi }),
  setNx: (v: U64, x: boolean): U64 => ({ lo: v.lo, hi: ((v.hi & 0x7fffffff) | ((x ? 1 : 0) << 31)) >>> 0 }),
  getFrame: (v: U64): U64 => ({ lo: ((v.lo >>> 12) | (v.hi << 20)) >>> 0, hi: (v.hi >>> 12) & 0xff }),
  setFrame: (v: U64, x: U64): U64 => ({
    lo: ((v.lo & 0xfff) | (x.lo << 12)) >>> 0,
    hi: ((v.hi & 0xfff00000) | (x.hi << 12) | (x.lo >>> 20)) >>> 0 ,
  }),
  preempt: (v: number): boolean => (v & 0x40) !== 0,
  setPreempt: (v: number, x: boolean): number => ((v & 0xffffffbf) | ((x ? 1 : 0) << 6)) >>> 0,
  setWlen: (v: number, x: number): number => ((v & 0xffffff9f) | (x << 5)) >>> 0,
  decodeBasic: (v: U64) => ({
    vmcs_revision_id: v.lo & 0x7fffffff,
    mbz: (v.lo & 0x80000000) !== 0,
    vmcs_region_size: v.hi & 0x1fff,
    addresses_32bit: (v.hi & 0x10000) !== 0,
    dual_monitor: (v.hi & 0x20000) !== 0,
    memory_type: (v.hi >>> 18) & 0xf,
    ins_out_info: (v.hi & 0x400000) !== 0,
    default1_zero: (v.hi & 0x800000) !== 0,
  }),
};

// BigInt equivalents (the "just use bigint" alternative).
const big = {
  vmcsRegionSize: (b: bigint): number => Number((b >> 32n) & 0x1fffn),
  setPg: (b: bigint, x: boolean): bigint => (b & ~(1n << 31n)) | (BigInt(x ? 1 : 0) << 31n),
  setNx: (b: bigint, x: boolean): bigint => (b & ~(1n << 63n)) | (BigInt(x ? 1 : 0) << 63n),
  getFrame: (b: bigint): bigint => (b >> 12n) & 0xffffffffffn,
  setFrame: (b: bigint, x: bigint): bigint => (b & ~(0xffffffffffn << 12n)) | ((x & 0xffffffffffn) << 12n),
  decodeBasic: (b: bigint) => ({
    vmcs_revision_id: Number(b & 0x7fffffffn),
    mbz: ((b >> 31n) & 1n) === 1n,
    vmcs_region_size: Number((b >> 32n) & 0x1fffn),
    addresses_32bit: ((b >> 48n) & 1n) === 1n,
    dual_monitor: ((b >> 49n) & 1n) === 1n,
    memory_type: Number((b >> 50n) & 0xfn),
    ins_out_info: ((b >> 54n) & 1n) === 1n,
    default1_zero: ((b >> 55n) & 1n) === 1n,
  }),
};

export interface AccessorResults {
  ns: Record<string, number>;
  [ratio: string]: number | Record<string, number>;
}

export async function runAccessors(cfg: BenchConfig): Promise<SectionResult<AccessorResults>> {
  const { u64s, bigs, u32s, bools, twoBits, frames, frameBigs } = inputs();
  const eat = (v: U64) => (sink.n ^= v.lo ^ v.hi);
  const eatBig = (b: bigint) => {
    if (b === -1n) sink.n++;
  };
  const tasks: Record<string, () => void> = {
    // get, 64-bit register, field in the high half
    "get64 generated": () => { let s = 0; for (let i = 0; i < N; i++) s += IA32_VMX_BASIC.get.vmcs_region_size(u64s[i]!); sink.n ^= s; },
    "get64 hand": () => { let s = 0; for (let i = 0; i < N; i++) s += hand.vmcsRegionSize(u64s[i]!); sink.n ^= s; },
    "get64 bigint": () => { let s = 0; for (let i = 0; i < N; i++) s += big.vmcsRegionSize(bigs[i]!); sink.n ^= s; },
    // set, 64-bit layout (cr0_bits.pg, writable)
    "set64 generated": () => { for (let i = 0; i < N; i++) eat(cr0_bits.set.pg(u64s[i]!, bools[i]!)); },
    "set64 hand": () => { for (let i = 0; i < N; i++) eat(hand.setPg(u64s[i]!, bools[i]!)); },
    "set64 bigint": () => { for (let i = 0; i < N; i++) eatBig(big.setPg(bigs[i]!, bools[i]!)); },
    // set, field in the high half (l1e.nx)
    "set64hi generated": () => { for (let i = 0; i < N; i++) eat(l1e.set.nx(u64s[i]!, bools[i]!)); },
    "set64hi hand": () => { for (let i = 0; i < N; i++) eat(hand.setNx(u64s[i]!, bools[i]!)); },
    "set64hi bigint": () => { for (let i = 0; i < N; i++) eatBig(big.setNx(bigs[i]!, bools[i]!)); },
    // wide field (40 bits across both halves: l1e.frame)
    "getwide generated": () => { for (let i = 0; i < N; i++) eat(l1e.get.frame(u64s[i]!)); },
    "getwide hand": () => { for (let i = 0; i < N; i++) eat(hand.getFrame(u64s[i]!)); },
    "getwide bigint": () => { for (let i = 0; i < N; i++) eatBig(big.getFrame(bigs[i]!)); },
    "setwide generated": () => { for (let i = 0; i < N; i++) eat(l1e.set.frame(u64s[i]!, frames[i]!)); },
    "setwide hand": () => { for (let i = 0; i < N; i++) eat(hand.setFrame(u64s[i]!, frames[i]!)); },
    "setwide bigint": () => { for (let i = 0; i < N; i++) eatBig(big.setFrame(bigs[i]!, frameBigs[i]!)); },
    // with: two fields by name, generic patch path
    "with64 generated": () => { for (let i = 0; i < N; i++) eat(cr0_bits.with(u64s[i]!, { pg: bools[i]!, wp: true })); },
    "with64 hand": () => { for (let i = 0; i < N; i++) { const v = u64s[i]!; eat({ lo: ((v.lo & 0x7ffeffff) | ((bools[i]! ? 1 : 0) << 31) | 0x10000) >>> 0, hi: v.hi }); } },
    "with64 bigint": () => { for (let i = 0; i < N; i++) eatBig((bigs[i]! & ~((1n << 31n) | (1n << 16n))) | (BigInt(bools[i]! ? 1 : 0) << 31n) | (1n << 16n)); },
    // 32-bit layout
    "get32 generated": () => { let s = 0; for (let i = 0; i < N; i++) s += vmx_pin_based_exec_control_bits.get.preempt_timer(u32s[i]!) ? 1 : 0; sink.n ^= s; },
    "get32 hand": () => { let s = 0; for (let i = 0; i < N; i++) s += hand.preempt(u32s[i]!) ? 1 : 0; sink.n ^= s; },
    "set32 generated": () => { let s = 0; for (let i = 0; i < N; i++) s ^= vmx_pin_based_exec_control_bits.set.preempt_timer(u32s[i]!, bools[i]!); sink.n ^= s; },
    "set32 hand": () => { let s = 0; for (let i = 0; i < N; i++) s ^= hand.setPreempt(u32s[i]!, bools[i]!); sink.n ^= s; },
    "with32 generated": () => { let s = 0; for (let i = 0; i < N; i++) s ^= vmx_pin_based_exec_control_bits.with(u32s[i]!, { preempt_timer: bools[i]!, nmi_exiting: true }); sink.n ^= s; },
    "with32 hand": () => { let s = 0; for (let i = 0; i < N; i++) s ^= ((u32s[i]! & 0xffffffb7) | ((bools[i]! ? 1 : 0) << 6) | 0x8) >>> 0; sink.n ^= s; },
    // set of a field with an enum, by numeric value (pl011 LCR_H.WLEN)
    "setenum generated": () => { let s = 0; for (let i = 0; i < N; i++) s ^= LCR_H.set.WLEN(u32s[i]!, twoBits[i]!); sink.n ^= s; },
    "setenum hand": () => { let s = 0; for (let i = 0; i < N; i++) s ^= hand.setWlen(u32s[i]!, twoBits[i]!); sink.n ^= s; },
    // decode of a whole register into an object of fields
    "decode64 generated": () => { for (let i = 0; i < N; i++) sink.n ^= IA32_VMX_BASIC.decode(u64s[i]!).memory_type; },
    "decode64 hand": () => { for (let i = 0; i < N; i++) sink.n ^= hand.decodeBasic(u64s[i]!).memory_type; },
    "decode64 bigint": () => { for (let i = 0; i < N; i++) sink.n ^= big.decodeBasic(bigs[i]!).memory_type; },
  };
  const ns = await nsPerOp(cfg, N, tasks);
  const ratio = (op: string, other: "hand" | "bigint") => round(ns[`${op} generated`]! / ns[`${op} ${other}`]!);
  const results: AccessorResults = {
    get64_vs_handwritten: ratio("get64", "hand"),
    set64_vs_handwritten: ratio("set64", "hand"),
    get64_vs_bigint: ratio("get64", "bigint"),
    set64_vs_bigint: ratio("set64", "bigint"),
    set64hi_vs_handwritten: ratio("set64hi", "hand"),
    set64hi_vs_bigint: ratio("set64hi", "bigint"),
    getwide_vs_handwritten: ratio("getwide", "hand"),
    getwide_vs_bigint: ratio("getwide", "bigint"),
    setwide_vs_handwritten: ratio("setwide", "hand"),
    setwide_vs_bigint: ratio("setwide", "bigint"),
    with64_vs_handwritten: ratio("with64", "hand"),
    with64_vs_bigint: ratio("with64", "bigint"),
    get32_vs_handwritten: ratio("get32", "hand"),
    set32_vs_handwritten: ratio("set32", "hand"),
    with32_vs_handwritten: ratio("with32", "hand"),
    setenum_vs_handwritten: ratio("setenum", "hand"),
    decode64_vs_handwritten: ratio("decode64", "hand"),
    decode64_vs_bigint: ratio("decode64", "bigint"),
    ns: Object.fromEntries(Object.entries(ns).map(([k, v]) => [k, round(v)])),
  };
  const rows: Row[] = [];
  const ops = [...new Set(Object.keys(tasks).map((k) => k.split(" ")[0]!))];
  for (const op of ops) {
    const g = ns[`${op} generated`]!;
    const h = ns[`${op} hand`]!;
    const b = ns[`${op} bigint`];
    rows.push({
      section: "accessors",
      name: op,
      value: fmtNs(g),
      note: `hand ${fmtNs(h)} (gen/hand ${fmtRatio(g / h)})` + (b === undefined ? "" : `; bigint ${fmtNs(b)} (gen/bigint ${fmtRatio(g / b)})`),
    });
  }
  return { results, rows };
}
