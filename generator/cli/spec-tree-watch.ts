/**
 * Change notifications for a spec tree that survive the ways files really change.
 *
 * Watching files loses them: a rename-save (`sed -i`, most editors' "safe write") puts a new inode
 * at the old name and a file watch stays on the old one. So every folder of the tree is watched
 * instead (one non-recursive fs.watch each, the same on every platform), and so is the folder
 * above the tree, which sees the tree itself deleted, created or replaced by another folder.
 * Folders that appear, disappear or are replaced (a different inode at the same path) are
 * re-scanned and their watches renewed.
 */
import { readdirSync, statSync, watch, type FSWatcher } from "node:fs";
import { basename, dirname, join, relative, sep } from "node:path";

interface DirWatch {
  ino: number;
  watcher: FSWatcher;
}

/** Calls `on` with the path (relative to `root`, forward slashes) of what changed; returns stop. */
export function watchSpecTree(root: string, on: (file: string) => void): () => void {
  const dirs = new Map<string, DirWatch>();
  const self = `${basename(root)}/`;
  let stopped = false;
  const relOf = (p: string) => relative(root, p).split(sep).join("/");
  const inoOf = (p: string) => {
    try {
      const s = statSync(p);
      return s.isDirectory() ? s.ino : undefined;
    } catch {
      return undefined;
    }
  };

  /** The folders of the tree now; schema/ at the top is not part of it, as in listSpecFiles. */
  const scan = (): Map<string, number> => {
    const found = new Map<string, number>();
    const walk = (dir: string) => {
      const ino = inoOf(dir);
      if (ino === undefined) return;
      found.set(dir, ino);
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const n of names) {
        if (dir === root && n === "schema") continue;
        const p = join(dir, n);
        if (inoOf(p) !== undefined) walk(p);
      }
    };
    walk(root);
    return found;
  };

  const resync = () => {
    if (stopped) return;
    const now = scan();
    for (const [dir, w] of dirs) {
      if (now.get(dir) !== w.ino) {
        w.watcher.close();
        dirs.delete(dir);
      }
    }
    for (const [dir, ino] of now) if (!dirs.has(dir)) watchDir(dir, ino);
  };

  const watchDir = (dir: string, ino: number) => {
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, name) => {
        if (stopped) return;
        if (!name) {
          // Some platforms omit the name: something in this folder changed.
          resync();
          on(relOf(dir) ? `${relOf(dir)}/` : self);
          return;
        }
        const path = join(dir, String(name));
        const rel = relOf(path);
        if (rel.endsWith(".json")) {
          if (dirs.has(path) || inoOf(path) !== undefined) resync();
          on(rel);
        } else if (dirs.has(path) || inoOf(path) !== undefined) {
          // A folder came, went or was swapped: watch what is there now, and rerun, because files
          // may have landed in a new folder before its watch existed.
          resync();
          on(`${rel}/`);
        }
      });
    } catch {
      return; // gone between the scan and the watch; the parent folder's event resyncs
    }
    watcher.on("error", () => {
      watcher.close();
      dirs.delete(dir);
      resync();
    });
    dirs.set(dir, { ino, watcher });
  };

  // The folder above also holds the output folder and its lock; only a different spec folder
  // (created, deleted, replaced: another inode or none) is news.
  let rootIno = inoOf(root);
  const parent = watch(dirname(root), (_event, name) => {
    if (stopped || (name && String(name) !== basename(root))) return;
    const ino = inoOf(root);
    if (ino === rootIno) return;
    rootIno = ino;
    resync();
    on(self);
  });
  parent.on("error", () => undefined);
  resync();
  return () => {
    stopped = true;
    parent.close();
    for (const w of dirs.values()) w.watcher.close();
    dirs.clear();
  };
}

