/**
 * VMSAv8-64 descriptors with the 4 KiB granule, encoded BY HAND from the Arm ARM (DDI 0487, D8
 * "VMSAv8-64 translation table format") bit positions. The arithmetic is written out so each
 * value can be checked without the spec: a wrong bit position in the spec makes a decode
 * disagree with these numbers.
 */

export interface Example {
  /** Why the example exists. */
  what: string;
  /** Spec namespace and format name (the layout `hwspec decode` takes). */
  spec: "arm.vmsav8_64_4k" | "arm.vmsav8_64_4k_stage2";
  level: "L0" | "L1" | "L2" | "L3";
  format: string;
  raw: bigint;
  /** Expected field values (fields not listed are 0). */
  fields: Record<string, bigint>;
  /** Table or output address the descriptor holds, where it holds one. */
  address?: bigint;
}

export const EXAMPLES: Example[] = [
  {
    what: "stage 1 L0 table descriptor with NSTable, APTable = 0b10 and UXNTable",
    // next-level table at 0x4008_1000: bits 47:12 in place           = 0x0000_0000_4008_1000
    // bits 1:0 = 0b11 (valid, table)                                 = 0x0000_0000_0000_0003
    // NSTable bit 63                                                 = 0x8000_0000_0000_0000
    // APTable 62:61 = 0b10 -> bit 62                                 = 0x4000_0000_0000_0000
    // UXNTable bit 60                                                = 0x1000_0000_0000_0000
    // sum: top nibble 0x8 + 0x4 + 0x1 = 0xD                          = 0xD000_0000_4008_1003
    spec: "arm.vmsav8_64_4k",
    level: "L0",
    format: "l0_table",
    raw: 0xd000_0000_4008_1003n,
    // NLTA = 0x4008_1000 >> 12 = 0x40081
    fields: { valid: 1n, type: 1n, NLTA: 0x40081n, NSTable: 1n, APTable: 2n, UXNTable: 1n },
    address: 0x4008_1000n,
  },
  {
    what: "stage 1 L1 block, 1 GiB at 0x8000_0000, Normal (AttrIndx 4), EL0 RW, inner shareable, XN",
    // OA 0x8000_0000 in place (1 GiB aligned: 0x8000_0000 / 2^30 = 2) = 0x0000_0000_8000_0000
    // bits 1:0 = 0b01 (valid, block)                                 = 0x001
    // AttrIndx 4:2 = 4 -> 4 << 2                                     = 0x010
    // AP 7:6 = 0b01 -> 1 << 6                                        = 0x040
    // SH 9:8 = 0b11 -> 3 << 8                                        = 0x300
    // AF bit 10                                                      = 0x400
    // low bits 0x001 + 0x010 + 0x040 + 0x300 + 0x400                 = 0x751
    // PXN bit 53 (0x0020_...) + UXN bit 54 (0x0040_...)              = 0x0060_0000_0000_0000
    // total                                                          = 0x0060_0000_8000_0751
    spec: "arm.vmsav8_64_4k",
    level: "L1",
    format: "l1_block",
    raw: 0x0060_0000_8000_0751n,
    // OA field 47:30 = 0x8000_0000 >> 30 = 2
    fields: { valid: 1n, type: 0n, AttrIndx: 4n, AP: 1n, SH: 3n, AF: 1n, OA: 2n, PXN: 1n, UXN: 1n },
    address: 0x8000_0000n,
  },
  {
    what: "stage 1 L2 block, 2 MiB at 0x4020_0000, Device (AttrIndx 0), nG, Contiguous, software bit 55",
    // OA 0x4020_0000 in place (0x4020_0000 / 2^21 = 0x201, aligned)  = 0x0000_0000_4020_0000
    // bits 1:0 = 0b01                                                = 0x001
    // AF bit 10 = 0x400, nG bit 11 = 0x800                           = 0xC00
    // Contiguous 52, PXN 53, UXN 54, software 55 -> nibble 0xF at 52 = 0x00F0_0000_0000_0000
    // total                                                          = 0x00F0_0000_4020_0C01
    spec: "arm.vmsav8_64_4k",
    level: "L2",
    format: "l2_block",
    raw: 0x00f0_0000_4020_0c01n,
    // OA field 47:21 = 0x4020_0000 >> 21 = 0x201; SW 58:55 = 0b0001
    fields: { valid: 1n, type: 0n, AF: 1n, nG: 1n, OA: 0x201n, Contiguous: 1n, PXN: 1n, UXN: 1n, SW: 1n },
    address: 0x4020_0000n,
  },
  {
    what: "stage 1 L3 page at 0x8765_4321_F000 with every lower attribute set and DBM, UXN, SW = 0b1010",
    // OA 0x8765_4321_F000 in place (< 2^48)                           = 0x0000_8765_4321_F000
    // bits 1:0 = 0b11 (valid, page)                                  = 0x003
    // AttrIndx = 1 -> 0x004; NS -> 0x020; AP = 0b11 -> 0x0C0
    // SH = 0b10 -> 0x200; AF -> 0x400; nG -> 0x800
    // low bits 0x003 + 0x004 + 0x020 + 0x0C0 + 0x200 + 0x400 + 0x800 = 0xEE7
    // DBM bit 51                                                     = 0x0008_0000_0000_0000
    // UXN bit 54                                                     = 0x0040_0000_0000_0000
    // SW 58:55 = 0b1010 -> bits 58 and 56                            = 0x0500_0000_0000_0000
    // total                                                          = 0x0548_8765_4321_FEE7
    spec: "arm.vmsav8_64_4k",
    level: "L3",
    format: "l3_page",
    raw: 0x0548_8765_4321_fee7n,
    // OA field 47:12 = 0x8765_4321_F000 >> 12 = 0x8_7654_321F
    fields: {
      valid: 1n, type: 1n, AttrIndx: 1n, NS: 1n, AP: 3n, SH: 2n, AF: 1n, nG: 1n,
      OA: 0x8_7654_321fn, DBM: 1n, UXN: 1n, SW: 0xan,
    },
    address: 0x8765_4321_f000n,
  },
  {
    what: "stage 2 L1 table descriptor (no table attributes at stage 2)",
    // next-level table at 0x4010_2000 | 0b11                         = 0x0000_0000_4010_2003
    spec: "arm.vmsav8_64_4k_stage2",
    level: "L1",
    format: "s2_l1_table",
    raw: 0x0000_0000_4010_2003n,
    // NLTA = 0x4010_2000 >> 12 = 0x40102
    fields: { valid: 1n, type: 1n, NLTA: 0x40102n },
    address: 0x4010_2000n,
  },
  {
    what: "stage 2 L1 block, 1 GiB at 0x4000_0000, Normal write-back (MemAttr 0b1111), RW, inner shareable",
    // OA 0x4000_0000 in place (2^30 * 1)                             = 0x0000_0000_4000_0000
    // bits 1:0 = 0b01 -> 0x001; MemAttr 5:2 = 0xF -> 0x03C
    // S2AP 7:6 = 0b11 -> 0x0C0; SH = 0b11 -> 0x300; AF -> 0x400
    // low bits 0x001 + 0x03C + 0x0C0 + 0x300 + 0x400                 = 0x7FD
    // total                                                          = 0x0000_0000_4000_07FD
    spec: "arm.vmsav8_64_4k_stage2",
    level: "L1",
    format: "s2_l1_block",
    raw: 0x0000_0000_4000_07fdn,
    // OA field 47:30 = 1
    fields: { valid: 1n, type: 0n, MemAttr: 0xfn, S2AP: 3n, SH: 3n, AF: 1n, OA: 1n },
    address: 0x4000_0000n,
  },
  {
    what: "stage 2 L2 block, 2 MiB at 0x8000_0000, Normal write-back, RW, XN = 0b10",
    // OA 0x8000_0000 (0x8000_0000 / 2^21 = 0x400, aligned)           = 0x0000_0000_8000_0000
    // low bits as above                                              = 0x7FD
    // XN 54:53 = 0b10 -> bit 54                                      = 0x0040_0000_0000_0000
    // total                                                          = 0x0040_0000_8000_07FD
    spec: "arm.vmsav8_64_4k_stage2",
    level: "L2",
    format: "s2_l2_block",
    raw: 0x0040_0000_8000_07fdn,
    // OA field 47:21 = 0x8000_0000 >> 21 = 0x400
    fields: { valid: 1n, type: 0n, MemAttr: 0xfn, S2AP: 3n, SH: 3n, AF: 1n, OA: 0x400n, XN: 2n },
    address: 0x8000_0000n,
  },
  {
    what: "stage 2 L3 page at 0x1_2345_6000, Device-nGnRE (MemAttr 0b0001), read-only, XN = 0b11, SW = 3",
    // OA 0x1_2345_6000 in place                                      = 0x0000_0001_2345_6000
    // bits 1:0 = 0b11 -> 0x003; MemAttr = 1 -> 0x004; S2AP = 0b01 -> 0x040; AF -> 0x400
    // low bits 0x003 + 0x004 + 0x040 + 0x400                         = 0x447
    // XN 54:53 = 0b11 -> bits 53, 54                                 = 0x0060_0000_0000_0000
    // SW 58:55 = 0b0011 -> bits 55, 56                               = 0x0180_0000_0000_0000
    // total 0x0060 + 0x0180 = 0x01E0 in bits 63:48                   = 0x01E0_0001_2345_6447
    spec: "arm.vmsav8_64_4k_stage2",
    level: "L3",
    format: "s2_l3_page",
    raw: 0x01e0_0001_2345_6447n,
    // OA field 47:12 = 0x1_2345_6000 >> 12 = 0x12_3456
    fields: { valid: 1n, type: 1n, MemAttr: 1n, S2AP: 1n, AF: 1n, OA: 0x12_3456n, XN: 3n, SW: 3n },
    address: 0x1_2345_6000n,
  },
];

/**
 * Descriptors that do not translate. `format` is what the level's format selection gives:
 * none for an invalid descriptor (bit 0 clear), a reserved-role format for a reserved encoding.
 */
export const FAULTING: { what: string; spec: Example["spec"]; level: Example["level"]; raw: bigint; format?: string }[] = [
  // bit 0 clear: invalid whatever the other bits say (0x...FE has every other bit set)
  { what: "invalid at L0, every other bit set", spec: "arm.vmsav8_64_4k", level: "L0", raw: 0xffff_ffff_ffff_fffen },
  // 0x400: only AF set, bit 0 clear
  { what: "invalid at L1", spec: "arm.vmsav8_64_4k", level: "L1", raw: 0x0000_0000_4000_0400n },
  // 0x2: type bit set, valid clear
  { what: "invalid at L2 (type bit without valid)", spec: "arm.vmsav8_64_4k", level: "L2", raw: 0x0000_0000_0000_0002n },
  { what: "invalid at L3 (zero)", spec: "arm.vmsav8_64_4k", level: "L3", raw: 0x0000_0000_0000_0000n },
  // bits 1:0 = 0b01 at L3 (0x...401): the reserved level-3 encoding, what would be a block at L1/L2
  { what: "reserved type 0b01 at L3", spec: "arm.vmsav8_64_4k", level: "L3", raw: 0x0000_0000_4000_0401n, format: "l3_reserved" },
  // bits 1:0 = 0b01 at L0: a 512 GiB block at 0x80_0000_0000, reserved without FEAT_LPA2
  { what: "block at L0", spec: "arm.vmsav8_64_4k", level: "L0", raw: 0x0000_0080_0000_0401n, format: "l0_block" },
  // 0x...7FC: the stage 2 block of EXAMPLES with bit 0 cleared
  { what: "stage 2 invalid at L2", spec: "arm.vmsav8_64_4k_stage2", level: "L2", raw: 0x0000_0000_8000_07fcn },
  // 0x...7FD at L3: bits 1:0 = 0b01
  { what: "stage 2 reserved at L3", spec: "arm.vmsav8_64_4k_stage2", level: "L3", raw: 0x0000_0000_8000_07fdn, format: "s2_l3_reserved" },
  { what: "stage 2 block at L0", spec: "arm.vmsav8_64_4k_stage2", level: "L0", raw: 0x0000_0000_0000_0001n, format: "s2_l0_block" },
];
