import { ImportReport } from "../report.ts";
import type { ImportedSpecFile } from "../types.ts";
import { readSvd } from "./read.ts";
import { writeSpecs } from "./write.ts";
import { DEFAULT_XML_LIMITS, readXml, XmlRefused, type XmlLimits } from "./xml.ts";

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

/** The element tree lives only inside this call: it is garbage before the specs are written. */
function readModel(text: string, file: string, limits: XmlLimits, report: ImportReport) {
  let root;
  try {
    root = readXml(text, file, limits);
  } catch (e) {
    if (!(e instanceof XmlRefused)) throw e;
    report.error(e.loc, e.message);
    return undefined;
  }
  return readSvd(root, report);
}
