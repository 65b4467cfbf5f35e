// Safe, namespace-aware XML reading on top of saxes (strict, xmlns). Everything from outside is hostile until parsed:
// no DTDs at all (so no external entities and no entity expansion bombs), only the five predefined entities and
// numeric character references, and hard limits on input size and element depth.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlCharset } from './charset.ts';
import { decodeXml, sniffDeclaration } from './decode.ts';
import { XMLNS_NS, attributeKey, type XmlElement, type XmlNode } from './element.ts';
import { readCommonXml } from './fast-read.ts';
import { XmlError } from './xml-error.ts';

export { XmlError } from './xml-error.ts';

export interface XmlReadOptions {
  /** File or message name, used in every error. */
  label: string;
  /** Largest accepted input in bytes (UTF-16 code units for string input). Default 64 MiB. */
  maxBytes?: number;
  /** Deepest accepted element nesting (the root is depth 1). Default 64. */
  maxDepth?: number;
  /**
   * Encoding stated outside the document (e.g. SBDH `BinaryContent encoding="ISO-8859-1"`). Used when the document
   * has neither a byte-order mark nor an `encoding=` in its declaration.
   */
  encodingHint?: string;
}

export interface XmlDocument {
  readonly root: XmlElement;
  /** Charset the bytes were decoded with; for string input, the declared encoding or 'UTF-8'. */
  readonly encoding: string;
  readonly hadDeclaration: boolean;
}

export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

interface OpenElement {
  readonly name: string;
  readonly ns: string;
  readonly prefix: string;
  readonly attributes: Map<string, string>;
  readonly children: XmlNode[];
  readonly line: number;
  namespaces?: Map<string, string>;
}

/** Signals a rule violation raised inside a saxes callback; caught and rethrown as-is by readXml. */
class Rejected extends Error {
  constructor(readonly error: XmlError) {
    super(error.message);
  }
}

/**
 * Decodes bytes (BOM; declaration encoding UTF-8 | ISO-8859-1 | windows-1252; no declaration: the hint, else UTF-8
 * if valid, else windows-1252) and parses. Rejects DOCTYPE/DTD and any entity other than the five predefined ones and
 * numeric character references, with an XmlError naming the label and the location.
 */
export function readXml(input: Uint8Array | string, options: XmlReadOptions): XmlDocument {
  const { label } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (input.length > maxBytes) {
    throw new XmlError(label, '/', `document is ${input.length} bytes; the limit is ${maxBytes}`);
  }

  let text: string;
  let encoding: XmlCharset | string;
  let hadDeclaration: boolean;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    const declaration = sniffDeclaration(text);
    [encoding, hadDeclaration] = [declaration.encoding ?? 'UTF-8', declaration.hadDeclaration];
  } else {
    ({ text, encoding, hadDeclaration } = decodeXml(input, label, options.encodingHint));
  }
  // The plain shape almost every message has is read in one fast pass; anything else — and every error — goes
  // through saxes, which alone decides what is malformed and where (see fast-read.ts).
  const root = readCommonXml(text, maxDepth) ?? parseXmlText(text, label, maxDepth);
  return { root, encoding, hadDeclaration };
}

/** The full reader (saxes) on decoded text; readXml uses it whenever the fast path declines. */
export function parseXmlText(text: string, label: string, maxDepth: number): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  let startLine = 1;

  // Built only for an error: an open element's position among its same-named siblings is the number of those
  // already closed in its parent, plus one.
  const here = (): string => {
    let path = '';
    for (let depth = 0; depth < stack.length; depth++) {
      const open = stack[depth]!;
      const name = open.prefix ? `${open.prefix}:${open.name}` : open.name;
      const before = (stack[depth - 1]?.children ?? []).filter(
        (c) => 'name' in c && c.name === open.name && c.ns === open.ns,
      ).length;
      path += `/${name}${before > 0 ? `[${before + 1}]` : ''}`;
    }
    return path;
  };
  const reject = (problem: string, line = parser.line): never => {
    throw new Rejected(new XmlError(label, stack.length ? here() : '/', problem, line));
  };

  parser.on('doctype', () =>
    reject('DOCTYPE declarations are not allowed (no DTDs, no external or custom entities); remove the <!DOCTYPE …>'),
  );
  parser.on('error', (error) => {
    // saxes prefixes its messages with "line:column: "; the location goes into our own fields instead.
    const problem = error.message.replace(/^\d+:\d+:\s*/, '');
    const hint = /undefined entity/i.test(problem)
      ? ' (only &lt; &gt; &amp; &quot; &apos; and numeric character references are allowed)'
      : '';
    reject(problem + hint);
  });
  parser.on('opentagstart', () => {
    // The opentag event fires at the closing '>', which may be lines later; this one fires just after the name. When
    // the name was ended by a line break, saxes has already counted that line.
    startLine = parser.column === 0 ? parser.line - 1 : parser.line;
    if (stack.length + 1 > maxDepth) reject(`elements are nested deeper than the limit of ${maxDepth}`);
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes = new Map<string, string>();
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.uri === XMLNS_NS) continue;
      attributes.set(attributeKey(attribute.local, attribute.uri), attribute.value);
    }
    const open: OpenElement = {
      name: tag.local,
      ns: tag.uri,
      prefix: tag.prefix,
      attributes,
      children: [],
      line: startLine,
    };
    // saxes chains `ns` objects through their prototypes: own keys are the declarations written on this tag.
    const declared = Object.keys(tag.ns);
    if (declared.length) open.namespaces = new Map(declared.map((prefix) => [prefix, tag.ns[prefix]!]));
    stack.push(open);
  });
  const addText = (value: string): void => {
    const open = stack[stack.length - 1];
    if (!open) return; // whitespace between prolog items; saxes rejects anything else outside the root
    const last = open.children[open.children.length - 1];
    // Adjacent text and CDATA sections are one run of characters; keeping them merged makes trees comparable.
    if (last && 'text' in last) open.children[open.children.length - 1] = { text: last.text + value };
    else open.children.push({ text: value });
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const open = stack.pop()!;
    const element: XmlElement = {
      name: open.name,
      ns: open.ns,
      prefix: open.prefix,
      attributes: open.attributes,
      children: open.children,
      line: open.line,
      ...(open.namespaces ? { namespaces: open.namespaces } : {}),
    };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else root = element;
  });

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof Rejected) throw error.error;
    throw error;
  }
  if (!root) throw new XmlError(label, '/', 'no root element');
  return root;
}
