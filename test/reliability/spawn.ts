import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node args...` and resolves when it exits. `killWhen` is polled between event-loop turns;
 * once it returns true the child gets SIGKILL (the trigger is an observed state or a delay chosen
 * by the caller, never an assertion about time).
 */
export function run(
  args: string[],
  opts: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    killWhen?: () => boolean;
    /** Called with everything the child wrote to stderr so far, each time it writes more (a paused child says so there). */
    onStderr?: (stderr: string, kill: () => void) => void;
  } = {},
): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => {
      stderr += b;
      opts.onStderr?.(stderr, () => child.kill("SIGKILL"));
    });
    let timer: NodeJS.Timeout | undefined;
    if (opts.killWhen) {
      const check = opts.killWhen;
      timer = setInterval(() => {
        if (check()) {
          clearInterval(timer);
          child.kill("SIGKILL");
        }
      }, 1);
    }
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the tasks with at most `width` at a time (CI has two cores). */
export async function pool<T>(tasks: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return out;
}

export function writeFiles(dir: string, files: Record<string, string> | Map<string, string>): void {
  const entries = files instanceof Map ? [...files] : Object.entries(files);
  for (const [rel, text] of entries) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
}
