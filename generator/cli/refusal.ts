import { OutputRefused } from "../write/refused.ts";
import { EXIT, json, type Io } from "./output.ts";

/**
 * Runs a write and turns the write layer's refusal into exit 2: the message on stderr, or with
 * --json a diagnostics object on stdout (the shape every --json error takes).
 */
export function refusalExit(io: Io, command: string, asJson: boolean | undefined, e: unknown): number {
  if (!(e instanceof OutputRefused)) throw e;
  if (asJson) io.out(json({ diagnostics: [{ message: e.message, reason: e.reason, paths: e.paths }] }));
  else io.err(`hwspec ${command}: ${e.message}`);
  return EXIT.usage;
}
