import { mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { synthSpec } from "../../bench/synth.ts";
import { PAGE_SHAPES } from "../../generator/docs/paginate.ts";
import { buildDocs } from "../../generator/docs/site.ts";
import { writeTree } from "../../generator/write/atomic.ts";
import { frontOf } from "../helpers/project.ts";
import { ARGS, CHROMIUM, haveChromium, serve } from "./chromium.ts";

/** Registers of the synthetic tree, all in one spec file (a user's file is not split). */
const REGISTERS = 2000;
/** Hits the index search renders at most (static/site.js LIMIT). */
const SEARCH_LIMIT = 100;

/**
 * DOM bounds, in elements (`document.getElementsByTagName("*")`).
 * Index: page chrome (head, header, heading, search box, spec table head: under 60), at most
 * SEARCH_LIMIT hits of at most 5 elements (li, a, 2 spans, doc div) and 5 per spec table row.
 * Spec page: a 16-field register's article is its header and meta (under 20), a diagram of at most
 * 17 boxes of 4 elements plus 64 bit ticks and 3 (under 140) and a table of 17 rows of 7 plus its head
 * (under 130): under 300, so 300 per shape on the page; chrome, the pager and the decode box with an
 * option per shape stay under 400. Without pages the same spec would be about 2,000 × 300 = 600,000.
 */
const INDEX_BOUND = (specs: number) => 60 + 5 * SEARCH_LIMIT + 5 * specs;
const SPEC_BOUND = 300 * PAGE_SHAPES + 400;

describe.skipIf(!haveChromium)("docs site of a large tree in headless Chromium", () => {
  const out = mkdtempSync(join(tmpdir(), "hwspec-site-scale-"));
  const profile = mkdtempSync(join(tmpdir(), "hwspec-chromium-scale-"));
  let ctx: import("playwright-core").BrowserContext;
  let http: { server: Server; base: string };

  beforeAll(async () => {
    const r = frontOf({ "bench/s0000.json": synthSpec(0, 0, REGISTERS) });
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics[0]));
    writeTree(join(out, "site"), await buildDocs(r.front, "html"));
    http = await serve(join(out, "site"));
    const { chromium } = await import("playwright-core");
    ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1100, height: 900 } });
  }, 300_000);

  afterAll(async () => {
    await ctx?.close();
    http?.server.close();
    rmSync(out, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  const elements = (page: import("playwright-core").Page) => page.evaluate(() => (globalThis as any).document.getElementsByTagName("*").length as number);

  it("finds a register by name from the index, opens its page with its fields, and both DOMs stay bounded", async () => {
    const page = await ctx.newPage();
    const errors: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && errors.push(m.text())));
    page.on("pageerror", (e) => void errors.push(String(e)));
    await page.goto(http.base + "index.html", { waitUntil: "load" });
    // One spec row plus one row per register in the search index; the page renders a bounded list.
    expect(await page.textContent("#search-count")).toContain(`${REGISTERS + 1} entries`);
    expect(await page.locator("#search-results li").count()).toBe(SEARCH_LIMIT);
    expect(await elements(page)).toBeLessThanOrEqual(INDEX_BOUND(1));

    // A name matches its own register and no other (R1234 is no prefix of another of 2,000).
    await page.fill("#search", "r1234");
    expect(await page.textContent("#search-count")).toBe(`1 of ${REGISTERS + 1} match`);
    const link = page.locator("#search-results li a");
    expect(await link.count()).toBe(1);
    expect(await link.textContent()).toBe("bench.s0000.R1234");
    // Words narrow: a field name and a doc word together still find registers, never more than the limit.
    await page.fill("#search", "f15 synthetic");
    expect(await page.locator("#search-results li").count()).toBe(SEARCH_LIMIT);
    expect(await page.textContent("#search-count")).toContain(`${REGISTERS} of ${REGISTERS + 1} match`);
    await page.fill("#search", "r1234");
    await Promise.all([page.waitForURL(/-p\d+\.html#/), link.click()]);
    await page.waitForLoadState("load");

    // Register 1234 lives on page ⌊1234 / PAGE_SHAPES⌋ + 1 of the spec.
    expect(new URL(page.url()).pathname).toBe(`/specs/bench.s0000-p${Math.floor(1234 / PAGE_SHAPES) + 1}.html`);
    const article = page.locator("article.shape[data-qname='bench.s0000.R1234']");
    expect(await article.count()).toBe(1);
    expect(await article.isVisible()).toBe(true);
    const names = await article.locator("table.fields tbody td.name").allTextContents();
    // The table lists fields from the most significant bit down: f15 (31:30) first.
    expect(names.filter((n) => /^f\d+$/.test(n))).toEqual(Array.from({ length: 16 }, (_, i) => `f${15 - i}`));
    expect(await article.locator("svg.bitfield g.field").count()).toBe(16);
    expect(await page.locator("article.shape").count()).toBe(PAGE_SHAPES);
    expect(await page.locator("nav.pager a").count()).toBe(REGISTERS / PAGE_SHAPES - 1);
    expect(await elements(page)).toBeLessThanOrEqual(SPEC_BOUND);

    // The decode box runs the spec's generated module on this page: f0 is bits 1:0, f1 bits 3:2.
    await article.locator("button.decode-this").click();
    await page.fill("#decode-input", "0x6");
    expect(await page.$eval('#decode-output tbody tr[data-path="f0"]', (tr) => tr.children[2]!.textContent)).toBe("0x2");
    expect(await page.$eval('#decode-output tbody tr[data-path="f0"]', (tr) => tr.children[3]!.textContent)).toBe("AUTO");
    expect(await page.$eval('#decode-output tbody tr[data-path="f1"]', (tr) => tr.children[2]!.textContent)).toBe("0x1");
    expect(await page.textContent("#decode-status")).toContain("bench.s0000.R1234");
    expect(errors).toEqual([]);
    await page.close();
  });
});
