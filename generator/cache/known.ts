import { resolve } from "node:path";
import type { KnownFile, KnownFiles } from "../write/stamps.ts";
import { isDigest, sha } from "./digest.ts";
import { CACHE_FORMAT, type EmitCache } from "./store.ts";

/**
 * The stamps of `outDir`'s files as the last write through this cache left them, kept in the
 * cache under the folder's absolute path (docs/output-ownership.md#emit-cache). A record that is
 * missing or not one this code wrote knows nothing: every file is read, as without it.
 */
export function knownFiles(cache: EmitCache, outDir: string): KnownFiles {
  const key = sha(`output stamps ${CACHE_FORMAT}`, resolve(outDir));
  const files = new Map<string, KnownFile>();
  const rec = (cache.getRecord(key) as { files?: unknown } | undefined)?.files;
  if (rec && typeof rec === "object" && !Array.isArray(rec)) {
    for (const [rel, v] of Object.entries(rec as Record<string, unknown>)) {
      const [stamp, digest] = Array.isArray(v) ? (v as unknown[]) : [];
      if (typeof stamp !== "string" || !isDigest(digest)) {
        files.clear();
        break;
      }
      files.set(rel, { stamp, digest });
    }
  }
  return { files, save: (next) => cache.putRecord(key, { files: Object.fromEntries([...next].map(([rel, k]) => [rel, [k.stamp, k.digest]])) }) };
}
