/**
 * hwspec.config.json: found by walking up from the current folder (like tsconfig.json), JSONC,
 * validated by specs/schema/config.schema.json with located errors. Paths in it are relative to
 * its own folder; command-line flags win over it, and it wins over the built-in defaults.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Diagnostics, type Diagnostic } from "../diagnostics.ts";
import { parseSpec } from "../load/parse.ts";
import { toDisplay } from "../load/tree.ts";
import { DEFAULT_GENERATE_OPTIONS, GENERATE_TARGETS, type GenerateOptions, type GenerateTarget } from "../options.ts";

export const CONFIG_FILE = "hwspec.config.json";
export const CONFIG_TARGETS = ["ts", "c", "docs"] as const;
export type ConfigTarget = (typeof CONFIG_TARGETS)[number];

/** The file as written (every property optional). */
export interface ConfigFile {
  $schema?: string;
  specs?: string;
  out?: string;
  targets?: ConfigTarget[];
  docsOut?: string;
  ts?: Partial<GenerateOptions["ts"]>;
}

/** Settings every command runs with, after defaults, config file and flags. */
export interface Settings {
  /** The config file used, if any (absolute). */
  configFile?: string;
  /** Paths as shown to the user: relative to the current folder when below it. */
  specs: string;
  out: string;
  docsOut: string;
  /** `generate` also writes the docs site. */
  docs: boolean;
  generate: GenerateOptions;
}

export interface Flags {
  /** --config FILE: use this file instead of searching. */
  config?: string;
  specs?: string;
  out?: string;
  /** --targets ts,c,docs */
  targets?: string;
}

export const DEFAULTS = { specs: "specs", out: "generated", docsOut: "docs-site" } as const;

/** The nearest hwspec.config.json in `from` or a folder above it. */
export function findConfig(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const file = join(dir, CONFIG_FILE);
    if (existsSync(file) && statSync(file).isFile()) return file;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Reads and validates one config file; undefined after reporting into `d`. */
export async function readConfig(file: string, d: Diagnostics): Promise<ConfigFile | undefined> {
  // ajv loads only when there is a file to check, so commands in a project without one start fast.
  const { validateAgainst } = await import("../validate/validate.ts");
  const shown = toDisplay(file);
  const src = parseSpec(shown, CONFIG_FILE, readFileSync(file, "utf8"), d);
  if (!src) return undefined;
  if (!src.json || typeof src.json !== "object" || Array.isArray(src.json)) {
    d.error(src.at(""), `${CONFIG_FILE} must be a JSON object`);
    return undefined;
  }
  return validateAgainst(src, "config", d) ? (src.json as ConfigFile) : undefined;
}

/** `ts,c` → targets; a message for anything else. */
export function parseTargets(text: string): ConfigTarget[] | { error: string } {
  const list = text.split(",").map((t) => t.trim()).filter(Boolean);
  const bad = list.find((t) => !(CONFIG_TARGETS as readonly string[]).includes(t));
  if (bad !== undefined || !list.length) return { error: `--targets takes a comma-separated list of ${CONFIG_TARGETS.join(", ")}${bad ? `, not "${bad}"` : ""}` };
  return [...new Set(list)] as ConfigTarget[];
}

/** Defaults, then the config file, then flags. `cwd` is where the search starts and flags are relative to. */
export async function resolveSettings(cwd: string, flags: Flags): Promise<{ settings: Settings } | { diagnostics: Diagnostic[] } | { error: string }> {
  const d = new Diagnostics();
  let file: string | undefined;
  if (flags.config !== undefined) {
    file = resolve(cwd, flags.config);
    if (!existsSync(file) || !statSync(file).isFile()) return { error: `hwspec: config file ${flags.config} not found` };
  } else file = findConfig(cwd);
  const config = file ? await readConfig(file, d) : {};
  if (!config) return { diagnostics: d.sorted() };
  const base = file ? dirname(file) : cwd;
  // Shown and used relative to the current folder, like a flag typed there would be.
  const shown = (p: string) => (relative(cwd, p) || ".").split(sep).join("/");
  const path = (flag: string | undefined, fromConfig: string | undefined, fallback: string) =>
    flag !== undefined ? flag : fromConfig !== undefined ? shown(resolve(base, fromConfig)) : fallback;
  let targets: ConfigTarget[] = config.targets ?? [...DEFAULT_GENERATE_OPTIONS.targets];
  if (flags.targets !== undefined) {
    const t = parseTargets(flags.targets);
    if ("error" in t) return { error: `hwspec: ${t.error}` };
    targets = t;
  }
  return {
    settings: {
      ...(file ? { configFile: file } : {}),
      specs: path(flags.specs, config.specs, DEFAULTS.specs),
      out: path(flags.out, config.out, DEFAULTS.out),
      docsOut: config.docsOut !== undefined ? shown(resolve(base, config.docsOut)) : DEFAULTS.docsOut,
      docs: targets.includes("docs"),
      generate: {
        targets: targets.filter((t): t is GenerateTarget => (GENERATE_TARGETS as readonly string[]).includes(t)),
        ts: { ...DEFAULT_GENERATE_OPTIONS.ts, ...config.ts },
      },
    },
  };
}
