/**
 * A printer for the data literals of generated modules in prettier's style (printWidth 110, two
 * spaces, trailing commas): a literal is printed on one line when it fits, else one entry per
 * line, and object literals written expanded stay expanded, as prettier keeps them. It covers the
 * shapes the layout emitter prints; test/golden/prettier-idempotence.test.ts holds it to prettier.
 */

export const WIDTH = 110;

/** A value: code printed as it is, an object (entries; `expand` forces one per line) or an array. */
export type Val = string | { readonly o: readonly (readonly [string, Val])[]; readonly expand?: boolean } | { readonly a: readonly Val[] };

export const obj = (o: readonly (readonly [string, Val])[], expand = false): Val => ({ o, expand });
export const arr = (a: readonly Val[]): Val => ({ a });

/** The value on one line, or undefined when something in it must break. */
function flat(v: Val): string | undefined {
  if (typeof v === "string") return v;
  if ("a" in v) {
    // prettier breaks an array of several objects (or arrays) that each have more than one entry.
    const big = (x: Val) => typeof x !== "string" && ("a" in x ? x.a.length > 1 : x.o.length > 1);
    if (v.a.length > 1 && (v.a.every((x) => typeof x !== "string" && "o" in x && big(x)) || v.a.every((x) => typeof x !== "string" && "a" in x && big(x)))) return undefined;
    const parts = v.a.map(flat);
    return parts.some((p) => p === undefined) ? undefined : `[${parts.join(", ")}]`;
  }
  if (v.expand && v.o.length) return undefined;
  if (!v.o.length) return "{}";
  const parts = v.o.map(([k, x]) => {
    const f = flat(x);
    return f === undefined ? undefined : `${k}: ${f}`;
  });
  return parts.some((p) => p === undefined) ? undefined : `{ ${parts.join(", ")} }`;
}

/**
 * Lines of `head` + value + `tail` at indentation `ind` (spaces). `key` is set for an object
 * entry: a string value that does not fit moves to the next line unless the key is short,
 * which is prettier's rule for assignments of string literals.
 */
export function print(v: Val, ind: number, head: string, tail: string, key?: string): string[] {
  const pad = " ".repeat(ind);
  const one = flat(v);
  if (one !== undefined && pad.length + head.length + one.length + tail.length <= WIDTH) return [pad + head + one + tail];
  if (typeof v === "string") {
    if (key !== undefined && key.length >= 5 && v.startsWith('"')) return [pad + head.trimEnd(), " ".repeat(ind + 2) + v + tail];
    return [pad + head + v + tail];
  }
  if ("a" in v) {
    if (!v.a.length) return [pad + head + "[]" + tail];
    return [pad + head + "[", ...v.a.flatMap((x) => print(x, ind + 2, "", ",")), pad + "]" + tail];
  }
  return [pad + head + "{", ...v.o.flatMap(([k, x]) => print(x, ind + 2, `${k}: `, ",", k)), pad + "}" + tail];
}

/** True when every line fits, or is one prettier leaves long (a comment, or an entry of one string). */
export function fitsWidth(text: string): boolean {
  // Lines are found in place and only a long one is cut out: a module can have a million lines.
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    if (end - start > WIDTH) {
      const t = text.slice(start, end).trimStart();
      const prettierKeeps = t.startsWith("*") || t.startsWith("/*") || t.startsWith("//") || /^(?:[A-Za-z_$][\w$]*: )?"(?:[^"\\]|\\.)*",?$/.test(t);
      if (!prettierKeeps) return false;
    }
    start = end + 1;
  }
  return true;
}
