// The in-memory XML tree shared by every XML format in the project (FHIR XML, OIOXML, VANSEnvelope, SBDH).
// Plain immutable values: no parent pointers, so trees can be built, compared and shared freely. Locations for
// error messages are built from the path the caller walked (see xpathStep/xpathOf).

export interface XmlElement {
  /** Local name (without prefix). */
  readonly name: string;
  /** Namespace URI, or '' when the element is in no namespace. */
  readonly ns: string;
  /** Prefix as written in the source ('' = default namespace). The writer keeps it when it can. */
  readonly prefix: string;
  /** Key: local name for un-namespaced attributes, `{ns}local` for namespaced ones. `xmlns` declarations excluded. */
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlNode[];
  /** 1-based line of the start tag in the source; 0 for elements built in code. */
  readonly line: number;
  /**
   * Namespace declarations written on this element in the source (prefix → URI, '' = default). Kept so that a
   * read/write round trip does not drop declarations that are only used inside attribute values (`xsi:type="x:T"`).
   */
  readonly namespaces?: ReadonlyMap<string, string>;
}

export interface XmlText {
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText;

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export function isElement(node: XmlNode): node is XmlElement {
  return 'name' in node;
}

export function isText(node: XmlNode): node is XmlText {
  return 'text' in node;
}

/** Child elements, optionally only those with the given local name (and namespace, when given). */
export function childElements(e: XmlElement, name?: string, ns?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of e.children) {
    if (!isElement(child)) continue;
    if (name !== undefined && child.name !== name) continue;
    if (ns !== undefined && child.ns !== ns) continue;
    out.push(child);
  }
  return out;
}

/** The first child element with the given local name (and namespace, when given). */
export function firstChild(e: XmlElement, name: string, ns?: string): XmlElement | undefined {
  for (const child of e.children) {
    if (isElement(child) && child.name === name && (ns === undefined || child.ns === ns)) return child;
  }
  return undefined;
}

/** Concatenated text content of the element and all its descendants, in document order (XPath string()). */
export function textOf(e: XmlElement): string {
  let out = '';
  for (const child of e.children) out += isElement(child) ? textOf(child) : child.text;
  return out;
}

/** True when the element has non-whitespace text among its direct children (mixed or simple content). */
export function hasText(e: XmlElement): boolean {
  return e.children.some((child) => isText(child) && /\S/.test(child.text));
}

/** Attribute value by local name (un-namespaced) or by namespace + local name. */
export function attr(e: XmlElement, local: string, ns?: string): string | undefined {
  return e.attributes.get(ns ? attributeKey(local, ns) : local);
}

/** The map key used for an attribute: `local` without a namespace, `{ns}local` with one. */
export function attributeKey(local: string, ns: string): string {
  return ns ? `{${ns}}${local}` : local;
}

/** Splits an attribute key back into namespace and local name. */
export function parseAttributeKey(key: string): { ns: string; local: string } {
  if (!key.startsWith('{')) return { ns: '', local: key };
  const end = key.indexOf('}');
  return { ns: key.slice(1, end), local: key.slice(end + 1) };
}

function qualified(e: XmlElement): string {
  return e.prefix ? `${e.prefix}:${e.name}` : e.name;
}

/**
 * One XPath step for `child`: its qualified name, with a 1-based position when `parent` has several children of the
 * same name (`Letter[2]`). Walkers append steps to the parent's path only when they need a location.
 */
export function xpathStep(child: XmlElement, parent?: XmlElement): string {
  const name = qualified(child);
  if (!parent) return name;
  let count = 0;
  let position = 0;
  for (const sibling of parent.children) {
    if (!isElement(sibling) || sibling.name !== child.name || sibling.ns !== child.ns) continue;
    count++;
    if (sibling === child) position = count;
  }
  return count > 1 && position > 0 ? `${name}[${position}]` : name;
}

/**
 * XPath-like location of the last element of `ancestry` (root first), e.g. `/Emessage/Letter[2]/Patient`.
 * An optional trailing attribute name gives `/…/Patient/@id`.
 */
export function xpathOf(ancestry: readonly XmlElement[], attribute?: string): string {
  let path = '';
  for (let i = 0; i < ancestry.length; i++) path += '/' + xpathStep(ancestry[i]!, ancestry[i - 1]);
  return attribute ? `${path}/@${attribute}` : path || '/';
}

type AttributeInput = Readonly<Record<string, string | undefined>> | ReadonlyMap<string, string>;

/**
 * Builds an element. `name` may carry a prefix (`'sh:Sender'`) which the writer will use; without one the element is
 * written in the default namespace (switched locally when `ns` differs from the parent's). Strings in `children`
 * become text nodes; attributes whose value is `undefined` are left out, which keeps optional fields one-liners.
 */
export function el(
  name: string,
  ns: string,
  attributes?: AttributeInput,
  children?: readonly (XmlNode | string)[],
): XmlElement {
  const colon = name.indexOf(':');
  const attrs = new Map<string, string>();
  if (attributes) {
    const entries = attributes instanceof Map ? attributes.entries() : Object.entries(attributes);
    for (const [key, value] of entries as Iterable<[string, string | undefined]>) {
      if (value !== undefined) attrs.set(key, value);
    }
  }
  return {
    name: colon < 0 ? name : name.slice(colon + 1),
    ns,
    prefix: colon < 0 ? '' : name.slice(0, colon),
    attributes: attrs,
    children: (children ?? []).map((child) => (typeof child === 'string' ? { text: child } : child)),
    line: 0,
  };
}

/** A text node. */
export function text(value: string): XmlText {
  return { text: value };
}
