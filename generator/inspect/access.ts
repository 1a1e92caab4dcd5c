import type { Access } from "../model/index.ts";

/**
 * What each access does, in words: the CLI prints it next to a field, the docs legend lists it,
 * and diff uses it to say what an access change changes. One table, so the three agree.
 */
export interface AccessMeaning {
  /** What a write does to the field's bits. */
  write: string;
  /** What a read returns, and what it does to the field. */
  read: string;
  /** One line for the legend. */
  summary: string;
}

export const ACCESS_MEANING: Readonly<Record<Access, AccessMeaning>> = {
  rw: { write: "stores", read: "value", summary: "read-write: a write stores the written bits" },
  ro: { write: "ignored", read: "value", summary: "read-only: writes have no effect" },
  wo: { write: "stores", read: "0", summary: "write-only: a write stores, reads return 0" },
  w1c: { write: "1 clears", read: "value", summary: "write 1 to clear: each bit written as 1 becomes 0, bits written as 0 keep their value" },
  w1s: { write: "1 sets", read: "value", summary: "write 1 to set: each bit written as 1 becomes 1, bits written as 0 keep their value" },
  w0c: { write: "0 clears", read: "value", summary: "write 0 to clear: each bit written as 0 becomes 0, bits written as 1 keep their value" },
  w0s: { write: "0 sets", read: "value", summary: "write 0 to set: each bit written as 0 becomes 1, bits written as 1 keep their value" },
  w1t: { write: "1 toggles", read: "value", summary: "write 1 to toggle: each bit written as 1 flips, bits written as 0 keep their value" },
  wc: { write: "clears", read: "value", summary: "write clears: any write clears the whole field, whatever is written" },
  ws: { write: "sets", read: "value", summary: "write sets: any write sets every bit of the field, whatever is written" },
  rc: { write: "ignored", read: "value, then clears", summary: "read clears: a read returns the value and then the field becomes 0; writes have no effect" },
  rs: { write: "ignored", read: "value, then sets", summary: "read sets: a read returns the value and then every bit of the field becomes 1; writes have no effect" },
  "write-once": { write: "first write stores", read: "value", summary: "write once: the first write after reset stores, later writes have no effect" },
  const: { write: "ignored", read: "fixed value", summary: "constant: always reads its fixed value; writes have no effect" },
};

/** `w1c (write: 1 clears)` for the CLI; `rw` and `ro` need no gloss. */
export function accessText(a: Access): string {
  if (a === "rw" || a === "ro") return a;
  const m = ACCESS_MEANING[a];
  const parts = [m.write !== "stores" ? `write: ${m.write}` : "", m.read !== "value" ? `read: ${m.read}` : ""].filter(Boolean);
  return `${a} (${parts.join("; ")})`;
}

/** The order of the vocabulary in the schema, for legends. */
export const ACCESS_ORDER: readonly Access[] = Object.keys(ACCESS_MEANING) as Access[];
