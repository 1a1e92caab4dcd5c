import { existsSync, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { OutputRefused } from "./refused.ts";

export interface Placement {
  /** The spec folder the output is generated from. */
  specsDir?: string;
  /** Where the project root is looked for; the process's working directory by default. */
  cwd?: string;
}

/**
 * `path` with symlinks resolved, also when it does not exist yet: the nearest existing ancestor
 * is resolved and the missing tail appended, so `--out link/new` compares by where it would land.
 */
export function realPath(path: string): string {
  const abs = resolve(path);
  const tail: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return join(realpathSync(at), ...tail.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return abs;
      tail.push(basename(at));
      at = parent;
    }
  }
}

const MARKERS = ["package.json", ".git", "hwspec.config.json"];

/** The nearest ancestor of `cwd` (itself included) holding package.json, .git or hwspec.config.json; else `cwd`. */
export function projectRoot(cwd = process.cwd()): string {
  const start = realPath(cwd);
  for (let dir = start; ; dir = dirname(dir)) {
    if (MARKERS.some((m) => existsSync(join(dir, m)))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);

/**
 * Refuses output folders that would put a user's sources at stake whatever the flags say: the spec
 * folder itself, a folder inside it or one containing it, and the project root or a folder
 * containing it. A folder inside the project (generated/) is the normal case.
 */
export function checkPlacement(outDir: string, where: Placement = {}): void {
  const out = realPath(outDir);
  const refuse = (why: string) => {
    throw new OutputRefused("placement", `refusing to write output into ${outDir}: ${why}; choose a folder of its own (--force does not override this)`);
  };
  // Something is there (a file, or a symlink, dangling or not) that is not a folder or a link to one.
  let there = false;
  try {
    lstatSync(outDir);
    there = true;
  } catch {
    /* nothing there yet: it will be created */
  }
  if (there && (!existsSync(outDir) || !statSync(outDir).isDirectory())) refuse("it is not a folder");
  if (where.specsDir !== undefined) {
    const specs = realPath(where.specsDir);
    if (out === specs) refuse(`it is the spec folder`);
    if (inside(out, specs)) refuse(`it is inside the spec folder ${where.specsDir}`);
    if (inside(specs, out)) refuse(`it contains the spec folder ${where.specsDir}`);
  }
  const root = projectRoot(where.cwd);
  if (out === root) refuse(`it is the project root`);
  if (inside(root, out)) refuse(`it contains the project root ${root}`);
}
