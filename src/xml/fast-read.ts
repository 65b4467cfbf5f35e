// A one-pass reader for the plain shape nearly every real message has — ASCII names, the five predefined entities,
// numeric character references, comments, CDATA, an XML 1.0 declaration — producing exactly the tree the full
// (saxes) reader builds. It never decides that a document is malformed: at anything outside that shape it returns
// undefined and readXml hands the text to saxes, which then accepts it or reports the error with its location. So
// the rules here only need to be strict enough never to accept what saxes would reject, and conservative where in
// doubt (DOCTYPE, processing instructions, raw tabs/newlines in attribute values, non-ASCII names → saxes).
//
// Why it exists: saxes spent ~100 µs on a 2.7 kB XDIS91 letter, half the budget of a whole OIOXML → FHIR conversion
// (bench/conversion.ts); this reader needs a fraction of that. test/xml/fast-read.test.ts checks both paths against
// each other on generated and mutated documents.
import { XML_NS, XMLNS_NS, attributeKey, type XmlElement, type XmlNode } from './element.ts';

interface Open {
  readonly qname: string;
  readonly name: string;
  readonly ns: string;
  readonly prefix: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: XmlNode[];
  readonly line: number;
  readonly namespaces: Map<string, string> | undefined;
  /** Prefix bindings in scope (own declarations over the parent's). */
  readonly scope: ReadonlyMap<string, string>;
}

// Characters XML 1.0 forbids anywhere (raw); lone surrogates included.
const FORBIDDEN_CHAR =
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NAME = /[A-Za-z_][A-Za-z0-9._-]*(?::[A-Za-z_][A-Za-z0-9._-]*)?/y;
const DECLARATION =
  /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(?:"1\.0"|'1\.0')(?:[ \t\n]+encoding[ \t\n]*=[ \t\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone[ \t\n]*=[ \t\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*\?>/y;
const REFERENCE = /&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));/y;
const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', XML_NS]]);
// Most elements of a letter have no attributes: they share these instead of allocating empty ones (trees are
// read-only, see element.ts).
const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();
const NO_RAW_ATTRIBUTES: readonly [string, string][] = [];

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Replaces the references in `raw`; undefined when one is not a predefined entity or a valid character. */
function expand(raw: string): string | undefined {
  let out = '';
  let from = 0;
  for (let amp = raw.indexOf('&'); amp >= 0; amp = raw.indexOf('&', from)) {
    REFERENCE.lastIndex = amp;
    const match = REFERENCE.exec(raw);
    if (!match) return undefined;
    let value: string;
    if (match[1] !== undefined) value = PREDEFINED[match[1]]!;
    else {
      const cp = match[2] !== undefined ? Number.parseInt(match[2], 10) : Number.parseInt(match[3]!, 16);
      if (!isXmlChar(cp)) return undefined;
      value = String.fromCodePoint(cp);
    }
    out += raw.slice(from, amp) + value;
    from = REFERENCE.lastIndex;
  }
  return out + raw.slice(from);
}

/**
 * The tree of `input` when it is a well-formed document of the plain shape; undefined otherwise (including every
 * malformed document), in which case the caller must use the full parser.
 */
export function readCommonXml(input: string, maxDepth: number): XmlElement | undefined {
  // End-of-line handling (XML 1.0 §2.11) happens before parsing proper; references like &#13; are not affected.
  const text = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  if (FORBIDDEN_CHAR.test(text)) return undefined;
  const length = text.length;
  let pos = 0;
  // Line of `pos`, counted lazily: only start tags need it, and they come in document order.
  let line = 1;
  let counted = 0;
  const lineAt = (at: number): number => {
    for (let nl = text.indexOf('\n', counted); nl >= 0 && nl < at; nl = text.indexOf('\n', nl + 1)) line++;
    counted = at;
    return line;
  };

  if (text.startsWith('<?xml')) {
    DECLARATION.lastIndex = 0;
    if (!DECLARATION.test(text)) return undefined;
    pos = DECLARATION.lastIndex;
  }

  const stack: Open[] = [];
  let root: XmlElement | undefined;

  const addText = (value: string): void => {
    const children = stack[stack.length - 1]!.children;
    const last = children[children.length - 1];
    // Adjacent runs (text, CDATA, text around a comment) form one text node, as in the full reader.
    if (last !== undefined && 'text' in last) children[children.length - 1] = { text: last.text + value };
    else children.push({ text: value });
  };

  while (pos < length) {
    const lt = text.indexOf('<', pos);
    if (lt < 0) {
      // Only whitespace may follow the root element.
      if (stack.length || !isBlank(text, pos, length)) return undefined;
      break;
    }
    if (lt > pos) {
      if (stack.length === 0) {
        if (!isBlank(text, pos, lt)) return undefined;
      } else {
        const raw = text.slice(pos, lt);
        if (raw.includes(']]>')) return undefined;
        const value = raw.includes('&') ? expand(raw) : raw;
        if (value === undefined) return undefined;
        addText(value);
      }
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        // "--" may not occur inside a comment, nor may it end with "-".
        if (end < 0) return undefined;
        if (end > lt + 4 && (text.slice(lt + 4, end).includes('--') || text.charCodeAt(end - 1) === 0x2d)) {
          return undefined;
        }
        pos = end + 3;
        continue;
      }
      if (stack.length > 0 && text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) return undefined;
        addText(text.slice(lt + 9, end));
        pos = end + 3;
        continue;
      }
      return undefined; // DOCTYPE, or CDATA outside the root
    }
    if (next === 0x3f /* ? */) return undefined; // processing instruction (or a misplaced declaration)
    if (next === 0x2f /* / */) {
      const open = stack.pop();
      if (!open) return undefined;
      const after = lt + 2 + open.qname.length;
      if (!text.startsWith(open.qname, lt + 2)) return undefined;
      let p = after;
      while (p < length && isSpace(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 0x3e /* > */) return undefined;
      pos = p + 1;
      const element = close(open);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) return undefined;
      else root = element;
      continue;
    }
    // Start tag.
    if (root || stack.length + 1 > maxDepth) return undefined;
    NAME.lastIndex = lt + 1;
    const nameMatch = NAME.exec(text);
    if (!nameMatch) return undefined;
    const qname = nameMatch[0];
    let p = NAME.lastIndex;
    let raw: [string, string][] | undefined;
    let selfClosing = false;
    for (;;) {
      const spaced = p < length && isSpace(text.charCodeAt(p));
      while (p < length && isSpace(text.charCodeAt(p))) p++;
      const c = text.charCodeAt(p);
      if (c === 0x3e /* > */) {
        p++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (text.charCodeAt(p + 1) !== 0x3e) return undefined;
        p += 2;
        selfClosing = true;
        break;
      }
      if (!spaced) return undefined;
      NAME.lastIndex = p;
      const attributeName = NAME.exec(text);
      if (!attributeName) return undefined;
      p = NAME.lastIndex;
      while (p < length && isSpace(text.charCodeAt(p))) p++;
      if (text.charCodeAt(p) !== 0x3d /* = */) return undefined;
      p++;
      while (p < length && isSpace(text.charCodeAt(p))) p++;
      const quote = text.charCodeAt(p);
      if (quote !== 0x22 && quote !== 0x27) return undefined;
      const end = text.indexOf(quote === 0x22 ? '"' : "'", p + 1);
      if (end < 0) return undefined;
      const rawValue = text.slice(p + 1, end);
      // '<' is forbidden; raw tabs and line breaks would need attribute-value normalisation: left to saxes.
      if (/[<\t\n]/.test(rawValue)) return undefined;
      const value = rawValue.includes('&') ? expand(rawValue) : rawValue;
      if (value === undefined) return undefined;
      (raw ??= []).push([attributeName[0], value]);
      p = end + 1;
    }

    const parentScope = stack.length ? stack[stack.length - 1]!.scope : ROOT_SCOPE;
    const element = open(qname, raw ?? NO_RAW_ATTRIBUTES, parentScope, lineAt(lt));
    if (!element) return undefined;
    pos = p;
    if (selfClosing) {
      const closed = close(element);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(closed);
      else root = closed;
    } else stack.push(element);
  }
  if (stack.length || !root) return undefined;
  return root;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** Resolves names and declarations of a start tag; undefined for anything namespace-irregular. */
function open(
  qname: string,
  raw: readonly [string, string][],
  parentScope: ReadonlyMap<string, string>,
  line: number,
): Open | undefined {
  let namespaces: Map<string, string> | undefined;
  // Most elements have no or one attribute: a Set for the duplicate check only pays off for many.
  const seen = raw.length > 8 ? new Set<string>() : undefined;
  for (let i = 0; i < raw.length; i++) {
    const [name, value] = raw[i]!;
    if (seen) {
      if (seen.has(name)) return undefined;
      seen.add(name);
    } else {
      for (let j = 0; j < i; j++) if (raw[j]![0] === name) return undefined;
    }
    if (name === 'xmlns') {
      if (value === XML_NS || value === XMLNS_NS) return undefined;
      (namespaces ??= new Map()).set('', value);
    } else if (name.startsWith('xmlns:')) {
      const prefix = name.slice(6);
      if (prefix === 'xml' || prefix === 'xmlns' || value === '' || value === XML_NS || value === XMLNS_NS) {
        return undefined;
      }
      (namespaces ??= new Map()).set(prefix, value);
    }
  }
  let scope = parentScope;
  if (namespaces) {
    const own = new Map(parentScope);
    for (const [prefix, uri] of namespaces) own.set(prefix, uri);
    scope = own;
  }
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const name = colon < 0 ? qname : qname.slice(colon + 1);
  if (prefix === 'xml' || prefix === 'xmlns') return undefined;
  const ns = scope.get(prefix);
  if (ns === undefined && prefix !== '') return undefined;

  if (raw.length === 0) {
    return { qname, name, ns: ns ?? '', prefix, attributes: NO_ATTRIBUTES, children: [], line, namespaces, scope };
  }
  const attributes = new Map<string, string>();
  for (const [attributeName, value] of raw) {
    if (attributeName === 'xmlns' || attributeName.startsWith('xmlns:')) continue;
    const c = attributeName.indexOf(':');
    let key: string;
    if (c < 0) key = attributeName;
    else {
      const attributePrefix = attributeName.slice(0, c);
      if (attributePrefix === 'xmlns') return undefined;
      const uri = scope.get(attributePrefix);
      if (uri === undefined || uri === '') return undefined;
      key = attributeKey(attributeName.slice(c + 1), uri);
    }
    // Two prefixes for one namespace can still name the same attribute twice.
    if (attributes.has(key)) return undefined;
    attributes.set(key, value);
  }
  return { qname, name, ns: ns ?? '', prefix, attributes, children: [], line, namespaces, scope };
}

function close(open: Open): XmlElement {
  return {
    name: open.name,
    ns: open.ns,
    prefix: open.prefix,
    attributes: open.attributes,
    children: open.children,
    line: open.line,
    ...(open.namespaces ? { namespaces: open.namespaces } : {}),
  };
}
