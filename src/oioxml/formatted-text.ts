// MedCom FormattedText (FormattedText.xsd) as a typed tree, and its XML codec. Mixed content is modelled, never
// handled as strings: text nodes hold the characters as the letter means them (`<Teste>` when the XML says
// `&lt;Teste&gt;`), and the writer escapes them again, so escaped text stays text (oioxml.md §3 pitfalls).
//
// Nesting, as the schema allows it:
//   Text01 (FormattedText) : text | Space | Break | Right | Center | Bold | Italic | Underline | FixedFont
//   FixedFont              : text | Space | Break | Right | Center | Bold | Italic | Underline
//   Right … Underline      : text | Space | Break          (also RefuseText in receipts: "BreakableText")
import { el, isElement, xpathStep, type XmlElement, type XmlNode } from '../xml/element.ts';
import { XmlError } from '../xml/xml-error.ts';

export type Style = 'Bold' | 'Italic' | 'Underline' | 'Center' | 'Right';
export const STYLES: readonly Style[] = ['Bold', 'Italic', 'Underline', 'Center', 'Right'];

export interface LineBreak {
  readonly kind: 'Break';
}
/** A hard space: kept where collapsible whitespace would be dropped. */
export interface HardSpace {
  readonly kind: 'Space';
}
export type BreakableNode = string | LineBreak | HardSpace;

export interface Styled {
  readonly kind: Style;
  readonly children: readonly BreakableNode[];
}
export type SimpleNode = BreakableNode | Styled;

export interface FixedFont {
  readonly kind: 'FixedFont';
  readonly children: readonly SimpleNode[];
}
export type FormattedNode = SimpleNode | FixedFont;

/** The content of one Text01 block. */
export type FormattedText = readonly FormattedNode[];
/** The content of a RefuseText (receipts). */
export type BreakableText = readonly BreakableNode[];

export const BREAK: LineBreak = { kind: 'Break' };
export const SPACE: HardSpace = { kind: 'Space' };

type TextLevel = 'formatted' | 'simple' | 'breakable';

const ALLOWED: Readonly<Record<TextLevel, readonly string[]>> = {
  formatted: ['Space', 'Break', ...STYLES, 'FixedFont'],
  simple: ['Space', 'Break', ...STYLES],
  breakable: ['Space', 'Break'],
};

/**
 * Reads mixed content. `path` is the XPath of `element` (for errors); `ns` the namespace formatting elements must be
 * in — a Break in another namespace is what makes receivers answer "No declaration found for element 'Break'".
 */
export function decodeFormattedText(element: XmlElement, path: string, label: string, ns: string): FormattedText {
  return decodeLevel(element, path, label, ns, 'formatted') as FormattedText;
}

export function decodeBreakableText(element: XmlElement, path: string, label: string, ns: string): BreakableText {
  return decodeLevel(element, path, label, ns, 'breakable') as BreakableText;
}

function decodeLevel(element: XmlElement, path: string, label: string, ns: string, level: TextLevel): FormattedNode[] {
  const out: FormattedNode[] = [];
  for (const child of element.children) {
    if (!isElement(child)) {
      const last = out[out.length - 1];
      // The reader merges adjacent text already; keep the invariant "no two adjacent strings" for built trees too.
      if (typeof last === 'string') out[out.length - 1] = last + child.text;
      else out.push(child.text);
      continue;
    }
    const childPath = `${path}/${xpathStep(child, element)}`;
    if (child.ns !== ns || !ALLOWED[level].includes(child.name)) {
      const where = child.ns !== ns ? ` in namespace '${child.ns}'` : '';
      throw new XmlError(
        label,
        childPath,
        `element ${child.name}${where} is not allowed in ${element.name}; expected text or ${ALLOWED[level].join(', ')} in '${ns}'`,
        child.line || undefined,
      );
    }
    if (child.name === 'Break' || child.name === 'Space') {
      if (child.children.some((c) => isElement(c) || c.text.length > 0)) {
        throw new XmlError(label, childPath, `${child.name} must be empty`, child.line || undefined);
      }
      out.push(child.name === 'Break' ? BREAK : SPACE);
    } else if (child.name === 'FixedFont') {
      out.push({ kind: 'FixedFont', children: decodeLevel(child, childPath, label, ns, 'simple') as SimpleNode[] });
    } else {
      out.push({
        kind: child.name as Style,
        children: decodeLevel(child, childPath, label, ns, 'breakable') as BreakableNode[],
      });
    }
  }
  return out;
}

/** Children for a Text01 / RefuseText element, every formatting element in `ns`. */
export function encodeFormattedText(nodes: readonly FormattedNode[], ns: string): XmlNode[] {
  return nodes.map((node): XmlNode => {
    if (typeof node === 'string') return { text: node };
    if (node.kind === 'Break' || node.kind === 'Space') return el(node.kind, ns);
    return el(node.kind, ns, undefined, encodeFormattedText(node.children, ns));
  });
}

/** Which formatting (other than Break/Space) the tree uses, for loss reports. */
export function stylesUsed(nodes: readonly FormattedNode[]): Set<Style | 'FixedFont'> {
  const used = new Set<Style | 'FixedFont'>();
  const visit = (list: readonly FormattedNode[]): void => {
    for (const node of list) {
      if (typeof node === 'string' || node.kind === 'Break' || node.kind === 'Space') continue;
      used.add(node.kind);
      visit(node.children);
    }
  };
  visit(nodes);
  return used;
}
