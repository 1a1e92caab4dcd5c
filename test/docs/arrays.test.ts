/**
 * The docs site over arrays, clusters, aliases and unmapped ranges: the register map has one row
 * per array with its count, stride and address range, unmapped ranges sit between registers, a
 * legend explains every access the page uses, and the index search finds an array by the name of
 * any of its elements.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { Diagnostics } from "../../generator/diagnostics.ts";
import { buildDocs } from "../../generator/docs/site.ts";
import { loadTree } from "../../generator/load/tree.ts";
import { runFront } from "../../generator/pipeline.ts";
import { ROOT } from "../helpers/project.ts";

const SPECS = join(ROOT, "test/fixtures/arrays/specs");
const dist = JSON.parse(readFileSync(join(SPECS, "demo/dist.json"), "utf8"));

async function site() {
  const d = new Diagnostics();
  const r = runFront(loadTree(SPECS, d), d);
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  const files = await buildDocs(r.front);
  return (path: string) => files.find((f) => f.path === path)!.content;
}

/** Rows of the Markdown table under a bold caption starting with `caption`. */
function mdTable(md: string, caption: string): string[][] {
  const at = md.indexOf(`**${caption}`);
  expect(at, caption).toBeGreaterThan(-1);
  const lines = md.slice(at).split("\n").slice(2);
  const rows: string[][] = [];
  for (const l of lines.slice(2)) {
    if (!l.startsWith("|")) break;
    rows.push(l.slice(2, -2).split(" | ").map((c) => c.replace(/\\(.)/g, "$1")));
  }
  return rows;
}

describe("docs of register arrays", () => {
  it("the device register map has one row per array, unmapped ranges in offset order, and the behaviour notes", async () => {
    const file = await site();
    const rows = mdTable(file("md/demo.dist.md"), "Register map");
    expect(rows.map((r) => r[1])).toEqual(["CTLR", "TYPER", "ACK", "(unmapped)", "ISENABLER[0..3]", "ICENABLER[0..3]", "IPRIORITYR[0..31]", "(unmapped)"]);
    const row = (name: string) => rows.find((r) => r[1] === name)!;
    // count × stride, and the bytes the elements cover: base .. base + (count - 1) × stride + 3.
    const base = Number(dist.registers.ISENABLER.offset);
    expect(row("ISENABLER[0..3]").slice(0, 4)).toEqual([`0x${base.toString(16)}..0x${(base + 3 * 4 + 3).toString(16)}`, "ISENABLER[0..3]", "4 × 0x4", "w1s"]);
    expect(row("ICENABLER[0..3]")[6]).toContain("alias of ISENABLER");
    expect(row("ICENABLER[0..3]")[5]).toContain("into ISENABLER");
    expect(row("IPRIORITYR[0..31]")[6]).toContain("lane");
    const unmapped = rows.filter((r) => r[1] === "(unmapped)");
    expect(unmapped.map((r) => r[0])).toEqual(dist.block.unmapped_ranges.map((u: { first: string; last: string }) => `0x${Number(u.first).toString(16)}..0x${Number(u.last).toString(16)}`));
    expect(unmapped[0]!.slice(4, 6)).toEqual(["0", "ignored"]);
    expect(mdTable(file("md/demo.dist.md"), "Block")[0]).toEqual(["0x1000", "8, 32", "fault: the access is refused"]);
    // The HTML page has the same table.
    expect(file("specs/demo.dist.html")).toContain("<td>ISENABLER[0..3]</td><td>4 × 0x4</td>");
  });

  it("a registers spec gets a map too: MSR arrays and clusters, and MMIO clusters, as one row each", async () => {
    const file = await site();
    const rows = mdTable(file("md/demo.soc.md"), "Register map");
    const row = (name: string) => rows.find((r) => r[1] === name)!;
    expect(row("IA32_PMC[0..3]").slice(0, 3)).toEqual(["0xc1..0xc4", "IA32_PMC[0..3]", "4 × 0x1"]);
    expect(row("IA32_MC_STATUS[0..3]").slice(0, 3)).toEqual(["0x401..0x40d", "IA32_MC_STATUS[0..3]", "4 × 0x4"]);
    expect(row("IA32_MCG_STATUS").slice(0, 3)).toEqual(["0x17a", "IA32_MCG_STATUS", ""]);
    expect(file("md/demo.soc.md")).toContain("| MSR index | register | count × stride | width | access |");
    // MMIO elements cover bytes: the last one's four bytes end the range.
    const dma = mdTable(file("md/demo.dma.md"), "Register map");
    expect(dma.find((r) => r[1] === "DMACC_Configuration[0..7]")!.slice(0, 3)).toEqual(["0x110..0x1f3", "DMACC_Configuration[0..7]", "8 × 0x20"]);
  });

  it("every register's meta says where element 0 is, the array and its cluster", async () => {
    const md = (await site())("md/demo.soc.md");
    expect(md).toContain("**MSR index of element 0:** `0x401` · **array:** `4 × stride 0x4: IA32_MC_STATUS[0..3] at 0x401..0x40d` · **cluster:** `register STATUS of cluster IA32_MC`");
  });

  it("the legend explains exactly the accesses and reserved policies the page uses", async () => {
    const file = await site();
    const legend = mdTable(file("md/demo.dist.md"), "Access and side effects");
    expect(legend.map((r) => r[0])).toEqual(["rw", "ro", "w1c", "w1s", "rc", "reserved (res0)"]);
    expect(legend.find((r) => r[0] === "w1c")!.slice(1, 3)).toEqual(["1 clears", "value"]);
    expect(legend.find((r) => r[0] === "rc")!.slice(1, 3)).toEqual(["ignored", "value, then clears"]);
    expect(mdTable(file("md/demo.soc.md"), "Access and side effects").map((r) => r[0])).toEqual(["rw", "w0c", "reserved (res0)"]);
    expect(mdTable(file("md/demo.dma.md"), "Access and side effects").map((r) => r[0])).toEqual(["rw", "ro", "reserved (res0)"]);
    expect(file("specs/demo.soc.html")).toContain('<section id="access-legend">');
  });

  it("the index search finds an array by any element's name, in range only", async () => {
    const file = await site();
    // The index page's own scripts against a minimal DOM: the search index rows, then site.js rendering hits.
    const window: Record<string, unknown> = {};
    runInNewContext(file("assets/search.js"), { window });
    expect((window.hwspecSearch as unknown[]).length).toBeGreaterThan(10);
    expect(file("index.html")).toContain('<script src="assets/search.js"></script>');
    type El = { children: El[]; textContent: string; className: string; href: string; attrs: Record<string, string>; setAttribute(k: string, v: string): void; appendChild(c: El): El; removeChild(c: El): void; readonly firstChild: El | undefined };
    const el = (): El => ({
      children: [],
      textContent: "",
      className: "",
      href: "",
      attrs: {},
      setAttribute(k, v) { this.attrs[k] = v; },
      appendChild(c) { if ((c as { fragment?: boolean }).fragment) { this.children.push(...c.children); c.children = []; } else this.children.push(c); return c; },
      removeChild(c) { this.children.splice(this.children.indexOf(c), 1); },
      get firstChild() { return this.children[0]; },
    });
    const search = { value: "", listeners: [] as (() => void)[], addEventListener(_: string, f: () => void) { this.listeners.push(f); } };
    const count = el();
    const results = el();
    const document = {
      getElementById: (id: string) => (id === "search" ? search : id === "search-count" ? count : id === "search-results" ? results : null),
      createElement: el,
      createTextNode: (t: string) => ({ ...el(), textContent: t }),
      createDocumentFragment: () => ({ ...el(), fragment: true }),
    };
    runInNewContext(readFileSync(join(ROOT, "generator/docs/static/site.js"), "utf8"), { document, window });
    const shown = (q: string) => {
      search.value = q;
      for (const f of search.listeners) f();
      return results.children.map((li) => li.children[0]!.textContent);
    };
    expect(shown("ISENABLER[3]")).toEqual(["demo.dist.ISENABLER"]);
    expect(shown("isenabler3")).toEqual(["demo.dist.ISENABLER"]);
    expect(shown("ISENABLER4")).toEqual([]);
    expect(shown("demo.dist.IPRIORITYR[31]")).toEqual(["demo.dist.IPRIORITYR"]);
    expect(shown("IA32_MC[2].STATUS")).toEqual(["demo.soc.IA32_MC_STATUS"]);
    expect(shown("IA32_MC2_STATUS")).toEqual(["demo.soc.IA32_MC_STATUS"]);
    expect(shown("DMACC_Configuration[7]")).toEqual(["demo.dma.DMACC_Configuration"]);
    expect(shown("IA32_PMC2")).toEqual(["demo.soc.IA32_PMC"]);
    expect(shown("IA32_PERFEVTSEL[4]")).toEqual([]);
    // Plain words still search names and docs as before.
    expect(shown("lane")).toEqual(["demo.dist.IPRIORITYR"]);
  });
});

