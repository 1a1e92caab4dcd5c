import { Project, type SourceFile, type WriterFunction } from "ts-morph";
import { GENERATED_HEADER } from "../escape.ts";

let project: Project | undefined;

/**
 * Collects a whole file's statements as writer functions and hands them to ts-morph in one
 * batch: per-node edits are what make ts-morph slow on large outputs.
 */
export class TsFile {
  private readonly parts: WriterFunction[] = [];
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

  /** Imports names from the support module (types are imported as types). */
  uses(...names: string[]): void {
    for (const n of names) this.import("support", n);
  }

  import(module: string, name: string, asType = false): void {
    const set = this.imports.get(module) ?? new Set<string>();
    set.add(name);
    this.imports.set(module, set);
    if (asType) this.typeOnly.add(`${module}:${name}`);
  }

  /** `relativeTo(module)` turns a module key ("support" or a path under generated/ts) into an import path. */
  render(relativeTo: (module: string) => string, typeNames: ReadonlySet<string>): string {
    project ??= new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
    const sf: SourceFile = project.createSourceFile(this.path, "", { overwrite: true });
    const header: WriterFunction = (w) => {
      w.writeLine(`// ${GENERATED_HEADER}`);
      w.writeLine(`// Source: ${this.source}`);
      if (this.doc) w.writeLine(`// ${this.doc}`);
      w.blankLine();
      for (const [module, names] of [...this.imports].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const list = [...names]
          .sort()
          .map((n) => (typeNames.has(n) || this.typeOnly.has(`${module}:${n}`) ? `type ${n}` : n));
        w.writeLine(`import { ${list.join(", ")} } from ${JSON.stringify(relativeTo(module))};`);
      }
      w.blankLine();
    };
    sf.addStatements([header, ...this.parts]);
    const text = sf.getFullText();
    project.removeSourceFile(sf);
    return text;
  }
}
