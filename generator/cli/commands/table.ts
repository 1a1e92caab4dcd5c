import { bitsText } from "../../elaborate/bits.ts";

/** A bit range right-aligned in the first column of layout and decode tables. */
export const formatBitsColumn = (lsb: number, width: number): string => bitsText(lsb, width).padStart(7);
