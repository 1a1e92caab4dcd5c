import { commentText } from "../escape.ts";

/** Lines of spec text made safe for a C block comment (no terminator, no control or bidi characters). */
export function commentLines(text: string): string[] {
  const t = text.trim();
  return t ? commentText(t).split("\n").map((l) => l.trimEnd()) : [];
}

/** A C block comment from lines that already passed commentText(); one line stays on one line. */
export function blockComment(lines: string[], indent = ""): string {
  if (lines.length === 1) return `${indent}/* ${lines[0]} */`;
  return [`${indent}/*`, ...lines.map((l) => `${indent} * ${l}`.trimEnd()), `${indent} */`].join("\n");
}
