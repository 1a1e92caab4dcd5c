/**
 * Page-table builders written from the architecture manuals, not from any spec or descriptor, so
 * the walker's answers over their tables are checked against an independent reading of the rules.
 * Each builds into a sparse memory of 8-byte little-endian entries, tables 4 KiB, allocated from
 * `next`, and records what it mapped.
 */

export interface Mapping {
  va: bigint;
  pa: bigint;
  /** log2 of the page or block size. */
  shift: number;
}

export interface Built {
  root: bigint;
  memory: Map<bigint, bigint>;
  mappings: Mapping[];
  read: (pa: bigint) => bigint | undefined;
}

interface Arch {
  /** VA shift of each level, root first. */
  shifts: number[];
  /** Shifts at which a leaf may sit (4 KiB always). */
  leafShifts: number[];
  table(pa: bigint): bigint;
  leaf(pa: bigint, shift: number): bigint;
  /** The table address an entry references, or undefined when it is not a table entry. */
  tableOf(e: bigint): bigint | undefined;
}

const ones = (n: number) => (1n << BigInt(n)) - 1n;

/**
 * RISC-V Sv39/Sv48 (privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System"): V bit 0,
 * R 1, W 2, X 3, U 4, G 5, A 6, D 7; PPN in bits 53:10 is the physical address >> 12. A pointer to
 * the next level has R = W = X = 0; a leaf has R (and here W, X, A, D). VPN[i] is VA bits
 * 12+9i+8 .. 12+9i; a leaf may sit at any level (4 KiB, 2 MiB, 1 GiB, and 512 GiB at the Sv48 root).
 */
export function riscv(levels: 3 | 4): Arch {
  const V = 1n, R = 2n, W = 4n, X = 8n, A = 0x40n, D = 0x80n;
  return {
    shifts: levels === 3 ? [30, 21, 12] : [39, 30, 21, 12],
    leafShifts: levels === 3 ? [30, 21, 12] : [39, 30, 21, 12],
    table: (pa) => ((pa >> 12n) << 10n) | V,
    leaf: (pa) => ((pa >> 12n) << 10n) | V | R | W | X | A | D,
    tableOf: (e) => ((e & V) && !(e & (R | W | X)) ? ((e >> 10n) & ones(44)) << 12n : undefined),
  };
}

/**
 * VMSAv8-64, 4 KiB granule, 48-bit input addresses (Arm ARM D8, "The VMSAv8-64 translation table
 * format"): level 0..3 index VA bits 47:39, 38:30, 29:21, 20:12. Bits 1:0 = 0b11 at levels 0-2 is
 * a table descriptor (next table at bits 47:12); 0b01 at levels 1 and 2 a block (output address
 * 47:30 or 47:21); 0b11 at level 3 a page (47:12). AF (bit 10) is set so no access-flag fault
 * arises; AttrIndx, AP, SH stay 0.
 */
export function vmsa4k(): Arch {
  const AF = 1n << 10n;
  const oa = ones(48) & ~ones(12);
  return {
    shifts: [39, 30, 21, 12],
    leafShifts: [30, 21, 12],
    table: (pa) => (pa & oa) | 0b11n,
    leaf: (pa, shift) => (pa & oa) | AF | (shift === 12 ? 0b11n : 0b01n),
    tableOf: (e) => ((e & 0b11n) === 0b11n ? e & oa : undefined),
  };
}

/**
 * Maps each request (a VA, a PA and a page shift) unless it overlaps an earlier one; returns the
 * tables and the mappings made. Requests must be aligned to their page size.
 */
export function build(arch: Arch, requests: Mapping[], first = 0x10_0000n): Built {
  const memory = new Map<bigint, bigint>();
  let next = first;
  const alloc = () => {
    const t = next;
    next += 0x1000n;
    return t;
  };
  const root = alloc();
  const mappings: Mapping[] = [];
  const overlaps = (m: Mapping) => mappings.some((o) => m.va < o.va + (1n << BigInt(o.shift)) && o.va < m.va + (1n << BigInt(m.shift)));
  for (const m of requests) {
    if (!arch.leafShifts.includes(m.shift) || overlaps(m)) continue;
    let table = root;
    for (const shift of arch.shifts) {
      const at = table + ((m.va >> BigInt(shift)) & ones(9)) * 8n;
      if (shift === m.shift) {
        memory.set(at, arch.leaf(m.pa, shift));
        break;
      }
      const e = memory.get(at);
      const child = e === undefined ? undefined : arch.tableOf(e);
      if (child === undefined) {
        const t = alloc();
        memory.set(at, arch.table(t));
        table = t;
      } else table = child;
    }
    mappings.push(m);
  }
  // Memory reads 0 inside allocated tables (absent entries are empty), nothing elsewhere.
  const read = (pa: bigint) => (pa >= first && pa < next ? (memory.get(pa) ?? 0n) : undefined);
  return { root, memory, mappings, read };
}

/** Sign-extends a `bits`-wide virtual address to 64 bits (the canonical form). */
export function signExtend(va: bigint, bits: number): bigint {
  return (va >> BigInt(bits - 1)) & 1n ? va | (ones(64) & ~ones(bits)) : va;
}
