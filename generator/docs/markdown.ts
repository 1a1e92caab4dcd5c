import { GENERATED_HEADER } from "../emit/escape.ts";
import type { PageView, SectionView, ShapeView, TableView } from "./view.ts";

/**
 * Markdown for code hosts. Spec text is escaped for Markdown and for the HTML that Markdown allows:
 * & < > become entities, Markdown punctuation is backslash-escaped, newlines inside table cells
 * become spaces, and bidi/control characters are shown as \u escapes.
 */
export function mdText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, "0")}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/^([#+\-=!]|\d+\.)/, "\\$1")
    .replace(/\r?\n/g, " ");
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.map(mdText).join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, ...rows.map((r) => `| ${r.map(mdText).join(" | ")} |`)];
}

function tableView(t: TableView): string[] {
  return [`**${mdText(t.caption)}**`, "", ...table(t.head, t.rows), ""];
}

function shape(s: ShapeView, svgPath: string): string[] {
  return [
    `### ${mdText(s.name)} (${mdText(s.kind)})`,
    "",
    ...(s.doc ? [mdText(s.doc), ""] : []),
    s.meta.map((m) => `**${mdText(m.label)}:** \`${m.value.replace(/`/g, "'").replace(/\s+/g, " ")}\``).join(" · "),
    "",
    `![${mdText(s.svg.title)}](${svgPath})`,
    "",
    ...table(
      ["bits", "name", "access", "reset", "enum", "doc"],
      s.rows.map((r) => [r.bits, (r.depth ? "\u00a0\u00a0".repeat(r.depth) : "") + r.name, r.access, r.reset, r.enums, r.doc]),
    ),
    "",
  ];
}

export function pageMarkdown(page: PageView, svgPath: (s: ShapeView) => string, diagramPath: (sec: SectionView, i: number) => string): string {
  const lines = [
    `<!-- ${GENERATED_HEADER} -->`,
    `# ${mdText(page.name)} (${mdText(page.kind)})`,
    "",
    `From \`${page.file}\`.`,
    "",
    mdText(page.doc),
    "",
    ...(page.extends ? [`An overlay of [${mdText(page.extends)}](${page.extends}.md): that spec with the changes listed in \`${page.file}\`.`, ""] : []),
    ...(page.source ? [`**Source:** ${mdText(page.source)}`, ""] : []),
  ];
  for (const sec of page.sections) {
    lines.push(`## ${mdText(sec.title)}`, "");
    if (sec.doc) lines.push(mdText(sec.doc), "");
    for (const t of sec.tables) lines.push(...tableView(t));
    for (const s of sec.shapes) lines.push(...shape(s, svgPath(s)));
    for (const [i, d] of (sec.diagrams ?? []).entries()) lines.push(`![${mdText(d.title)}](${diagramPath(sec, i)})`, "");
  }
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

export function indexMarkdown(pages: { page: PageView; href: string }[]): string {
  return [
    `<!-- ${GENERATED_HEADER} -->`,
    "# hwspec specs",
    "",
    ...table(["spec", "kind", "file"], pages.map(({ page }) => [page.name, page.kind, page.file])).map((l, i) => {
      if (i < 2) return l;
      const { page, href } = pages[i - 2]!;
      return l.replace(`| ${mdText(page.name)} |`, `| [${mdText(page.name)}](${href}) |`);
    }),
    "",
  ].join("\n");
}
