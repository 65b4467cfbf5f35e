// Shared helpers for the XML layer tests: the real OIOXML example letters (read at test time) and tree comparison.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isElement, type XmlElement, type XmlNode } from '../../src/xml/element.ts';
import { MEDCOM } from '../support/shared.ts';

export const OIOXML_EXAMPLES = join(MEDCOM, 'oioxml', 'examples');

/** Every example file under oioxml/examples, as `folder/file` with its bytes. */
export function oioxmlExamples(): { file: string; bytes: Uint8Array }[] {
  return readdirSync(OIOXML_EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.xml'))
    .sort()
    .map((file) => ({ file, bytes: new Uint8Array(readFileSync(join(OIOXML_EXAMPLES, file))) }));
}

export function example(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(OIOXML_EXAMPLES, file)));
}

/** A comparable plain value of a tree: source line numbers dropped (they change when a document is re-serialised). */
export function shape(node: XmlNode): unknown {
  if (!isElement(node)) return { text: node.text };
  return {
    name: node.name,
    ns: node.ns,
    prefix: node.prefix,
    attributes: Object.fromEntries([...node.attributes].sort(([a], [b]) => (a < b ? -1 : 1))),
    children: node.children.map(shape),
  };
}

/** Same, ignoring whitespace-only text (what indentation adds or removes). */
export function shapeIgnoringIndentation(node: XmlNode): unknown {
  if (!isElement(node)) return { text: node.text };
  const element = node as XmlElement;
  return {
    name: element.name,
    ns: element.ns,
    attributes: Object.fromEntries([...element.attributes].sort(([a], [b]) => (a < b ? -1 : 1))),
    children: element.children.filter((c) => isElement(c) || /\S/.test(c.text)).map(shapeIgnoringIndentation),
  };
}

/** The encoding named in a file's XML declaration, read independently of the code under test. */
export function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  return /^<\?xml[^>]*encoding="([^"]+)"/.exec(head)?.[1];
}

/** The bytes with their leading XML declaration (and the line break after it) removed. */
export function withoutDeclaration(bytes: Uint8Array): Uint8Array {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const match = /^<\?xml[^>]*\?>\r?\n?/.exec(head);
  return match ? bytes.subarray(match[0].length) : bytes;
}
