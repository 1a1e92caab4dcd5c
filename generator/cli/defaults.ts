/** Kept apart from the docs command so `--help` can name it without loading the docs generator. */
export const DEFAULT_DOCS_OUT = "docs-site";
