import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDocs } from "../../generator/docs/site.ts";
import { decodeValue } from "../../generator/inspect/decode.ts";
import { findShape } from "../../generator/inspect/names.ts";
import { writeTree } from "../../generator/write/atomic.ts";
import { frontOf, projectFront, ROOT, tempDir } from "../helpers/project.ts";
import { ARGS, CHROMIUM, haveChromium, serve } from "./chromium.ts";
import { hostileSpec } from "./hostile.ts";

describe.skipIf(!haveChromium)("docs site in headless Chromium", () => {
  const front = projectFront();
  const site = join(tempDir("hwspec-site-"), "site");
  const evil = join(tempDir("hwspec-site-evil-"), "site");
  const profile = mkdtempSync(join(tmpdir(), "hwspec-chromium-"));
  let ctx: import("playwright-core").BrowserContext;
  let http: { server: Server; base: string };
  let evilHttp: { server: Server; base: string };

  beforeAll(async () => {
    writeTree(site, await buildDocs(front, "html"));
    const hostile = frontOf(hostileSpec());
    if (!hostile.ok) throw new Error("hostile spec does not load");
    writeTree(evil, await buildDocs(hostile.front, "html"));
    http = await serve(site);
    evilHttp = await serve(evil);
    const { chromium } = await import("playwright-core");
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1100, height: 900 } });
  });

  afterAll(async () => {
    await ctx?.close();
    http?.server.close();
    evilHttp?.server.close();
    rmSync(profile, { recursive: true, force: true });
  });

  /** Opens a page and records console errors and uncaught exceptions. */
  async function open(url: string) {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    page.on("pageerror", (e) => void errors.push(String(e)));
    page.on("dialog", (d) => void (errors.push(`dialog: ${d.message()}`), d.dismiss()));
    await page.goto(url, { waitUntil: "load" });
    return { page, errors };
  }

  it("renders every page without console errors, with a diagram per register and layout", async () => {
    const index = await open(http.base + "index.html");
    expect(await index.page.locator("#search-results li").count()).toBeGreaterThan(20);
    const total = Number(/^(\d+) entries/.exec((await index.page.textContent("#search-count")) ?? "")?.[1]);
    expect(total).toBeGreaterThan(20);
    await index.page.fill("#search", "vmfunc");
    const visible = await index.page.$$eval("#search-results li:not([hidden])", (lis) => lis.map((li) => li.getAttribute("data-search") ?? ""));
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.length).toBeLessThan(total);
    expect(await index.page.textContent("#search-count")).toBe(`${visible.length} of ${total} match`);
    for (const t of visible) expect(t).toContain("vmfunc");
    expect(await index.page.textContent("#search-results li:not([hidden]) a >> nth=0")).toBeTruthy();
    expect(index.errors).toEqual([]);
    await index.page.close();

    for (const spec of front.model.specs) {
      const { page, errors } = await open(`${http.base}specs/${spec.name}.html`);
      if (spec.kind === "machine") {
        // A machine page has state diagrams instead of bit fields.
        expect(await page.locator("svg.state-diagram").count(), spec.name).toBeGreaterThan(0);
        expect(errors, spec.name).toEqual([]);
        await page.close();
        continue;
      }
      const shapes = await page.locator("article.shape").count();
      // An overlay that changes nothing (a device instance at another base) shows no shapes of its own.
      const s = spec as any;
      const own = [...(s.layouts ?? []), ...(s.registers ?? [])].filter((x: { name: string }) => !s.inherits?.inherited.has(x.name)).length + (s.levels ?? []).reduce((n: number, lv: any) => n + lv.formats.length, 0);
      expect(shapes, spec.name).toBe(own);
      if (!own) {
        expect(errors, spec.name).toEqual([]);
        await page.close();
        continue;
      }
      expect(await page.locator("article.shape svg.bitfield").count(), spec.name).toBe(shapes);
      expect(await page.locator("article.shape svg.bitfield g.field rect").count()).toBeGreaterThan(0);
      expect(errors, spec.name).toEqual([]);
      await page.close();
    }
  });

  it("decodes a typed value in the page with the generated code, matching the model", async () => {
    const { page, errors } = await open(http.base + "specs/x86.vmx.html");
    for (const [name, raw] of [["IA32_VMX_BASIC", "0x00da040000000004"], ["IA32_VMX_PROCBASED_CTLS", "0xfff9fffe0401e172"]] as const) {
      const found = findShape(name, front.lookup);
      if ("error" in found) throw new Error(found.error);
      await page.selectOption("#decode-shape", found.shape.qname);
      await page.fill("#decode-input", raw);
      const rows = await page.$$eval("#decode-output tbody tr", (trs: any[]) => trs.map((tr) => Array.from(tr.querySelectorAll("td") as ArrayLike<any>, (td) => String(td.textContent ?? ""))));
      const shown = new Map(rows.map((r) => [r[1]!, r]));
      const expected = decodeValue(found.shape, BigInt(raw), front.lookup);
      for (const f of expected.fields) {
        const row = shown.get(f.path);
        expect(row, f.path).toBeDefined();
        if (!f.layout) expect(BigInt(row![2]!), f.path).toBe(BigInt(f.value));
        if (f.meaning) expect(row![3]).toBe(f.meaning);
      }
      expect(rows.length).toBe(expected.fields.length);
      expect(await page.textContent("#decode-status")).toContain(found.shape.qname);
    }
    // A value no enum member names is flagged, as hwspec decode flags it (memory_type 3: neither UC nor WB).
    await page.selectOption("#decode-shape", "x86.vmx.IA32_VMX_BASIC");
    await page.fill("#decode-input", `0x${(3n << 50n).toString(16)}`);
    const memoryType = await page.$eval('#decode-output tbody tr[data-path="memory_type"]', (tr) => tr.children[3]!.textContent);
    expect(memoryType).toBe("(not a named value)");
    // A value that does not fit is refused by the generated parser, in the page.
    await page.selectOption("#decode-shape", "x86.vmx.IA32_VMX_BASIC");
    await page.fill("#decode-input", "0x1ffffffffffffffff");
    expect(await page.locator("#decode-status.error").count()).toBe(1);
    expect(await page.locator("#decode-output tbody tr").count()).toBe(0);

    // Screenshot: the IA32_VMX_BASIC diagram and table with a decoded value above.
    await page.fill("#decode-input", "0x00da040000000004");
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    const shot = join(ROOT, "test-artifacts", "bitfield-diagram.png");
    await page.locator("article.shape[data-qname='x86.vmx.IA32_VMX_BASIC'] svg.bitfield").screenshot({ path: shot });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe("PNG");
    if (process.env.HWSPEC_UPDATE_README_IMAGE) copyFileSync(shot, join(ROOT, "docs", "images", "bitfield-diagram.png"));
    await page.screenshot({ path: join(ROOT, "test-artifacts", "docs-vmx-page.png") });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows hostile spec text as text: no script runs, no element is injected", async () => {
    for (const path of ["index.html", "specs/evil.hostile.html"]) {
      const { page, errors } = await open(evilHttp.base + path);
      expect(await page.locator("img").count()).toBe(0);
      expect(await page.locator("script:not([src])").count()).toBe(0);
      expect(await page.textContent("body")).toContain('<script>alert("doc")</script>');
      expect(errors, path).toEqual([]);
      await page.close();
    }
    const { page, errors } = await open(evilHttp.base + "specs/evil.hostile.html");
    await page.fill("#decode-input", "0x15");
    const rows = await page.$$eval("#decode-output tbody tr", (trs) => trs.map((tr) => tr.getAttribute("data-path") + "=" + tr.children[2]!.textContent));
    expect(rows).toEqual(["f=0x5", "g=0x1"]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
