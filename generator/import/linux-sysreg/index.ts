import { parseSysreg } from "./parse.ts";
import { toSpecs, type SysregCounts, type ToSpecOptions } from "./to-spec.ts";
import type { ImportResult } from "../types.ts";

export type { SysregCounts };

/** How the sysreg file is named in `source` strings: from `arch/` on when the path has it (a kernel tree), else its base name. */
export function sysregSourceName(path: string): string {
  const p = path.split("\\").join("/");
  const m = /(?:^|\/)(arch\/arm64\/tools\/[^/]+)$/.exec(p);
  return m ? m[1]! : p.slice(p.lastIndexOf("/") + 1);
}

/** `hwspec import linux-sysreg`: the text of a sysreg file to spec files; problems are located in that file. */
export function importLinuxSysreg(text: string, source: string, opts: ToSpecOptions): ImportResult<SysregCounts> {
  const parsed = parseSysreg(text, source);
  if (parsed.problems.length) return { problems: parsed.problems, specs: [] };
  const out = toSpecs(parsed.file, opts);
  if (out.problems.length) return { problems: out.problems, specs: [] };
  return { problems: [], specs: out.specs, counts: out.counts };
}
