import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";

/** Physical memory as a walk reads it: the entry at an address, or undefined where the dump has none. */
export type DumpMemory = {
  read: (pa: bigint) => bigint | undefined;
  /** What the dump holds, for messages (`raw, 0x1000..0x4fff`, `JSON, 3 pages`). */
  describe: string;
  close(): void;
};

export class DumpError extends Error {}

const HEX = /^(0x[0-9a-f_]+|0b[01_]+|0o[0-7_]+|[0-9_]+)$/i;
function num(text: string): bigint | undefined {
  const s = text.trim();
  return HEX.test(s) ? BigInt(s.replace(/_/g, "").toLowerCase()) : undefined;
}

/**
 * A raw binary image of physical memory from `base` (QEMU's `pmemsave`, gdb's `dump binary memory`,
 * /dev/mem copies): entries little-endian, read from the file on demand, so a large image costs
 * no memory.
 */
export function rawDump(file: string, base: bigint, entryBytes: number): DumpMemory {
  const fd = openSync(file, "r");
  const stat = fstatSync(fd);
  if (!stat.isFile()) {
    closeSync(fd);
    throw new DumpError(`${file} is not a file`);
  }
  const size = BigInt(stat.size);
  const buf = Buffer.alloc(entryBytes);
  return {
    describe: `raw image ${file}, 0x${base.toString(16)}..0x${(base + size - 1n).toString(16)}`,
    read(pa) {
      const off = pa - base;
      if (off < 0n || off + BigInt(entryBytes) > size) return undefined;
      try {
        if (readSync(fd, buf, 0, entryBytes, Number(off)) !== entryBytes) return undefined;
      } catch (e) {
        throw new DumpError(`${file}: cannot read ${entryBytes} bytes at offset 0x${off.toString(16)}: ${(e as Error).message}`);
      }
      let v = 0n;
      for (let i = entryBytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(buf[i]!);
      return v;
    },
    close: () => closeSync(fd),
  };
}

/**
 * Entries by address from the JSON form (`{ "0x1000": ["0x2063", "0x0", ...], ... }`: each key
 * the address of its first entry) or the text form (lines `0x1000: 0x2063 0x0 ...`, `#` comments).
 * Either can hold just the entries a walk visits, or whole pages.
 */
export function listedDump(file: string, entryBytes: number, entryWidth: number): DumpMemory {
  const text = readFileSync(file, "utf8");
  const entries = new Map<bigint, bigint>();
  const step = BigInt(entryBytes);
  const limit = 1n << BigInt(entryWidth);
  const put = (where: string, at: bigint, values: unknown[]) => {
    if (at % step !== 0n) throw new DumpError(`${where}: address 0x${at.toString(16)} is not aligned to a ${entryBytes}-byte entry`);
    values.forEach((v, i) => {
      const x = typeof v === "string" ? num(v) : typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : undefined;
      if (x === undefined) throw new DumpError(`${where}: entry ${i} (${JSON.stringify(v)}) is not a number (use "0x.." strings for 64-bit entries)`);
      if (x >= limit) throw new DumpError(`${where}: entry ${i} (0x${x.toString(16)}) does not fit in ${entryWidth} bits`);
      const pa = at + BigInt(i) * step;
      if (entries.has(pa)) throw new DumpError(`${where}: the entry at 0x${pa.toString(16)} is given twice`);
      entries.set(pa, x);
    });
  };
  let kind: string;
  if (text.trimStart().startsWith("{")) {
    kind = "JSON";
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new DumpError(`${file}: not valid JSON: ${(e as Error).message}`);
    }
    for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
      const at = num(key);
      if (at === undefined) throw new DumpError(`${file}: key ${JSON.stringify(key)} is not an address`);
      if (!Array.isArray(value)) throw new DumpError(`${file}: ${key}: expected an array of entries`);
      put(`${file}: ${key}`, at, value);
    }
  } else {
    kind = "text";
    text.split(/\r?\n/).forEach((line, i) => {
      const body = line.replace(/#.*/, "").trim();
      if (!body) return;
      const m = /^(\S+?)\s*:\s*(.*)$/.exec(body);
      const at = m ? num(m[1]!) : undefined;
      if (!m || at === undefined) throw new DumpError(`${file}:${i + 1}: expected "address: entry entry ..."`);
      put(`${file}:${i + 1}`, at, m[2]!.split(/\s+/).filter(Boolean));
    });
  }
  return { describe: `${kind} dump ${file}, ${entries.size} entries`, read: (pa) => entries.get(pa), close() {} };
}
