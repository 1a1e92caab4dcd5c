import type { Diagnostics } from "../../../diagnostics.ts";
import type { ElabRegister, ElabRegistersSpec } from "../../../elaborate/model.ts";
import { elementAt, elementName } from "../../../inspect/address.ts";
import { addressPhrase } from "../../../elaborate/spaces.ts";

const spelled = (r: ElabRegister, i: number) => (r.array ? elementName(r.name, i) : r.name);

/**
 * Two names for one MSR, CSR, port or system register are a mistake, and every element of an
 * array counts. A pair of registers is reported once, at its first clash, so a large array laid
 * over another gives one error rather than one per element. An MMIO offset may be shared by a
 * read-side and a write-side register, as device blocks do, so offsets are not compared.
 */
export function checkAddresses(spec: ElabRegistersSpec, d: Diagnostics): void {
  const seen = new Map<bigint, { r: ElabRegister; i: number }>();
  const reported = new Set<string>();
  for (const r of spec.registers) {
    if (r.space === "mmio") continue;
    for (let i = 0; i < (r.array?.count ?? 1); i++) {
      const at = elementAt(r, i);
      const prior = seen.get(at.address);
      if (!prior) {
        seen.set(at.address, { r, i });
        continue;
      }
      if (prior.r === r || reported.has(`${prior.r.name}|${r.name}`)) continue;
      reported.add(`${prior.r.name}|${r.name}`);
      d.error(r.loc, `register "${spelled(r, i)}" is at ${addressPhrase(at)}, already used by "${spelled(prior.r, prior.i)}"`);
    }
  }
}
