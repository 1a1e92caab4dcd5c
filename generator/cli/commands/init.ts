/**
 * `hwspec init [--dir .] [--force]`: a config file and one real spec, so `hwspec check` and
 * `hwspec generate` work in a fresh project, and the tsconfig settings the generated code needs.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { SCHEMA_DIR } from "../../validate/schemas.ts";
import { toDisplay } from "../../load/tree.ts";
import { CONFIG_FILE } from "../config.ts";
import { EXIT, paint, type Io } from "../output.ts";

export interface InitOptions {
  dir?: string;
  force?: boolean;
}

/**
 * The first line of every file init writes. --force replaces a file only when it still starts
 * with it, so a config or spec someone wrote by hand is never overwritten.
 */
export const INIT_MARK = "// Written by hwspec init.";

/**
 * Where `$schema` should point from `fromDir`: the schemas of the hwspec installed in the
 * project's node_modules (nearest one, as Node resolves packages), else this copy's own.
 */
export function schemaDirFor(fromDir: string): string {
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const installed = join(dir, "node_modules", "hwspec", "specs", "schema");
    if (existsSync(join(installed, "registers.schema.json"))) return installed;
    if (dirname(dir) === dir) return SCHEMA_DIR;
  }
}

/** A relative `$schema` reference with forward slashes, starting with ./ or ../ as editors expect. */
export function schemaRef(fromDir: string, schemaFile: string): string {
  const rel = relative(fromDir, schemaFile).split(sep).join("/");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

function configText(schema: string): string {
  return `${INIT_MARK} Paths are relative to this file; command-line flags override them.
{
  "$schema": ${JSON.stringify(schema)},
  "specs": "specs",
  "out": "generated",
  "targets": ["ts", "c"],
  "docsOut": "docs-site",
  "ts": { "importExtension": ".ts", "emit": "ts" }
}
`;
}

function exampleSpecText(schema: string): string {
  return `${INIT_MARK} Edit it or replace it; comments are allowed in specs.
{
  "$schema": ${JSON.stringify(schema)},
  "kind": "registers",
  "name": "example.uart",
  "doc": "A small UART: its status register, to show the shape of a registers spec.",
  "registers": {
    "UART_STATUS": {
      "offset": "0x18",
      "width": 32,
      "access": "ro",
      "reset": "0x90",
      "doc": "Status of the transmit and receive FIFOs and of the line.",
      "fields": {
        "busy": { "bits": "3", "doc": "1 while a character is being sent." },
        "rx_empty": { "bits": "4", "doc": "1 when the receive FIFO is empty." },
        "tx_full": { "bits": "5", "doc": "1 when the transmit FIFO is full." },
        "rx_full": { "bits": "6", "doc": "1 when the receive FIFO is full." },
        "tx_empty": { "bits": "7", "doc": "1 when the transmit FIFO is empty." },
        "line": {
          "bits": "9:8",
          "enum": { "IDLE": 0, "BREAK": 1, "FRAMING_ERROR": 2 },
          "doc": "State of the receive line."
        }
      },
      // Every bit is either a field or reserved; res0 bits read as 0 and must be written as 0.
      "reserved": "res0"
    }
  }
}
`;
}

/** The compilerOptions the generated TypeScript needs, for the settings init wrote. */
export function tsconfigAdvice(importExtension: ".ts" | ".js"): Record<string, unknown> {
  return {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    ...(importExtension === ".ts" ? { allowImportingTsExtensions: true, noEmit: true } : {}),
  };
}

export function initCommand(opts: InitOptions, io: Io): number {
  const root = resolve(opts.dir ?? ".");
  if (existsSync(root) && !statSync(root).isDirectory()) {
    io.err(`hwspec init: ${opts.dir} is not a folder`);
    return EXIT.usage;
  }
  const specFile = join(root, "specs", "example.json");
  const schemas = schemaDirFor(root);
  const files = [
    { path: join(root, CONFIG_FILE), text: configText(schemaRef(root, join(schemas, "config.schema.json"))) },
    { path: specFile, text: exampleSpecText(schemaRef(dirname(specFile), join(schemas, "registers.schema.json"))) },
  ];
  // Decide for every file before writing any, so a refusal leaves the folder as it was.
  const shown = (p: string) => toDisplay(p) || ".";
  const refused: string[] = [];
  for (const f of files) {
    if (!existsSync(f.path)) continue;
    const ours = statSync(f.path).isFile() && readFileSync(f.path, "utf8").startsWith(INIT_MARK);
    if (!ours) refused.push(`${shown(f.path)} exists and was not written by hwspec init; leaving it alone`);
    else if (!opts.force) refused.push(`${shown(f.path)} exists (pass --force to replace it)`);
  }
  if (refused.length) {
    for (const r of refused) io.err(`hwspec init: ${r}`);
    return EXIT.usage;
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
    io.out(`${paint(io, "green", "wrote")} ${shown(f.path)}`);
  }
  const advice = JSON.stringify({ compilerOptions: tsconfigAdvice(".ts") }, null, 2);
  const cd = shown(root) === "." ? "" : `cd ${shown(root)} && `;
  io.out(`
The generated TypeScript imports its modules with .ts extensions ("importExtension" in ${CONFIG_FILE}).
tsconfig.json needs at least:
${advice}
(with "importExtension": ".js", drop allowImportingTsExtensions and noEmit.)

Next:
  ${cd}npx hwspec check        # validate specs/ (file:line:col: message [json-pointer])
  ${cd}npx hwspec generate     # write generated/ts and generated/c
  ${cd}npx hwspec watch        # regenerate on every save`);
  return EXIT.ok;
}
