// Serialises an XmlElement tree to bytes. Namespaces: prefixes used consistently in the tree are declared once on the
// root; unprefixed elements use the default namespace, switched locally where it changes (FHIR's xhtml `div`).
// Characters the target charset cannot hold become numeric character references, so nothing is ever lost or replaced.
import { canEncode, encodeText, type XmlCharset } from './charset.ts';
import { XML_NS, XSI_NS, isElement, parseAttributeKey, type XmlElement } from './element.ts';

export interface XmlWriteOptions {
  encoding: 'UTF-8' | 'ISO-8859-1' | 'windows-1252';
  declaration: boolean;
  /** Indent element-only content with this string; elements with text (mixed content) are written verbatim. */
  indent?: string;
  /**
   * Elements whose content is written exactly as in the tree even when indenting, because whitespace in them is
   * content (FHIR's xhtml narrative, OIOXML formatted text).
   */
  verbatim?: (element: XmlElement) => boolean;
}

/** Serialises; characters not representable in the encoding become numeric character references. */
export function writeXml(root: XmlElement, options: XmlWriteOptions): Uint8Array {
  return encodeText(serializeXml(root, options), options.encoding);
}

/** The serialised document as a string (already escaped for `options.encoding`). */
export function serializeXml(root: XmlElement, options: XmlWriteOptions): string {
  const writer = new Writer(options.encoding, options.indent, options.verbatim);
  if (options.declaration) writer.out.push(`<?xml version="1.0" encoding="${options.encoding}"?>`, '\n');
  writer.element(root, new Map([['xml', XML_NS]]), rootDeclarations(root), 0);
  if (options.declaration || options.indent !== undefined) writer.out.push('\n');
  return writer.out.join('');
}

const WELL_KNOWN_PREFIXES: ReadonlyMap<string, string> = new Map([[XSI_NS, 'xsi']]);

/** Prefix → namespace bindings that mean the same thing everywhere in the tree, so they can be declared on the root. */
function rootDeclarations(root: XmlElement): Map<string, string> {
  const seen = new Map<string, string | null>(); // null = prefix bound to different namespaces: declare locally
  const note = (prefix: string, ns: string): void => {
    if (!prefix || prefix === 'xml') return;
    const before = seen.get(prefix);
    if (before === undefined) seen.set(prefix, ns);
    else if (before !== ns) seen.set(prefix, null);
  };
  const visit = (e: XmlElement): void => {
    note(e.prefix, e.ns);
    for (const [prefix, ns] of e.namespaces ?? []) note(prefix, ns);
    for (const child of e.children) if (isElement(child)) visit(child);
  };
  visit(root);
  const result = new Map<string, string>();
  for (const [prefix, ns] of seen) if (ns !== null) result.set(prefix, ns);
  return result;
}

const NAME = /^[\p{L}_][\p{L}\p{M}\p{N}_.\-\u00B7\u203F\u2040]*$/u;
// XML 1.0 Char production: what may appear at all, raw or as a character reference.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

class Writer {
  readonly out: string[] = [];

  constructor(
    private readonly charset: XmlCharset,
    private readonly indent: string | undefined,
    private readonly verbatim: ((element: XmlElement) => boolean) | undefined,
  ) {}

  element(
    e: XmlElement,
    scope: ReadonlyMap<string, string>,
    extra: ReadonlyMap<string, string>,
    depth: number,
    inVerbatim = false,
  ): void {
    // Copied only when this element declares something; most elements just inherit the scope.
    let local: Map<string, string> | ReadonlyMap<string, string> = scope;
    const declarations: [string, string][] = [];
    const declare = (prefix: string, ns: string): void => {
      if ((local.get(prefix) ?? '') === ns) return;
      const copy = local === scope ? new Map(scope) : (local as Map<string, string>);
      copy.set(prefix, ns);
      local = copy;
      declarations.push([prefix, ns]);
    };

    if (e.prefix) declare(e.prefix, e.ns);
    else declare('', e.ns);
    for (const [prefix, ns] of extra) if (prefix !== e.prefix) declare(prefix, ns);
    for (const [prefix, ns] of e.namespaces ?? []) {
      if (prefix !== e.prefix && !(prefix === '' && !e.prefix)) declare(prefix, ns);
    }

    const attributes: string[] = [];
    for (const [key, value] of e.attributes) {
      const { ns, local: name } = parseAttributeKey(key);
      checkName(name, key);
      attributes.push(
        `${ns ? this.attributePrefix(ns, local, declare) + ':' : ''}${name}="${this.escape(value, true)}"`,
      );
    }

    const tag = e.prefix ? `${e.prefix}:${e.name}` : e.name;
    checkName(e.name, tag);
    this.out.push('<', tag);
    for (const [prefix, ns] of declarations) {
      this.out.push(prefix ? ` xmlns:${prefix}="` : ' xmlns="', this.escape(ns, true), '"');
    }
    for (const attribute of attributes) this.out.push(' ', attribute);
    if (e.children.length === 0) {
      this.out.push('/>');
      return;
    }
    this.out.push('>');

    const verbatim = inVerbatim || (this.verbatim?.(e) ?? false);
    const pretty =
      this.indent !== undefined &&
      !verbatim &&
      e.children.some(isElement) &&
      e.children.every((child) => isElement(child) || !/\S/.test(child.text));
    const none = new Map<string, string>();
    for (const child of e.children) {
      if (isElement(child)) {
        if (pretty) this.out.push('\n', this.indent!.repeat(depth + 1));
        this.element(child, local, none, depth + 1, verbatim);
      } else if (!pretty) {
        this.out.push(this.escape(child.text, false));
      }
    }
    if (pretty) this.out.push('\n', this.indent!.repeat(depth));
    this.out.push('</', tag, '>');
  }

  private attributePrefix(
    ns: string,
    scope: ReadonlyMap<string, string>,
    declare: (prefix: string, ns: string) => void,
  ): string {
    if (ns === XML_NS) return 'xml';
    // Attributes never take the default namespace: reuse any prefix in scope for this namespace, else invent one.
    for (const [prefix, bound] of scope) if (prefix && bound === ns) return prefix;
    const preferred = WELL_KNOWN_PREFIXES.get(ns);
    let prefix = preferred && !scope.has(preferred) ? preferred : '';
    for (let n = 1; !prefix; n++) if (!scope.has(`ns${n}`)) prefix = `ns${n}`;
    declare(prefix, ns);
    return prefix;
  }

  private escape(value: string, attribute: boolean): string {
    const special = attribute ? ATTRIBUTE_SPECIAL : TEXT_SPECIAL;
    // Most values need nothing: one regex test, no copy.
    if (!special.test(value) && (this.charset === 'UTF-8' || !NON_ASCII.test(value))) return value;
    if (NOT_XML_CHAR.test(value)) {
      const bad = NOT_XML_CHAR.exec(value)![0].codePointAt(0)!;
      throw new RangeError(`U+${bad.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML 1.0`);
    }
    const escaped = value.replace(attribute ? ATTRIBUTE_SPECIAL_ALL : TEXT_SPECIAL_ALL, (ch) => REFERENCES[ch]!);
    if (this.charset === 'UTF-8') return escaped;
    return escaped.replace(NON_ASCII_ALL, (ch) => {
      const cp = ch.codePointAt(0)!;
      return canEncode(this.charset, cp) ? ch : `&#${cp};`;
    });
  }
}

// Parsers normalise a raw CR (and, in attributes, TAB and LF) away; character references keep the value exact.
const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\t': '&#9;',
};
// Without the u flag surrogates match one by one, so any astral or lone surrogate takes the checked slow path.
const TEXT_SPECIAL = /[&<>\r]|[^\t\n\u0020-\uD7FF\uE000-\uFFFD]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
const ATTRIBUTE_SPECIAL = /[&<>"\r\n\t]|[^\u0020-\uD7FF\uE000-\uFFFD]/;
const ATTRIBUTE_SPECIAL_ALL = /[&<>"\r\n\t]/g;
const NON_ASCII = /[^\t\n\r\u0020-\u007E]/;
const NON_ASCII_ALL = /[^\t\n\r\u0020-\u007E]/gu;

function checkName(name: string, shown: string): void {
  if (!NAME.test(name)) throw new RangeError(`'${shown}' is not a valid XML name`);
}
