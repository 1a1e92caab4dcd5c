import { SaxesParser } from "saxes";
import type { Loc } from "../../diagnostics.ts";

/** An XML attribute with where its name starts. */
export interface XmlAttr {
  value: string;
  loc: Loc;
}

/** An element of the document: its start tag's position, attributes, child elements and text. */
export interface XmlElement {
  name: string;
  loc: Loc;
  attrs: ReadonlyMap<string, XmlAttr>;
  /** Never pushed to from outside this module: elements without children share one empty array. */
  children: XmlElement[];
  /** Concatenated character data directly inside the element (CDATA included), from its first character that is not white space. */
  text: string;
  /**
   * What a reader made of the element when it closed (svd/read.ts); the reader then drops the
   * children, so a document is never alive as a whole tree while it is read.
   */
  model?: unknown;
}

/**
 * Told of each element as the document is read, in document order: `open` once its start tag
 * and attributes are read and it is in its parent's children, `close` once its end tag is read.
 */
export interface XmlHandler {
  open(el: XmlElement, parent: XmlElement | undefined): void;
  close(el: XmlElement): void;
}

/** Tells `handler` of every element of a tree already read, as readXml would have while reading it. */
export function replayXml(root: XmlElement, handler: XmlHandler): void {
  const walk = (el: XmlElement, parent: XmlElement | undefined) => {
    handler.open(el, parent);
    for (const c of el.children) walk(c, el);
    handler.close(el);
  };
  walk(root, undefined);
}

/** Bounds that keep a hostile or broken document from taking unbounded time or memory. */
export interface XmlLimits {
  /** Characters of input. */
  maxChars: number;
  /** Nesting depth of elements. */
  maxDepth: number;
  /** Elements in the whole document. */
  maxElements: number;
}

/** SVD nests about ten levels (device, peripherals, peripheral, registers, cluster…, register, fields, field, enumeratedValues, enumeratedValue). */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxChars: 64 * 1024 * 1024, maxDepth: 64, maxElements: 4_000_000 };

/** The attributes of every element that has none (most of an SVD): one shared, empty map. */
const NO_ATTRS: ReadonlyMap<string, XmlAttr> = new Map();
/** The children of every element that has none (most of an SVD): one shared array, replaced on the first child. */
export const NO_CHILDREN: XmlElement[] = [];

/**
 * saxes stores each handler as a property added by `on()` under a computed key; past about seven
 * of them V8 turns the parser object into a hash table, and every read of its position and
 * buffer fields in the per-character loop becomes a lookup (a plain parse took 5× as long with
 * the nine handlers below). Declaring the handler slots up front keeps the object's shape fixed.
 */
/** saxes's handler slots (private in its typings). */
interface HandlerSlots {
  xmldeclHandler: unknown;
  textHandler: unknown;
  piHandler: unknown;
  doctypeHandler: unknown;
  commentHandler: unknown;
  openTagStartHandler: unknown;
  attributeHandler: unknown;
  openTagHandler: unknown;
  closeTagHandler: unknown;
  cdataHandler: unknown;
  errorHandler: unknown;
  endHandler: unknown;
  readyHandler: unknown;
}

class FixedShapeSaxesParser extends SaxesParser<{ position: true; fileName: string }> {
  constructor(opt: { position: true; fileName: string }) {
    super(opt);
    // Named stores, in a fixed order: each adds a slot with a shared transition, unlike on()'s keyed store.
    const slots = this as unknown as HandlerSlots;
    slots.xmldeclHandler = undefined;
    slots.textHandler = undefined;
    slots.piHandler = undefined;
    slots.doctypeHandler = undefined;
    slots.commentHandler = undefined;
    slots.openTagStartHandler = undefined;
    slots.attributeHandler = undefined;
    slots.openTagHandler = undefined;
    slots.closeTagHandler = undefined;
    slots.cdataHandler = undefined;
    slots.errorHandler = undefined;
    slots.endHandler = undefined;
    slots.readyHandler = undefined;
  }
}

/**
 * An element as the parser makes it: its Loc is made when first read. Most elements of an SVD are
 * leaves whose position no diagnostic or model item ever takes, and a Loc object for each of them
 * was a good part of what the read allocated.
 */
class ReadElement implements XmlElement {
  attrs: ReadonlyMap<string, XmlAttr> = NO_ATTRS;
  children: XmlElement[] = NO_CHILDREN;
  text = "";
  model: unknown = undefined;
  private at: Loc | undefined = undefined;

  constructor(
    readonly name: string,
    private readonly file: string,
    private readonly line: number,
    private readonly col: number,
  ) {}

  get loc(): Loc {
    return (this.at ??= { file: this.file, line: this.line, col: this.col, pointer: "" });
  }
}

export class XmlRefused extends Error {
  constructor(
    readonly loc: Loc,
    message: string,
  ) {
    super(message);
    this.name = "XmlRefused";
  }
}

/**
 * Reads `text` into an element tree with a position for every element and attribute. Hostile
 * input stays inert: a DOCTYPE (and with it every DTD, external entity and entity definition) is
 * refused outright, so nothing is fetched and no entity can expand; a reference to any entity but
 * the five XML predefines is an error; depth, element count and size are bounded. Every refusal
 * is an XmlRefused carrying the position it was found at. Positions are 1-based; a column counts
 * UTF-16 code units from the start of its line.
 */
export function readXml(text: string, file: string, limits: XmlLimits = DEFAULT_XML_LIMITS, handler?: XmlHandler): XmlElement {
  const loc = (line: number, col: number): Loc => ({ file, line, col, pointer: "" });
  if (text.length > limits.maxChars) throw new XmlRefused(loc(1, 1), `the document is ${text.length} characters long, more than the limit of ${limits.maxChars}`);
  // Start offsets of lines, found when an attribute first needs its line's text: a split of the
  // whole document would keep a string per line alive for the whole parse.
  let starts: number[] | undefined;
  const textOfLine = (line: number): string => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    if (line < 1 || line > starts.length) return "";
    return text.slice(starts[line - 1], line < starts.length ? starts[line]! - 1 : text.length);
  };
  const parser = new FixedShapeSaxesParser({ position: true, fileName: file });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let opening: XmlElement | undefined;
  // What the handler throws is its own, passed on as it is rather than taken for a parse error.
  let handlerError: unknown;
  const tell = (f: () => void) => {
    try {
      f();
    } catch (e) {
      handlerError = e;
      throw e;
    }
  };
  let openingAttrs: Map<string, XmlAttr> | undefined;

  parser.on("doctype", () => {
    // Report at the declaration itself rather than where saxes finished reading it.
    const at = text.indexOf("<!DOCTYPE");
    const before = at < 0 ? "" : text.slice(0, at);
    const line = before.split("\n").length;
    const col = at < 0 ? parser.column : at - before.lastIndexOf("\n");
    throw new XmlRefused(loc(line, col), "DOCTYPE declarations are refused: an SVD file needs no DTD, and a DTD is how external entities (XXE) and entity expansion (billion laughs) get in");
  });
  parser.on("processinginstruction", (pi) => {
    throw new XmlRefused(loc(parser.line, parser.column), `processing instruction <?${pi.target}?> is not part of an SVD file`);
  });
  parser.on("opentagstart", (tag) => {
    if (++elements > limits.maxElements) throw new XmlRefused(loc(parser.line, parser.column), `more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) throw new XmlRefused(loc(parser.line, parser.column), `elements nest deeper than ${limits.maxDepth} levels`);
    // saxes reports the position just after the name and the character that ended it.
    opening = new ReadElement(tag.name, file, parser.line, Math.max(1, parser.column - tag.name.length - 1));
    openingAttrs = undefined;
  });
  parser.on("attribute", (a) => {
    const el = opening!;
    // saxes reports the end of the value; find the name on that line, searching back from there.
    const lineText = textOfLine(parser.line);
    const re = new RegExp(`(?:^|\\s)(${a.name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})\\s*=`, "g");
    let col = el.loc.col;
    let line = parser.line;
    let m: RegExpExecArray | null;
    let found = false;
    while ((m = re.exec(lineText)) && m.index < parser.column) {
      col = m.index + m[0].indexOf(m[1]!) + 1;
      found = true;
    }
    if (!found) line = el.loc.line;
    if (el.attrs.has(a.name)) throw new XmlRefused(loc(line, col), `attribute ${a.name} is repeated`);
    if (!openingAttrs) el.attrs = openingAttrs = new Map();
    openingAttrs.set(a.name, { value: a.value, loc: loc(line, col) });
  });
  parser.on("opentag", () => {
    const el = opening!;
    opening = undefined;
    const parent = stack.length ? stack[stack.length - 1]! : undefined;
    if (!parent) root = el;
    else if (parent.children === NO_CHILDREN) parent.children = [el];
    else parent.children.push(el);
    stack.push(el);
    if (handler) tell(() => handler.open(el, parent));
  });
  parser.on("closetag", () => {
    const el = stack.pop()!;
    if (handler) tell(() => handler.close(el));
  });
  // White space before an element's first other character is dropped: every reader of `text`
  // trims it, and the line breaks between child elements would otherwise make a string per
  // container element (most of an SVD) that nothing reads.
  const onText = (t: string) => {
    if (!stack.length) return;
    const el = stack[stack.length - 1]!;
    if (el.text) el.text += t;
    else if (/\S/.test(t)) el.text = t;
  };
  parser.on("text", onText);
  parser.on("cdata", onText);
  parser.on("error", (e) => {
    // saxes prefixes its messages with file:line:col; keep only the message.
    const message = e.message.replace(/^.*?:\d+:\d+: /, "");
    throw new XmlRefused(loc(parser.line, Math.max(1, parser.column)), entityHint(message));
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof XmlRefused || (handlerError !== undefined && e === handlerError)) throw e;
    throw new XmlRefused(loc(parser.line, Math.max(1, parser.column)), `not well-formed XML: ${(e as Error).message}`);
  }
  if (!root) throw new XmlRefused(loc(1, 1), "the document has no root element");
  return root;
}

/** saxes says "undefined entity"; say why it stays undefined. */
function entityHint(message: string): string {
  if (/undefined entity/i.test(message)) return `${message.replace(/\.$/, "")}: only the five XML entities (&amp; &lt; &gt; &quot; &apos;) and character references are accepted; other entities are never defined or expanded`;
  return `not well-formed XML: ${message}`;
}
