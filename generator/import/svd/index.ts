import { ImportReport } from "../report.ts";
import type { ImportedSpecFile } from "../types.ts";
import type { SvdDevice } from "./model.ts";
import { DerivesElements, SvdReader } from "./read.ts";
import { resolveDerived } from "./derive.ts";
import { writeSpecs } from "./write.ts";
import { DEFAULT_XML_LIMITS, readXml, replayXml, XmlRefused, type XmlLimits } from "./xml.ts";

export interface SvdImport {
  report: ImportReport;
  /** Empty when the report has errors. */
  files: ImportedSpecFile[];
  device?: string;
  peripherals: number;
  registers: number;
  fields: number;
}

/** CMSIS-SVD text → one hwspec device spec per peripheral, each item located in the SVD. Pure: reads and writes nothing. */
export function importSvd(text: string, file: string, limits: XmlLimits = DEFAULT_XML_LIMITS): SvdImport {
  const report = new ImportReport();
  const none = { report, files: [], peripherals: 0, registers: 0, fields: 0 };
  const device = readModel(text, file, limits, report);
  if (!device) return none;
  // Written even after read errors, so one run reports the writer's findings too; nothing is returned to write.
  const specs = writeSpecs(device, file, report);
  if (report.errors.length) return { ...none, device: device.name };
  return {
    report,
    device: device.name,
    files: specs.map((s) => ({ path: s.rel, json: s.json, locs: s.locs })),
    peripherals: specs.length,
    registers: specs.reduce((n, s) => n + s.registers, 0),
    fields: specs.reduce((n, s) => n + s.fields, 0),
  };
}

/**
 * The SVD model, read as the XML is parsed (SvdReader): no element tree of the whole document is
 * built. An SVD that derives registers, clusters, fields or peripherals from others is read twice:
 * the first read stops at the first such derivedFrom, and the second builds the tree, resolves the
 * derivations on it (derive.ts) and hands it to the same reader.
 */
function readModel(text: string, file: string, limits: XmlLimits, report: ImportReport): SvdDevice | undefined {
  const streamed = readStreaming(text, file, limits, report);
  return streamed === null ? readResolved(text, file, limits, report) : streamed;
}

/** Diagnostics go to `report` only once the read is complete: a read that stops for a derivation reports nothing. `null` when it stopped. */
export function readStreaming(text: string, file: string, limits: XmlLimits, report: ImportReport): SvdDevice | undefined | null {
  const own = new ImportReport();
  const reader = new SvdReader(own, true);
  let device;
  try {
    device = reader.device(readXml(text, file, limits, reader));
  } catch (e) {
    if (e instanceof DerivesElements) return null;
    if (!(e instanceof XmlRefused)) throw e;
    report.error(e.loc, e.message);
    return undefined;
  }
  for (const e of own.errors) report.errors.push(e);
  for (const w of own.warnings) report.warnings.push(w);
  return device;
}

/** Through the whole element tree, with derivedFrom resolved on it before it is read. */
export function readResolved(text: string, file: string, limits: XmlLimits, report: ImportReport): SvdDevice | undefined {
  let root;
  try {
    root = readXml(text, file, limits);
  } catch (e) {
    if (!(e instanceof XmlRefused)) throw e;
    report.error(e.loc, e.message);
    return undefined;
  }
  const reader = new SvdReader(report, false);
  if (root.name === "device") {
    root = resolveDerived(root, report);
    replayXml(root, reader);
  }
  return reader.device(root);
}
