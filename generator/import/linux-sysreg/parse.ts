import type { Bits, Block, EnumItem, FieldsBlock, Item, SysregBlock, SysregFile, SysregProblem } from "./ast.ts";

/**
 * Parses Linux's arch/arm64/tools/sysreg. The rules are gen-sysreg.awk's (blocks, field counts,
 * bits described from 63 down without gaps or overlaps, every bit of a block described), checked
 * with a position for every problem instead of stopping at the first; where the awk script is
 * looser than its own format (keyword prefixes, anything containing `0b` as an enum value, bit 0
 * left out) the importer is stricter, see docs/importers.md.
 */
export function parseSysreg(text: string, source: string): { file: SysregFile; problems: SysregProblem[] } {
  const problems: SysregProblem[] = [];
  const blocks: Block[] = [];
  let block: Block | undefined;
  let enumItem: EnumItem | undefined;
  /** Next bit a description must start at (63 down); -1 once bit 0 is described. */
  let next = 63;
  /** After `Fields`/`Mapping` a Sysreg describes no bits of its own. */
  let borrowed = false;
  let comment: string[] = [];
  const lines = text.split(/\r?\n/);
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length && lines[lines.length - 1] === "") lines.pop();

  const take = () => {
    const c = comment;
    comment = [];
    return c;
  };

  lines.forEach((raw, i) => {
    const line = i + 1;
    const problem = (col: number, message: string) => problems.push({ line, col, message });
    if (/^[\t ]*$/.test(raw)) {
      comment = [];
      return;
    }
    const hash = /^[\t ]*#/.exec(raw);
    if (hash) {
      comment.push(raw.slice(hash[0].length).trim());
      return;
    }
    const tokens = tokenize(raw);
    const [kw, ...args] = tokens;
    const word = kw!.text;
    const expect = (n: number, shape: string) => {
      if (tokens.length === n) return true;
      const at = tokens.length > n ? tokens[n]!.col : raw.length + 1;
      problem(at, `${word} takes ${n - 1} operand${n === 2 ? "" : "s"} (${shape}), found ${tokens.length - 1}`);
      return false;
    };
    const bits = (name: string, t = args[0]!): Bits | undefined => {
      const b = parseBitdef(t.text);
      if ("error" in b) {
        problem(t.col, `${name}: ${b.error}`);
        return undefined;
      }
      if (borrowed) {
        problem(kw!.col, `${block!.name}: ${word} after ${(block as SysregBlock).uses!.kind} on line ${(block as SysregBlock).uses!.line}: a register that takes its layout from elsewhere describes no bits of its own`);
        return undefined;
      }
      if (b.msb !== next) {
        const why = next < 0 ? "every bit is already described" : b.msb > next ? `bits ${b.msb}..${next + 1} are already described` : `bits ${next}..${b.msb + 1} are not described (bits go from 63 down to 0 without gaps)`;
        problem(t.col, `${block!.name}.${name} starts at bit ${b.msb}, expected ${next}: ${why}`);
      }
      next = b.lsb - 1;
      return b;
    };

    if (enumItem) {
      if (word === "EndEnum") {
        if (expect(1, "nothing")) enumItem = undefined;
        else enumItem = undefined;
        comment = [];
        return;
      }
      if (!/^0b[01]+$/.test(word)) {
        problem(kw!.col, `inside Enum ${enumItem.name} (line ${enumItem.line}) a line is a value "0b<binary> <name>" or EndEnum, not "${word}"`);
        return;
      }
      if (!expect(2, "<0b value> <name>")) return;
      const name = args[0]!;
      if (!/^[A-Za-z0-9_]+$/.test(name.text)) {
        problem(name.col, `enum value name "${name.text}" is not made of letters, digits and _`);
        return;
      }
      const value = BigInt(word);
      const width = enumItem.msb - enumItem.lsb + 1;
      if (value >> BigInt(width) !== 0n) problem(kw!.col, `${block!.name}.${enumItem.name}: value ${word} does not fit in the ${width}-bit field`);
      const again = enumItem.values.find((v) => v.name.toUpperCase() === name.text.toUpperCase());
      if (again) problem(name.col, `${block!.name}.${enumItem.name}: value name ${name.text} is already used on line ${again.line} (C macros are upper-cased, so names differing only in case clash)`);
      enumItem.values.push({ text: word, value, name: name.text, line, comment: take() });
      return;
    }

    switch (word) {
      case "Sysreg":
      case "SysregFields": {
        if (block) {
          problem(kw!.col, `${word} inside ${block.kind} ${block.name} (line ${block.line}): missing End${block.kind}`);
          return;
        }
        const sys = word === "Sysreg";
        if (!expect(sys ? 7 : 2, sys ? "<name> <op0> <op1> <CRn> <CRm> <op2>" : "<name>")) return;
        const name = args[0]!;
        if (!isIdentifier(name.text)) problem(name.col, `${word} name "${name.text}" is not an identifier (letters, digits and _, not starting with a digit)`);
        if (blocks.some((b) => b.name.toUpperCase() === name.text.toUpperCase())) {
          const other = blocks.find((b) => b.name.toUpperCase() === name.text.toUpperCase())!;
          problem(name.col, `${name.text} is already defined on line ${other.line}${other.name === name.text ? "" : ` as ${other.name} (C macros are upper-cased)`}`);
        }
        next = 63;
        borrowed = false;
        if (sys) {
          const ops = ENCODING.map((f, k) => {
            const t = args[k + 1]!;
            const v = /^[0-9]+$/.test(t.text) ? Number(t.text) : NaN;
            if (!(v <= f.max)) problem(t.col, `${name.text}: ${f.label} is "${t.text}", expected a decimal number 0..${f.max}`);
            return Number.isNaN(v) ? 0 : v;
          });
          const [op0, op1, crn, crm, op2] = ops as [number, number, number, number, number];
          block = { kind: "Sysreg", name: name.text, encoding: { op0, op1, crn, crm, op2 }, line, comment: take(), items: [] } satisfies SysregBlock;
        } else {
          block = { kind: "SysregFields", name: name.text, line, comment: take(), items: [] } satisfies FieldsBlock;
        }
        blocks.push(block);
        return;
      }
      case "EndSysreg":
      case "EndSysregFields": {
        const want = word === "EndSysreg" ? "Sysreg" : "SysregFields";
        if (!block || block.kind !== want) {
          problem(kw!.col, `${word} without ${want}${block ? ` (inside ${block.kind} ${block.name}, line ${block.line})` : ""}`);
          return;
        }
        expect(1, "nothing");
        if (!borrowed && next >= 0) problem(kw!.col, `${block.name}: bits ${next}:0 are not described (every bit from 63 to 0 is a Field, Enum, Res0, Res1, Unkn or Raz)`);
        block = undefined;
        comment = [];
        return;
      }
      case "Fields":
      case "Mapping": {
        if (!block || block.kind !== "Sysreg") {
          problem(kw!.col, `${word} outside a Sysreg block`);
          return;
        }
        if (!expect(2, word === "Fields" ? "<SysregFields name>" : "<Sysreg name>")) return;
        if (next !== 63 || borrowed) {
          problem(kw!.col, `${block.name}: ${word} must come first in its Sysreg (bits are already described)`);
          return;
        }
        block.uses = { kind: word, name: args[0]!.text, line, col: args[0]!.col };
        borrowed = true;
        comment = [];
        return;
      }
      case "Res0":
      case "Res1":
      case "Unkn":
      case "Raz":
      case "Field":
      case "Enum":
      case "SignedEnum":
      case "UnsignedEnum": {
        if (!block) {
          problem(kw!.col, `${word} outside a Sysreg or SysregFields block`);
          return;
        }
        const named = word !== "Res0" && word !== "Res1" && word !== "Unkn" && word !== "Raz";
        if (!expect(named ? 3 : 2, named ? "<msb>[:<lsb>] <name>" : "<msb>[:<lsb>]")) {
          if (word.endsWith("Enum")) enumItem = { kind: "Enum", name: "?", msb: 63, lsb: 0, line, comment: [], values: [] };
          return;
        }
        let item: Item | undefined;
        if (!named) {
          const b = bits(word.toUpperCase());
          if (b) item = { kind: word as "Res0", ...b, line, comment: take() };
        } else {
          const name = args[1]!;
          if (!isIdentifier(name.text)) problem(name.col, `field name "${name.text}" is not an identifier (letters, digits and _, not starting with a digit)`);
          const again = block.items.find((it) => "name" in it && it.name.toUpperCase() === name.text.toUpperCase());
          if (again) problem(name.col, `${block.name}: field ${name.text} is already described on line ${again.line}`);
          const b = bits(name.text);
          const at = b ?? { msb: 63, lsb: 0 };
          if (word === "Field") {
            if (b) item = { kind: "Field", name: name.text, ...b, line, comment: take() };
          } else {
            enumItem = { kind: "Enum", name: name.text, ...at, line, comment: take(), values: [], ...(word === "Enum" ? {} : { signed: word === "SignedEnum" }) };
            if (b) item = enumItem;
          }
        }
        if (item) block.items.push(item);
        return;
      }
      default:
        problem(kw!.col, `unknown statement "${word}"${block ? ` inside ${block.kind} ${block.name}` : ""} (expected ${block ? "Field, Enum, SignedEnum, UnsignedEnum, Res0, Res1, Unkn, Raz, Fields, Mapping or End" + block.kind : "Sysreg or SysregFields"})`);
    }
  });
  const last = lines.length + 1;
  if (enumItem) problems.push({ line: enumItem.line, col: 1, message: `Enum ${enumItem.name} has no EndEnum before the end of the file` });
  if (block) problems.push({ line: block.line, col: 1, message: `${block.kind} ${block.name} has no End${block.kind} before the end of the file (line ${last})` });
  return { file: { source, blocks }, problems };
}

const ENCODING = [
  { label: "op0", max: 3 },
  { label: "op1", max: 7 },
  { label: "CRn", max: 15 },
  { label: "CRm", max: 15 },
  { label: "op2", max: 7 },
] as const;

const isIdentifier = (s: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(s) && s.length <= 64;

/** awk's default field splitting: runs of blanks and tabs; columns are 1-based. */
function tokenize(line: string): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  for (const m of line.matchAll(/[^\t ]+/g)) out.push({ text: m[0], col: m.index! + 1 });
  return out;
}

/** `<msb>[:<lsb>]`, both 0..63, msb ≥ lsb. */
function parseBitdef(text: string): Bits | { error: string } {
  const m = /^([0-9]+)(?::([0-9]+))?$/.exec(text);
  if (!m) return { error: `invalid bit range "${text}" (expected <msb> or <msb>:<lsb>)` };
  const msb = Number(m[1]);
  const lsb = m[2] === undefined ? msb : Number(m[2]);
  if (msb > 63 || lsb > 63) return { error: `bit range "${text}" is outside bits 63..0` };
  if (msb < lsb) return { error: `bit range "${text}" is ascending; write the high bit first (${lsb}:${msb})` };
  return { msb, lsb };
}
