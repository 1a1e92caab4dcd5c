/** Targets `generate` writes into the output folder (docs go to their own folder, see the CLI config). */
export const GENERATE_TARGETS = ["ts", "c"] as const;
export type GenerateTarget = (typeof GENERATE_TARGETS)[number];

/** What the back end produces, resolved from hwspec.config.json and CLI flags. */
export interface GenerateOptions {
  targets: ReadonlyArray<GenerateTarget>;
  ts: {
    /** Extension in relative imports between generated modules. */
    importExtension: ".ts" | ".js";
    /** TypeScript sources, or JavaScript plus declaration files. */
    emit: "ts" | "js+dts";
  };
}

/** Today's output: TypeScript and C, `.ts` imports, TypeScript sources. */
export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = Object.freeze({
  targets: Object.freeze(["ts", "c"] as const),
  ts: Object.freeze({ importExtension: ".ts", emit: "ts" } as const),
});

/** JavaScript output imports its sibling modules as .js, whatever the config says. */
export function effectiveOptions(o: GenerateOptions): GenerateOptions {
  return o.ts.emit === "js+dts" ? { ...o, ts: { ...o.ts, importExtension: ".js" } } : o;
}
