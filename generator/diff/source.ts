import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { Diagnostics } from "../diagnostics.ts";
import { loadFiles, loadTree, type LoadedTree } from "../load/tree.ts";

/** A side of a diff: a folder of specs, or `git:REV` (the specs folder at a revision of the current repository). */
export type SpecTreeRef = { kind: "dir"; dir: string; label: string } | { kind: "git"; rev: string; label: string };

export function parseRef(text: string): SpecTreeRef {
  if (text.startsWith("git:")) return { kind: "git", rev: text.slice(4), label: text };
  return { kind: "dir", dir: resolve(text), label: text };
}

/** Loads one side; problems that are not about spec content come back as `error`. */
export function loadRef(ref: SpecTreeRef, specsDir: string, d: Diagnostics): { tree: LoadedTree } | { error: string } {
  if (ref.kind === "dir") {
    if (!existsSync(ref.dir) || !statSync(ref.dir).isDirectory()) return { error: `${ref.label} is not a folder (and not git:REV)` };
    return { tree: loadTree(ref.dir, d) };
  }
  if (!/^[A-Za-z0-9_./~^@{}-]+$/.test(ref.rev) || ref.rev.startsWith("-")) return { error: `"${ref.rev}" is not a git revision` };
  const git = (args: string[], cwd: string) => execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 << 20, stdio: ["ignore", "pipe", "pipe"] });
  const specsAbs = resolve(specsDir);
  let top: string;
  try {
    top = git(["rev-parse", "--show-toplevel"], existsSync(specsAbs) ? specsAbs : process.cwd()).trim();
  } catch {
    return { error: `${ref.label}: not inside a git repository` };
  }
  try {
    git(["rev-parse", "--verify", "--quiet", `${ref.rev}^{commit}`], top);
  } catch {
    return { error: `${ref.label}: unknown revision "${ref.rev}"` };
  }
  const specsRel = relative(top, specsAbs).split(sep).join("/");
  const listed = git(["ls-tree", "-r", "--name-only", "-z", ref.rev, "--", specsRel], top).split("\0").filter(Boolean);
  const files: Record<string, string> = {};
  for (const path of listed) {
    const rel = specsRel ? path.slice(specsRel.length + 1) : path;
    if (!rel.endsWith(".json") || rel.startsWith("schema/")) continue;
    files[rel] = git(["show", `${ref.rev}:${path}`], top);
  }
  if (!Object.keys(files).length) return { error: `${ref.label}: no spec files under ${specsRel || "."}/ at that revision` };
  return { tree: loadFiles(files, d, `${ref.label}:${specsRel ? specsRel + "/" : ""}`) };
}
