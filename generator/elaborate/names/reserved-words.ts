/**
 * Words each output language reserves, and what hwspec does about them. Which languages a spec
 * reaches is a fact of its kind (`reaches` of its kind plugin); a name is measured
 * only against those. docs/spec-format.md ("Reserved words") states the rules for users.
 */

/** Every language some spec kind is turned into. */
export type TargetLanguage = "TypeScript" | "C" | "Promela" | "Mermaid" | "DOT";

const words = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

/**
 * Names that cannot be a binding (`export const`, `function`, a parameter) in a strict ES module:
 * reserved words, strict-mode and module reserved words, the two restricted names, and the names
 * TypeScript's CommonJS output reserves at module level. Property keys may be any of them.
 */
const TS_BINDING = words(`break case catch class const continue debugger default delete do else enum export extends
false finally for function if import in instanceof new null return super switch this throw true try typeof var void
while with implements interface let package private protected public static yield await arguments eval require exports`);

/** Names TypeScript refuses as a type name: a machine enum is a value and a type of one name. */
const TS_TYPE = words(`any unknown never number bigint boolean string symbol object undefined`);

/**
 * Names a generated header cannot declare: C11 and C23 keywords, C++ keywords (headers open
 * `extern "C"` for C++ users), GNU `asm`, the identifiers the headers' own includes define
 * (`<stdbool.h>`, `<stdint.h>`, matched below), `NULL`, and the macros GCC predefines in its
 * default GNU modes (`-std=gnu11` defines `linux` and `unix` as 1).
 */
const C_WORDS = words(`auto break case char const continue default do double else enum extern float for goto if inline
int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while
_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local
_BitInt _Decimal32 _Decimal64 _Decimal128 alignas alignof bool constexpr false nullptr static_assert thread_local true
typeof typeof_unqual
and and_eq asm bitand bitor catch char8_t char16_t char32_t class compl concept consteval constinit const_cast co_await
co_return co_yield decltype delete dynamic_cast explicit export friend mutable namespace new noexcept not not_eq operator
or or_eq private protected public reinterpret_cast requires static_cast template this throw try typeid typename using
virtual wchar_t xor xor_eq
__bool_true_false_are_defined NULL linux unix i386`);
const C_STDINT = new RegExp(
  [
    String.raw`u?int(8|16|32|64|_least(8|16|32|64)|_fast(8|16|32|64)|ptr|max)_t`,
    String.raw`U?INT(8|16|32|64|_LEAST(8|16|32|64)|_FAST(8|16|32|64)|PTR|MAX)_(MIN|MAX|C)`,
    String.raw`(PTRDIFF|SIG_ATOMIC|WCHAR|WINT)_(MIN|MAX)|SIZE_MAX`,
  ]
    .map((p) => `^(${p})$`)
    .join("|"),
);

const STDINT_ENDING = /(_t|_C|_MIN|_MAX)$/;

/** Promela's keywords and predefined names (spin 6): every generated identifier carries a prefix, so none can be one. */
const PROMELA = words(`active assert atomic bit bool break byte chan d_step D_proctype do else empty enabled eval fi full
goto hidden if init inline int len local ltl mtype nempty never nfull notrace od of pc_value print printf printm
priority proctype provided run select short show skip timeout trace typedef unless unsigned xr xs true false
_ _last _nr_pr _pid _priority np_`);
/** Words of Mermaid's flowchart grammar that would end or restyle a statement if used as an id. */
const MERMAID = words(`end graph flowchart subgraph style classDef class click linkStyle direction call href default interpolate`);
/** DOT's keywords (case-insensitive in DOT). */
const DOT = words(`node edge graph digraph subgraph strict`);

/**
 * Names that reach JavaScript's object machinery when used as an object key or read as a
 * property of a plain object: `{ __proto__: x }` sets the prototype, `p.toString` is always
 * defined. Every kind reaches TypeScript, where spec names are object keys, so these are refused.
 */
const OBJECT_MACHINERY = words(`__proto__ constructor prototype toString valueOf hasOwnProperty isPrototypeOf
propertyIsEnumerable toLocaleString __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__`);

/** Whether `name` is reserved in `lang` (as a bare identifier there). */
export function reservedIn(lang: TargetLanguage, name: string): boolean {
  switch (lang) {
    case "TypeScript":
      return TS_BINDING.has(name);
    case "C":
      // Every <stdint.h> name ends in _t, _C, _MIN or _MAX: most identifiers skip the pattern.
      return C_WORDS.has(name) || (STDINT_ENDING.test(name) && C_STDINT.test(name));
    case "Promela":
      return PROMELA.has(name);
    case "Mermaid":
      return MERMAID.has(name);
    case "DOT":
      return DOT.has(name.toLowerCase());
  }
}

/** Every start and every end of a C word (the empty string and the word itself included). */
const C_WORD_STARTS = new Set<string>();
const C_WORD_ENDS = new Set<string>();
for (const w of C_WORDS) {
  for (let i = 0; i <= w.length; i++) {
    C_WORD_STARTS.add(w.slice(0, i));
    C_WORD_ENDS.add(w.slice(i));
  }
}
/** The last characters of the <stdint.h> endings (_t, _C, _MIN, _MAX). */
const STDINT_LAST = new Set([..."tCNX"].map((c) => c.charCodeAt(0)));

/**
 * `reservedIn("C", head + tail)`, building the identifier only when it can be reserved: a C word
 * it spells starts with `head` and ends with `tail`, and a <stdint.h> name ends in one of four
 * letters. Most built identifiers (`<REG>_<FIELD>` + `_SHIFT`) are settled by two lookups of
 * strings that already exist.
 */
export function reservedInCJoined(head: string, tail: string): boolean {
  const last = tail.length ? tail.charCodeAt(tail.length - 1) : head.charCodeAt(head.length - 1);
  if (!STDINT_LAST.has(last) && !(C_WORD_STARTS.has(head) && C_WORD_ENDS.has(tail))) return false;
  return reservedIn("C", head + tail);
}

/** Whether `name` is reserved as a TypeScript type name (and so cannot name a type). */
export const reservedAsTsType = (name: string): boolean => TS_BINDING.has(name) || TS_TYPE.has(name);

/**
 * Why a spec name is refused outright in a spec of a kind reaching `reaches`, or undefined.
 * Keywords are never refused: each language's naming renames them (names/rename.ts). Only the
 * object-machinery names are, where TypeScript is reached, because there spec names are keys.
 */
export function refusedIn(reaches: readonly TargetLanguage[], name: string): string | undefined {
  return reaches.includes("TypeScript") && OBJECT_MACHINERY.has(name) ? "JavaScript objects" : undefined;
}
