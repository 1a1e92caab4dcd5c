// Reads the executable examples out of a guide page. The conventions are documented for
// readers in docs/guide/README.md ("How the examples are checked"); this is their one parser.

export type Block =
  | { kind: "file"; line: number; lang: string; path: string; text: string }
  | { kind: "run"; line: number; script: string; exit: number; output?: Expected }
  | { kind: "shown"; line: number; lang: string; reason: string; text: string }
  | { kind: "fragment"; line: number; lang: string; text: string };

export interface Expected {
  line: number;
  /** `exact`: the whole output; `subset`: each line occurs, in order, inside some output line. */
  mode: "exact" | "subset";
  text: string;
}

interface Fence {
  line: number;
  lang: string;
  attrs: Map<string, string>;
  flags: Set<string>;
  text: string;
  /** Only blank lines separate it from the previous fence. */
  adjacent: boolean;
}

/** Every fenced block of a Markdown text, with its info string split into lang, key=value and flags. */
function fences(markdown: string): Fence[] {
  const lines = markdown.split("\n");
  const out: Fence[] = [];
  let lastEnd = -1;
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [, tick, info] = open as unknown as [string, string, string];
    const words = info.trim().split(/\s+/).filter(Boolean);
    const lang = words.shift() ?? "";
    const attrs = new Map<string, string>();
    const flags = new Set<string>();
    for (const w of words) {
      const eq = w.indexOf("=");
      if (eq > 0) attrs.set(w.slice(0, eq), w.slice(eq + 1));
      else flags.add(w);
    }
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && lines[j] !== tick) body.push(lines[j++]!);
    if (j >= lines.length) throw new Error(`line ${i + 1}: fenced block is never closed`);
    const between = lines.slice(lastEnd + 1, i);
    out.push({
      line: i + 1,
      lang,
      attrs,
      flags,
      text: body.join("\n") + "\n",
      adjacent: lastEnd >= 0 && between.every((l) => l.trim() === ""),
    });
    lastEnd = j;
    i = j;
  }
  return out;
}

/**
 * The page's blocks in order. Every fenced block must have a role, so an example cannot silently
 * drop out of the test: a file, a command, an output, a fragment of a file, or a block shown but
 * not run (with the reason).
 */
export function parseGuide(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const f of fences(markdown)) {
    const file = f.attrs.get("file");
    if (file !== undefined) {
      blocks.push({ kind: "file", line: f.line, lang: f.lang, path: file, text: f.text });
    } else if (f.attrs.has("norun")) {
      blocks.push({ kind: "shown", line: f.line, lang: f.lang, reason: f.attrs.get("norun")!, text: f.text });
    } else if (f.lang === "sh") {
      const exit = Number(f.attrs.get("exit") ?? "0");
      blocks.push({ kind: "run", line: f.line, script: f.text, exit });
    } else if (f.lang === "text" && (f.flags.has("output") || f.flags.has("subset"))) {
      const prev = blocks[blocks.length - 1];
      if (!f.adjacent || prev?.kind !== "run" || prev.output)
        throw new Error(`line ${f.line}: an output block must directly follow a sh block`);
      prev.output = { line: f.line, mode: f.flags.has("subset") ? "subset" : "exact", text: f.text };
    } else if (f.flags.has("fragment")) {
      blocks.push({ kind: "fragment", line: f.line, lang: f.lang, text: f.text });
    } else {
      throw new Error(
        `line ${f.line}: fenced block without a role (give it file=PATH, sh, text output, text subset, fragment or norun=REASON)`,
      );
    }
  }
  return blocks;
}

/** Output as compared: no trailing spaces, no trailing blank lines. */
export function normalize(text: string): string {
  return text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n+$/, "");
}

/** Why `actual` does not match `expected`, or undefined when it does. */
export function mismatch(expected: Expected, actual: string): string | undefined {
  const want = normalize(expected.text);
  const got = normalize(actual);
  if (expected.mode === "exact") return want === got ? undefined : `expected exactly:\n${want}\n--- got:\n${got}`;
  const lines = got.split("\n");
  let at = 0;
  for (const w of want.split("\n")) {
    while (at < lines.length && !lines[at]!.includes(w.trim())) at++;
    if (at === lines.length) return `expected a line containing ${JSON.stringify(w.trim())} (in order) in:\n${got}`;
    at++;
  }
  return undefined;
}

/** Whitespace-insensitive containment, for fragments quoted from a file of the page. */
export function squash(text: string): string {
  return text.replace(/\s+/g, "");
}
