import { format } from "prettier";
import type { OutFile } from "./types.ts";

/** Fixed options, never a user's config file: output must be the same bytes on every machine. */
const OPTIONS = { printWidth: 110, tabWidth: 2, semi: true, singleQuote: false, trailingComma: "all", endOfLine: "lf" } as const;

const PARSER: Partial<Record<OutFile["lang"], string>> = { ts: "typescript", md: "markdown", json: "json", css: "css", js: "babel" };

export async function formatFiles(files: OutFile[]): Promise<OutFile[]> {
  return Promise.all(
    files.map(async (f) => {
      const parser = PARSER[f.lang];
      if (!parser) return f.content.endsWith("\n") ? f : { ...f, content: f.content + "\n" };
      return { ...f, content: await format(f.content, { ...OPTIONS, parser }) };
    }),
  );
}
