import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gcc, STRICT } from "../c/harness.ts";
import { runCli } from "../helpers/cli.ts";
import { ROOT, tempDir } from "../helpers/project.ts";
import { strictTsc } from "../helpers/tsc.ts";

const FIXTURES = join(ROOT, "test/fixtures/svd");
/** Fixtures whose peripherals have distinct names, so they share one spec tree (and one C namespace). */
const TREE = ["access", "alternate-register", "clusters", "derived-peripheral", "device-defaults", "dim-index", "enumerated-values", "hostile-names", "inheritance", "interrupts", "modified-write-values", "read-action", "register-arrays", "write-constraint"];

let dir: string;
const specs = () => join(dir, "specs");

function walk(d: string, ext: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name), ext) : e.name.endsWith(ext) ? [join(d, e.name)] : []));
}

/** Field positions read straight from an SVD fixture (bitOffset/bitWidth or bitRange), independent of the importer. */
function svdFields(text: string, register: string): { name: string; lsb: number; width: number }[] {
  const reg = new RegExp(`<register>\\s*<name>${register}</name>([\\s\\S]*?)</register>`).exec(text)![1]!;
  return [...reg.matchAll(/<field>\s*<name>(\w+)<\/name>([\s\S]*?)<\/field>/g)].map((m) => {
    const body = m[2]!;
    const range = /<bitRange>\[(\d+):(\d+)\]<\/bitRange>/.exec(body);
    if (range) return { name: m[1]!, lsb: Number(range[2]), width: Number(range[1]) - Number(range[2]) + 1 };
    return { name: m[1]!, lsb: Number(/<bitOffset>(\d+)/.exec(body)![1]), width: Number(/<bitWidth>(\d+)/.exec(body)![1]) };
  });
}

beforeAll(async () => {
  dir = tempDir("hwspec-svd-");
  for (const f of TREE) {
    const r = await runCli(["import", "svd", join(FIXTURES, `${f}.svd`), "--out", join(specs(), f), "--json"]);
    expect(r.code, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
  }
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hwspec import svd: the imported specs feed the rest of hwspec", () => {
  it("--json summarises counts, files and located warnings", async () => {
    const out = join(dir, "one");
    const r = await runCli(["import", "svd", join(FIXTURES, "modified-write-values.svd"), "--out", out, "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, importer: "svd", counts: { peripherals: 1, registers: 1, fields: 9 }, files: ["intc.json"], written: { added: ["intc.json"] } });
    expect(j.warnings).toEqual([expect.objectContaining({ line: 28, col: 82, message: expect.stringMatching(/zeroToToggle/) })]);
    // Importing again changes nothing; the text form says so and prints the warning located.
    const again = await runCli(["import", "svd", join(FIXTURES, "modified-write-values.svd"), "--out", out]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    expect(again.stderr).toMatch(/modified-write-values\.svd:28:82: warning: field FLAGS\.W0T/);
  });

  it("errors exit 2 with file:line:col and write nothing", async () => {
    const out = join(dir, "bad");
    const r = await runCli(["import", "svd", join(FIXTURES, "errors.svd"), "--out", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/errors\.svd:21:11: <addressOffset> "0xZZ"/);
    expect(r.stderr).toMatch(/nothing written/);
    expect(existsSync(out)).toBe(false);
    const x = await runCli(["import", "svd", join(FIXTURES, "xxe.svd"), "--out", out, "--json"]);
    expect(x.code).toBe(2);
    expect(JSON.parse(x.stdout).diagnostics[0]).toMatchObject({ line: 2, col: 1, message: expect.stringMatching(/DOCTYPE/) });
    const missing = await runCli(["import", "svd", join(dir, "nope.svd"), "--out", out]);
    expect(missing.code).toBe(2);
    const noOut = await runCli(["import", "svd", join(FIXTURES, "access.svd")]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--out <dir> is required/);
  });

  it("what the front end refuses in the specs is the SVD's problem: exit 2 at the SVD's line, with the importer's warnings, nothing written", async () => {
    const out = join(dir, "c-names");
    const r = await runCli(["import", "svd", join(FIXTURES, "c-name-collision.svd"), "--out", out]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    // The importer's warning, then the three colliding macros in order, each at the field of register A.
    expect(lines[0]).toMatch(/c-name-collision\.svd:16:107: warning: field A_B\.C: modifiedWriteValues zeroToToggle/);
    expect(lines.slice(1, 4).map((l) => /"(UART_A_B_C_\w+)"/.exec(l)?.[1])).toEqual(["UART_A_B_C_MASK", "UART_A_B_C_SHIFT", "UART_A_B_C_WIDTH"]);
    for (const l of lines.slice(1, 4)) expect(l).toMatch(/c-name-collision\.svd:23:13: field "B_C" of cnames\.uart\.UART_A needs the C identifier .* already taken by field "C" of cnames\.uart\.UART_A_B/);
    expect(lines[4]).toBe("3 errors; nothing written");
    expect(existsSync(out)).toBe(false);
    const j = await runCli(["import", "svd", join(FIXTURES, "c-name-collision.svd"), "--out", out, "--json"]);
    expect(j.code).toBe(2);
    const doc = JSON.parse(j.stdout);
    expect(doc.diagnostics.map((d: { line: number }) => d.line)).toEqual([23, 23, 23]);
    expect(doc.warnings).toHaveLength(1);
  });

  it("never overwrites a file it did not write", async () => {
    const out = join(dir, "foreign");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "intc.json"), "mine\n");
    const r = await runCli(["import", "svd", join(FIXTURES, "modified-write-values.svd"), "--out", out, "--force"]);
    expect(r.code).toBe(2);
    expect(readFileSync(join(out, "intc.json"), "utf8")).toBe("mine\n");
  });

  it("check accepts the tree; generate writes TS that strict tsc compiles and C that gcc -Werror compiles, hostile text only escaped", async () => {
    expect((await runCli(["check", "--specs", specs()])).code).toBe(0);
    const gen = join(dir, "generated");
    const g = await runCli(["generate", "--specs", specs(), "--out", gen, "--targets", "ts,c"]);
    expect(g.code, g.stderr).toBe(0);
    const headers = walk(join(gen, "c"), ".h");
    expect(headers.length).toBe(TREE.length + 2 /* derived-peripheral has three peripherals */);
    const tu = join(dir, "all.c");
    // The hostile description `*/ #define BAD 1 /*` must stay inside a comment.
    // The derived UARTs are overlays of UART0: their headers include its header and add only their instance facts and
    // the registers they change, so all three compile together; the addresses are the SVD's base + offset.
    const instances = [
      "_Static_assert(TESTCHIP_UART0_BASE == 0x40001000U && TESTCHIP_UART0_UART0_CR_ADDR == 0x40001004U, \"uart0\");",
      "_Static_assert(TESTCHIP_UART1_UART0_DR_ADDR == 0x40002000U && TESTCHIP_UART1_UART1_STAT_ADDR == 0x40002008U, \"uart1\");",
      "_Static_assert(TESTCHIP_UART2_UART0_CR_ADDR == 0x40003004U && TESTCHIP_UART2_UART1_STAT_RESET == 1, \"uart2\");",
      "_Static_assert(TESTCHIP_UART0_UART0_IRQ == 5 && TESTCHIP_UART1_UART0_IRQ == 6 && TESTCHIP_UART2_UART0_IRQ == 7 && TESTCHIP_UART2_UART2_WAKE_IRQ == 8, \"irqs\");",
      "_Static_assert(TESTCHIP_UART1_UART0_CR_PEN_MASK == 2, \"uart1's own CR\");",
      "#if defined(TESTCHIP_UART2_UART0_CR_OFFSET) || defined(TESTCHIP_UART1_UART0_DR_OFFSET)\n#error \"an inherited register is defined again\"\n#endif",
    ].join("\n");
    writeFileSync(tu, `${headers.map((h) => `#include "${relative(dir, h)}"`).join("\n")}\n${instances}\n#ifdef BAD\n#error "a description escaped its comment"\n#endif\nint main(void) { union evil_int x = { .raw = 0 }; x.class_ = 1; x.register_ = 2; return (int)x.raw - 9 + (int)EVIL_INT_REGISTER_VOLATILE; }\n`);
    const c = gcc([...STRICT, "-c", tu, "-o", join(dir, "all.o")], dir);
    expect(c.stderr).toBe("");
    expect(c.ok).toBe(true);
    expect(strictTsc(join(gen, "ts"), ["**/*.ts"])).toBe("");
  }, 240_000);

  it("decode round trip: values placed at the SVD's field positions decode to the same values", async () => {
    for (const [fixture, register, periph] of [
      ["modified-write-values", "FLAGS", "INTC"],
      ["enumerated-values", "SRC", "CLK"],
      ["hostile-names", "int", "EVIL"],
    ] as const) {
      const fields = svdFields(readFileSync(join(FIXTURES, `${fixture}.svd`), "utf8"), register);
      expect(fields.length).toBeGreaterThan(2);
      let raw = 0n;
      const want = new Map<string, bigint>();
      fields.forEach((f, i) => {
        const v = BigInt(i + 1) & ((1n << BigInt(f.width)) - 1n);
        want.set(f.name, v);
        raw |= v << BigInt(f.lsb);
      });
      const r = await runCli(["decode", "--specs", specs(), `${periph}_${register}`, "0x" + raw.toString(16), "--json"]);
      expect(r.code, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as { fields: { path: string; lsb: number; width: number; value: string }[] };
      for (const f of fields) {
        const d = got.fields.find((x) => x.path === f.name)!;
        expect({ lsb: d.lsb, width: d.width, value: BigInt(d.value) }).toEqual({ lsb: f.lsb, width: f.width, value: want.get(f.name) });
      }
    }
  });

  it("docs, audit and diff work on the imported specs", async () => {
    const site = join(dir, "site");
    const docs = await runCli(["docs", "--specs", specs(), "--out", site, "--format", "md"]);
    expect(docs.code, docs.stderr).toBe(0);
    expect(walk(site, ".md").some((f) => readFileSync(f, "utf8").includes("INTC_FLAGS"))).toBe(true);

    const gen = join(dir, "generated");
    const header = join(gen, "c/modified-write-values/intc.h");
    const audit = await runCli(["audit", "--specs", specs(), "INTC_FLAGS", "--c-header", header, "--c-type", "union intc_flags", "--json"]);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);

    // The vendor moves a field: import the new SVD next to the old one and diff the two trees.
    const moved = readFileSync(join(FIXTURES, "write-constraint.svd"), "utf8").replace("<bitRange>[7:0]</bitRange>", "<bitRange>[11:4]</bitRange>");
    writeFileSync(join(dir, "v2.svd"), moved);
    const v2 = join(dir, "specs-v2");
    for (const f of TREE.filter((x) => x !== "write-constraint")) await runCli(["import", "svd", join(FIXTURES, `${f}.svd`), "--out", join(v2, f)]);
    expect((await runCli(["import", "svd", join(dir, "v2.svd"), "--out", join(v2, "write-constraint")])).code).toBe(0);
    const diff = await runCli(["diff", specs(), v2, "--json"]);
    expect(diff.stdout).toMatch(/PWM_DUTY/);
    expect(diff.stdout).toMatch(/VAL/);
    expect(diff.stdout).toMatch(/breaking/);
  }, 240_000);
});
