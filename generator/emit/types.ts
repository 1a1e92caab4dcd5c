/** One output file, relative to generated/. Emitters return these; nothing touches disk until write. */
export interface OutFile {
  path: string;
  lang: "ts" | "c" | "md" | "html" | "mermaid" | "dot" | "promela" | "json" | "css" | "js" | "svg";
  content: string;
  /** The input this file is derived from, named in its header. */
  source: string;
  /** Printed in prettier's style by its emitter, so formatting would change nothing. */
  printed?: boolean;
  /**
   * The SHA-256 of `content` in hex, when known without reading it (a file of the emit cache):
   * writeTree then tells an unchanged file from its record without reading either text.
   */
  digest?: string;
}
