/** Words no spec name may take, because some target language reserves them. */
const TS = `break case catch class const continue debugger default delete do else enum export extends false
finally for function if import in instanceof new null return super switch this throw true try typeof var void
while with as implements interface let package private protected public static yield any boolean number string
symbol type from of async await never unknown undefined NaN Infinity arguments eval`;
const C = `auto break case char const continue default do double else enum extern float for goto if inline int
long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while
_Bool _Complex _Imaginary _Alignas _Alignof _Atomic _Generic _Noreturn _Static_assert _Thread_local bool true false
uint8_t uint16_t uint32_t uint64_t int8_t int16_t int32_t int64_t NULL`;
const PROMELA = `active assert atomic bit bool break byte chan d_step D_proctype do else empty enabled fi full goto
hidden if init int len mtype nempty never nfull od of pc_value printf priority proctype provided run short skip
timeout typedef unless unsigned xr xs true false`;
/** Names that would reach an object's prototype machinery or clash with generated members. */
const OBJECT = `__proto__ constructor prototype toString valueOf hasOwnProperty isPrototypeOf propertyIsEnumerable
toLocaleString __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__`;

const table = new Map<string, string>();
for (const [lang, words] of [
  ["TypeScript", TS],
  ["C", C],
  ["Promela", PROMELA],
  ["JavaScript objects", OBJECT],
] as const) {
  for (const w of words.split(/\s+/)) if (w && !table.has(w)) table.set(w, lang);
}

/** The language that reserves `name`, if any. */
export function reservedBy(name: string): string | undefined {
  return table.get(name);
}
