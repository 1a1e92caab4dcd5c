import { createRequire } from "node:module";
import { posix } from "node:path";
import type { Project, SourceFile, WriterFunction } from "ts-morph";
import { tsShapeExports, type TsModuleNames } from "../../elaborate/names/ts.ts";
import { GENERATED_HEADER } from "../escape.ts";

let project: Project | undefined;

/**
 * Collects a whole file's statements as writer functions and hands them to ts-morph in one
 * batch: per-node edits are what make ts-morph slow on large outputs.
 */
export class TsFile {
  private readonly parts: (WriterFunction | string)[] = [];
  /** Shapes already printed in this module, by what their fields are: later shapes with the same fields reuse them. */
  readonly sharedShapes = new Map<string, { ts: string; name: string }>();
  /** Per shared table: the access its fields default to, and each field's own. */
  readonly sharedDefault = new Map<string, string>();
  readonly sharedAccess = new Map<string, string[]>();
  private readonly imports = new Map<string, Set<string>>();
  private readonly typeOnly = new Set<string>();

  constructor(
    readonly path: string,
    readonly source: string,
    readonly doc: string,
  ) {}

  add(part: WriterFunction): void {
    this.parts.push(part);
  }

  /** Code already in its final form (printed in prettier's style), kept as it is. */
  raw(text: string): void {
    this.parts.push(text);
  }

  /** True when every part is final text, so the file needs no formatter. */
  get printed(): boolean {
    return this.parts.every((p) => typeof p === "string");
  }

  /** Imports names from the support module (types are imported as types). */
  uses(...names: string[]): void {
    for (const n of names) this.import("support", n);
  }

  import(module: string, name: string, asType = false, alias = name): void {
    const spec = alias === name ? name : `${name} as ${alias}`;
    const set = this.imports.get(module) ?? new Set<string>();
    set.add(spec);
    this.imports.set(module, set);
    if (asType) this.typeOnly.add(`${module}:${spec}`);
  }

  /**
   * Imports every shape of another module this one nests, under the identifiers the elaborated
   * model assigned (aliased where the plain name is taken here); returns qname to identifier.
   */
  importShapes(names: TsModuleNames): (qname: string) => string {
    for (const imp of names.imports.values()) {
      const own = tsShapeExports(imp.name);
      const as = tsShapeExports(imp.alias);
      this.import(imp.module, own.value, false, as.value);
      own.types.forEach((t, i) => this.import(imp.module, t, true, as.types[i]));
    }
    return (qname) => {
      const id = names.refs.get(qname);
      if (id === undefined) throw new Error(`internal: no TS identifier for ${qname} in ${names.module}`);
      return id;
    };
  }

  /** Re-exports names of another module (an overlay's inherited items), types as types. */
  reexport(module: string, values: readonly string[], types: readonly string[]): void {
    this.reexports = { module, values: [...values], types: [...types] };
  }

  private reexports: { module: string; values: string[]; types: string[] } | undefined;

  private viaTsMorph(parts: WriterFunction[]): string {
    // Loaded on first use: ts-morph brings the TypeScript compiler (about 80 MB and half a second),
    // and modules printed as text (every registers spec) never need it.
    project ??= new (createRequire(import.meta.url)("ts-morph") as typeof import("ts-morph")).Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    const sf: SourceFile = project.createSourceFile(this.path, "", { overwrite: true });
    sf.addStatements(parts);
    const text = sf.getFullText();
    project.removeSourceFile(sf);
    return text;
  }

  /** Import path of a module key (a path under generated/ts without extension, e.g. "support", "x86/cr"). */
  private specifier(module: string, ext: string): string {
    const r = posix.relative(posix.dirname(this.path), `${module}${ext}`);
    return r.startsWith(".") ? r : `./${r}`;
  }

  /**
   * The whole file. Imports are written for the names the body really uses, so generated code
   * passes `noUnusedLocals`; names in `typeNames` are imported as types wherever they are imported.
   */
  render(typeNames: ReadonlySet<string> = new Set(), ext: ".ts" | ".js" = ".ts"): string {
    const chunks: string[] = [];
    for (let i = 0; i < this.parts.length; ) {
      const part = this.parts[i]!;
      if (typeof part === "string") {
        chunks.push(part);
        i++;
        continue;
      }
      const batch: WriterFunction[] = [];
      while (i < this.parts.length && typeof this.parts[i] !== "string") batch.push(this.parts[i++] as WriterFunction);
      chunks.push(this.viaTsMorph(batch));
    }
    const body = oneTrailingNewline(chunks.join(this.printed ? "" : "\n"));
    const used = identifiersUsed(body, new Set([...this.imports.values()].flatMap((names) => [...names].map(localName))));
    const lines = [`// ${GENERATED_HEADER}`, `// Source: ${this.source}`, ...(this.doc ? [`// ${this.doc}`] : []), ""];
    for (const [module, names] of [...this.imports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const list = [...names]
        .filter((n) => used.has(localName(n)))
        .sort()
        .map((n) => (typeNames.has(n) || this.typeOnly.has(`${module}:${n}`) ? `type ${n}` : n));
      if (!list.length) continue;
      const from = JSON.stringify(this.specifier(module, ext));
      const one = `import { ${list.join(", ")} } from ${from};`;
      // prettier's layout of a long import: one specifier per line.
      lines.push(one.length <= 110 ? one : ["import {", ...list.map((n) => `  ${n},`), `} from ${from};`].join("\n"));
    }
    if (this.reexports) {
      const r = this.reexports;
      const list = [...r.values.map((v) => ({ key: v, text: v })), ...r.types.map((t) => ({ key: t, text: `type ${t}` }))].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const from = JSON.stringify(this.specifier(r.module, ext));
      const one = `export { ${list.map((x) => x.text).join(", ")} } from ${from};`;
      lines.push("", one.length <= 110 ? one : ["export {", ...list.map((x) => `  ${x.text},`), `} from ${from};`].join("\n"));
    }
    return `${lines.join("\n")}\n\n${body}`;
  }
}

/** The name an import specifier binds: `b` for `a as b`. */
const localName = (spec: string): string => spec.split(" as ").pop()!;

/** Text ending in newlines ends in exactly one; other text is left as it is. */
function oneTrailingNewline(text: string): string {
  let end = text.length;
  while (end > 1 && text.charCodeAt(end - 1) === 10 && text.charCodeAt(end - 2) === 10) end--;
  return end === text.length ? text : text.slice(0, end);
}

const BLOCK_COMMENT = /\/\*[\s\S]*?\*\//y;
const LINE_COMMENT = /\/\/[^\n]*/y;
const DOUBLE_QUOTED = /"(?:[^"\\\n]|\\.)*"/y;
const SINGLE_QUOTED = /'(?:[^'\\\n]|\\.)*'/y;
const IDENTIFIER = /[A-Za-z_$][\w$]*/y;

/**
 * Which of `names` the code uses as identifiers, comments and string literals aside. One pass
 * with sticky patterns, so a module of tens of megabytes is never copied and its millions of
 * other identifiers never become strings.
 */
function identifiersUsed(code: string, names: ReadonlySet<string>): Set<string> {
  const used = new Set<string>();
  let longest = 0;
  for (const n of names) longest = Math.max(longest, n.length);
  const skip = (re: RegExp, at: number): number => {
    re.lastIndex = at;
    return re.test(code) ? re.lastIndex : at + 1;
  };
  for (let i = 0; i < code.length; ) {
    const c = code.charCodeAt(i);
    if (c === 47 /* / */) {
      const next = code.charCodeAt(i + 1);
      i = next === 42 ? skip(BLOCK_COMMENT, i) : next === 47 ? skip(LINE_COMMENT, i) : i + 1;
    } else if (c === 34 /* " */) i = skip(DOUBLE_QUOTED, i);
    else if (c === 39 /* ' */) i = skip(SINGLE_QUOTED, i);
    else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36) {
      IDENTIFIER.lastIndex = i;
      IDENTIFIER.test(code);
      const end = IDENTIFIER.lastIndex;
      // Only an identifier as long as one of the names is cut out of the text.
      if (end - i <= longest) {
        const id = code.slice(i, end);
        if (names.has(id)) used.add(id);
      }
      i = end;
    } else i++;
  }
  return used;
}
