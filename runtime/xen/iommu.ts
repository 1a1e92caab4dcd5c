/**
 * A domain's IOMMU flags (has_iommu_pt / sync_iommu_pt) as a typed object, driven by the code
 * generated from specs/xen/iommu-domain.json (the patch as posted) or its variant
 * specs/xen/iommu-domain-teardown-fix.json (iommu_teardown also clears sync_iommu_pt).
 *
 * Every operation is one event of the generated machine: it runs only when the event's guard
 * holds, on a copy of the state; a failed check (`assert`, `bug_if`) or a broken invariant
 * (sync_iommu_pt ⇒ has_iommu_pt) throws an IommuError and leaves the domain unchanged. The
 * predicates callers use are the generated functions. Imports only generated code.
 */
import type { Failure, MachineDef, Step, Transition } from "../../generated/ts/fsm.ts";
import * as patch from "../../generated/ts/xen/iommu-domain.ts";
import * as fixed from "../../generated/ts/xen/iommu-domain-teardown-fix.ts";

export type Variant = "patch" | "fixed";
export type IommuEvent = patch.Event;
export type IommuState = patch.State;
export type Arch = "x86" | "arm";
export type Paging = "pv" | "shadow" | "hap";

type Module = typeof patch;
const MODULES: Record<Variant, Module> = { patch, fixed };

export type IommuErrorCode =
  /** No such event (or the domain model has none of that name). */
  | "unknown-event"
  /** A parameter is missing, of the wrong type, or out of range. */
  | "bad-param"
  /** The event's guard is false in this state (e.g. assigning a device before create). */
  | "not-allowed"
  /** Xen refuses with -EXDEV (device assignment with mem sharing on, or mem sharing with IOMMU mappings). */
  | "exdev"
  /** An `assert` or `bug_if` of the event failed. */
  | "check-failed"
  /** The event would break an invariant (sync_iommu_pt ⇒ has_iommu_pt). */
  | "invariant";

export class IommuError extends Error {
  constructor(
    readonly code: IommuErrorCode,
    /** The event's transition name (`assign_device(populate_fails=false, assign_fails=true)`) or its bare name. */
    readonly event: string,
    message: string,
    /** For `check-failed` and `invariant`: the names of what failed. */
    readonly failed: readonly string[] = [],
  ) {
    super(message);
    this.name = "IommuError";
  }
}

export interface DomainConfig {
  arch: Arch;
  /** x86 paging mode; ARM guests are always translated (leave it unset or `hap`). */
  paging?: Paging;
  hardwareDomain?: boolean;
  /** iommu_dom0_strict (read by iommu_hwdom_init; only meaningful for the hardware domain). */
  dom0Strict?: boolean;
  /** iommu_hap_pt_share (x86; only meaningful for HAP guests). */
  hapPtShare?: boolean;
}

const PAGING: Record<Paging, number> = { pv: patch.PV, shadow: patch.SHADOW, hap: patch.HAP };

const ACTOR = 0;

export class IommuDomain {
  private readonly mod: Module;
  private readonly def: MachineDef;
  private readonly steps: ReadonlyMap<string, Step>;
  private s: number[];

  constructor(readonly variant: Variant = "patch") {
    this.mod = MODULES[variant];
    this.def = this.mod.machine;
    const actor = this.def.processes[ACTOR]!;
    this.steps = new Map(actor.steps.map((st) => [st.label, st]));
    // One actor: the shared slots, then its program counter (always 0) with no locals.
    this.s = [...this.def.globals.map((g) => g.init), 0];
  }

  /** A created domain (the `create` event) of the given configuration. */
  static create(config: DomainConfig, variant: Variant = "patch"): IommuDomain {
    const d = new IommuDomain(variant);
    d.createDomain(config);
    return d;
  }

  /** The shared variables, decoded. */
  get state(): IommuState {
    return this.mod.decodeState(this.s);
  }

  /** The packed state (a copy). */
  get raw(): number[] {
    return [...this.s];
  }

  // --- operations -------------------------------------------------------------------------

  createDomain(c: DomainConfig): IommuState {
    const mode = c.arch === "arm" ? patch.HAP : PAGING[c.paging ?? "hap"];
    return this.apply({ name: "create", on_arm: c.arch === "arm", mode, is_hwdom: !!c.hardwareDomain, strict: !!c.dom0Strict, share: !!c.hapPtShare });
  }

  /** iommu_hwdom_init(d) (hardware domain, once). */
  hwdomInit(): IommuState {
    return this.apply({ name: "iommu_hwdom_init" });
  }

  /** x86 assign_device: -EXDEV first, then iommu_construct, platform assign, teardown when no device is left. */
  assignDevice(o: { populateFails?: boolean; assignFails?: boolean } = {}): IommuState {
    if (this.isCreated() && !this.state.arm && this.mod.assign_device_exdev(this.s)) {
      throw new IommuError("exdev", "assign_device", "assign_device: -EXDEV (no IOMMU page tables and mem sharing is on)");
    }
    return this.apply({ name: "assign_device", populate_fails: !!o.populateFails, assign_fails: !!o.assignFails });
  }

  /** x86 deassign_device: reassign to the hardware domain, teardown when no device is left. */
  deassignDevice(o: { fails?: boolean } = {}): IommuState {
    return this.apply({ name: "deassign_device", fails: !!o.fails });
  }

  /** ARM iommu_assign_dt_device. */
  assignDtDevice(o: { populateFails?: boolean; assignFails?: boolean } = {}): IommuState {
    return this.apply({ name: "iommu_assign_dt_device", populate_fails: !!o.populateFails, assign_fails: !!o.assignFails });
  }

  /** ARM iommu_deassign_dt_device. */
  deassignDtDevice(o: { fails?: boolean } = {}): IommuState {
    return this.apply({ name: "iommu_deassign_dt_device", fails: !!o.fails });
  }

  /** x86 XEN_DOMCTL_MEM_SHARING_CONTROL; enabling with IOMMU page tables is -EXDEV. */
  memSharingControl(enable: boolean): IommuState {
    if (this.isCreated() && this.mod.mem_sharing_control_exdev(this.s, { enable })) {
      throw new IommuError("exdev", `mem_sharing_control(enable=${enable})`, "mem_sharing_control: -EXDEV (the domain has IOMMU page tables)");
    }
    return this.apply({ name: "mem_sharing_control", enable });
  }

  // --- predicates (generated functions of the current state) ------------------------------

  hasIommuPt(): boolean {
    return this.state.has_iommu_pt;
  }
  syncIommuPt(): boolean {
    return this.state.sync_iommu_pt;
  }
  /** iommu_use_hap_pt(d) for the domain's architecture. */
  iommuUseHapPt(): boolean {
    return this.mod.iommu_use_hap_pt(this.s);
  }
  /** gnttab_need_iommu_mapping(d) for the domain's architecture. */
  gnttabNeedIommuMapping(): boolean {
    return this.state.arm ? this.mod.gnttab_need_iommu_mapping_arm(this.s) : this.mod.gnttab_need_iommu_mapping_x86(this.s);
  }
  /** memory_type_changed(d) flushes (x86). */
  memoryTypeChangedFlushes(hasVcpu0: boolean): boolean {
    return this.mod.memory_type_changed_flushes(this.s, { has_vcpu0: hasVcpu0 });
  }
  /** xenmem_add_to_physmap batches the IOTLB flush. */
  addToPhysmapBatchesFlush(): boolean {
    return this.mod.xenmem_add_to_physmap_batches_flush(this.s);
  }
  /** epte_get_entry_emt ignores PAT and returns WB (x86). */
  epteIgnoresPat(cacheFlushPermitted: boolean): boolean {
    return this.mod.epte_ignores_pat(this.s, { cache_flush_permitted: cacheFlushPermitted });
  }

  // --- generic event dispatch -------------------------------------------------------------

  /** The events whose guard holds now, by transition name. */
  allowed(): string[] {
    const out: string[] = [];
    for (const st of this.steps.values()) for (const t of st.transitions) if (t.enabled(this.s, this.ctx())) out.push(t.name);
    return out;
  }

  /**
   * Runs one event. Unknown events, bad parameters and disallowed transitions throw IommuError;
   * so do failed checks and broken invariants, and then the state is left as it was.
   */
  apply(e: IommuEvent): IommuState {
    const step = typeof e?.name === "string" ? this.steps.get(e.name) : undefined;
    if (!step) throw new IommuError("unknown-event", String((e as { name?: unknown } | undefined)?.name), `unknown event ${JSON.stringify((e as { name?: unknown } | undefined)?.name)}`);
    // Missing or mistyped parameters spell a name no transition has (`fails=undefined`).
    const name = this.mod.eventTransitionName(e);
    const t: Transition | undefined = step.transitions.find((x) => x.name === name);
    if (!t) throw new IommuError("bad-param", name, `${e.name}: no such parameter values (${name})`);
    if (!t.enabled(this.s, this.ctx())) throw new IommuError("not-allowed", name, `${name} is not allowed now`);
    const next = this.s.slice();
    const fail: Failure[] = [];
    t.run(next, this.ctx(), fail);
    if (fail.length) throw new IommuError("check-failed", name, `${name}: ${fail.map((f) => `${f.kind} ${f.name}`).join(", ")} failed`, fail.map((f) => f.name));
    const slots = this.def.globals;
    for (let i = 0; i < slots.length; i++) {
      const v = next[i]!;
      if (v < slots[i]!.min || v > slots[i]!.max) throw new IommuError("check-failed", name, `${name}: ${slots[i]!.name} leaves its range`, [slots[i]!.name]);
    }
    const broken = this.def.invariants.filter((inv) => !inv.holds(next));
    if (broken.length) {
      throw new IommuError("invariant", name, `${name} breaks ${broken.map((b) => b.name).join(", ")}: ${broken.map((b) => b.doc).join(" ")}`, broken.map((b) => b.name));
    }
    this.s = next;
    return this.state;
  }

  /** Every invariant of the machine holds in the current state (true after every successful operation). */
  invariantsHold(): boolean {
    return this.def.invariants.every((inv) => inv.holds(this.s));
  }

  private isCreated(): boolean {
    return this.state.created;
  }

  private ctx() {
    return { me: 0, cpu: 0, base: this.def.globals.length };
  }
}
