// The FHIR narrative rules (R4 txt-1 / txt-2, FHIRPath `htmlChecks()` on Narrative.div), checked in one pass over
// the XHTML text: a well-formed document whose single root is a `div`; only the basic HTML formatting elements and
// attributes the narrative rules allow (no scripts, forms, event handlers or namespace prefixes; `xmlns` only as the
// XHTML namespace); only the five XML entities and legal character references; no comments outside the root, no
// processing instructions, DOCTYPEs or CDATA sections; and some non-whitespace content (text or an image).
// Every narrative of every resource of every message passes through here, which is why it is not left to the
// FHIRPath engine; test/validation/narrative.test.ts holds it against the engine's htmlChecks() on the R4 examples.

const ELEMENTS = new Set(
  (
    'p br div h1 h2 h3 h4 h5 h6 a span b em i strong small big tt dfn q var abbr acronym cite blockquote hr ' +
    'address bdo kbd sub sup ul ol li dl dt dd pre table caption colgroup col thead tr tfoot tbody th td code samp img'
  ).split(' '),
);

/** Attributes allowed on any element (the table attributes are global in R4's txt-1 as well). */
const ATTRIBUTES = new Set(
  (
    'title style class id lang dir accesskey tabindex xmlns ' +
    'span align valign char charoff abbr axis headers scope rowspan colspan'
  ).split(' '),
);

const ELEMENT_ATTRIBUTES = new Set(
  (
    'a.href a.name img.src img.border img.alt img.longdesc img.height img.width blockquote.cite q.cite ' +
    'table.summary table.width table.border table.frame table.rules table.cellspacing table.cellpadding ' +
    'col.width colgroup.width th.width td.width td.nowrap'
  ).split(' '),
);

const ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const XHTML = 'http://www.w3.org/1999/xhtml';

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;
const isNameStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isNameChar = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 95 || c === 46;

/** A code point XML 1.0 allows in a document. */
function isXmlChar(cp: number): boolean {
  return (
    cp === 9 ||
    cp === 10 ||
    cp === 13 ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

export function isValidNarrative(text: string): boolean {
  const scanner = new Scanner(text);
  return scanner.document();
}

class Scanner {
  private i = 0;
  private readonly stack: string[] = [];
  private rootSeen = false;
  private hasContent = false;

  constructor(private readonly text: string) {}

  document(): boolean {
    const text = this.text;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (c === 60 /* < */) {
        if (!this.markup()) return false;
      } else if (this.stack.length === 0) {
        // Outside the root only whitespace may appear.
        if (!isSpace(c)) return false;
        this.i++;
      } else if (!this.characterData()) return false;
    }
    return this.stack.length === 0 && this.rootSeen && this.hasContent;
  }

  /** Text inside the root, up to the next markup; ordinary characters are taken in one tight loop. */
  private characterData(): boolean {
    const text = this.text;
    let i = this.i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Printable ASCII other than < & ] and the BMP below the surrogates need no further checks.
      if (c >= 0x20 && c < 0xd800 && c !== 60 && c !== 38 && c !== 93) {
        if (c !== 32) this.hasContent = true;
      } else if (c === 10 || c === 9 || c === 13) {
        continue;
      } else break;
    }
    this.i = i;
    if (i >= text.length || text.charCodeAt(i) === 60) return true;
    return this.specialCharacter();
  }

  /** One character that needs a closer look: a reference, `]`, a control character, a surrogate pair. */
  private specialCharacter(): boolean {
    const text = this.text;
    const c = text.charCodeAt(this.i);
    if (c === 38 /* & */) {
      const end = this.reference(this.i);
      if (end < 0) return false;
      this.hasContent = true;
      this.i = end;
      return true;
    }
    if (c === 93 /* ] */ && text.startsWith(']]>', this.i)) return false;
    const width = this.charWidth(this.i);
    if (width < 0) return false;
    if (!isSpace(c)) this.hasContent = true;
    this.i += width;
    return true;
  }

  /** UTF-16 units of the legal XML character at `at`, or -1. */
  private charWidth(at: number): number {
    const cp = this.text.codePointAt(at)!;
    if (!isXmlChar(cp)) return -1;
    return cp > 0xffff ? 2 : 1;
  }

  /** `&name;` or `&#…;` starting at `at`; returns the index after `;`, or -1. */
  private reference(at: number): number {
    const text = this.text;
    const semi = text.indexOf(';', at + 1);
    if (semi < 0) return -1;
    const body = text.slice(at + 1, semi);
    if (body.startsWith('#')) {
      const hex = body.startsWith('#x');
      const digits = body.slice(hex ? 2 : 1);
      if (digits.length === 0 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return -1;
      const cp = parseInt(digits, hex ? 16 : 10);
      return isXmlChar(cp) ? semi + 1 : -1;
    }
    return ENTITIES.has(body) ? semi + 1 : -1;
  }

  private markup(): boolean {
    const text = this.text;
    if (text.startsWith('<!--', this.i)) return this.comment();
    const next = text.charCodeAt(this.i + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) return false; // DOCTYPE, CDATA, processing instructions
    if (next === 47 /* / */) return this.endTag();
    return this.startTag();
  }

  private comment(): boolean {
    if (this.stack.length === 0) return false;
    const text = this.text;
    const end = text.indexOf('-->', this.i + 4);
    if (end < 0) return false;
    const body = text.slice(this.i + 4, end);
    if (body.includes('--') || body.endsWith('-')) return false;
    for (let at = this.i + 4; at < end;) {
      const width = this.charWidth(at);
      if (width < 0) return false;
      at += width;
    }
    this.i = end + 3;
    return true;
  }

  private name(): string | undefined {
    const text = this.text;
    const start = this.i;
    if (!isNameStart(text.charCodeAt(start))) return undefined;
    while (this.i < text.length && isNameChar(text.charCodeAt(this.i))) this.i++;
    return text.slice(start, this.i);
  }

  private skipSpace(): boolean {
    const start = this.i;
    while (this.i < this.text.length && isSpace(this.text.charCodeAt(this.i))) this.i++;
    return this.i > start;
  }

  private endTag(): boolean {
    this.i += 2;
    const name = this.name();
    this.skipSpace();
    if (name === undefined || this.text.charCodeAt(this.i) !== 62 /* > */) return false;
    if (this.stack.pop() !== name) return false;
    this.i++;
    return true;
  }

  private startTag(): boolean {
    const text = this.text;
    this.i++;
    const name = this.name();
    if (name === undefined || !ELEMENTS.has(name)) return false;
    if (this.stack.length === 0) {
      if (this.rootSeen || name !== 'div') return false;
      this.rootSeen = true;
    }
    const seen: string[] = [];
    for (;;) {
      const spaced = this.skipSpace();
      const c = text.charCodeAt(this.i);
      if (c === 62 /* > */) {
        this.i++;
        this.stack.push(name);
        break;
      }
      if (c === 47 /* / */) {
        if (text.charCodeAt(this.i + 1) !== 62) return false;
        this.i += 2;
        break;
      }
      if (!spaced) return false;
      const attribute = this.name();
      if (attribute === undefined || seen.includes(attribute)) return false;
      if (!ATTRIBUTES.has(attribute) && !ELEMENT_ATTRIBUTES.has(`${name}.${attribute}`)) return false;
      seen.push(attribute);
      this.skipSpace();
      if (text.charCodeAt(this.i) !== 61 /* = */) return false;
      this.i++;
      this.skipSpace();
      const value = this.attributeValue();
      if (value === undefined) return false;
      if (attribute === 'xmlns' && value !== XHTML) return false;
    }
    if (name === 'img' && seen.includes('src')) this.hasContent = true;
    return true;
  }

  /** A quoted attribute value (raw text between the quotes), or undefined when malformed. */
  private attributeValue(): string | undefined {
    const text = this.text;
    const quote = text.charCodeAt(this.i);
    if (quote !== 34 && quote !== 39) return undefined;
    const start = ++this.i;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (c >= 0x20 && c < 0xd800 && c !== quote && c !== 60 && c !== 38) {
        this.i++;
        continue;
      }
      if (c === quote) {
        const value = text.slice(start, this.i);
        this.i++;
        return value;
      }
      if (c === 60 /* < */) return undefined;
      if (c === 38 /* & */) {
        const end = this.reference(this.i);
        if (end < 0) return undefined;
        this.i = end;
        continue;
      }
      const width = this.charWidth(this.i);
      if (width < 0) return undefined;
      this.i += width;
    }
    return undefined;
  }
}
