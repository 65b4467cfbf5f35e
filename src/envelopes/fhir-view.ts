// A read-only view over a FHIR resource in either JSON or XML, just wide enough for the facts an envelope needs
// (ids, codes, references, identifiers). One walk over the view serves both formats, so JSON and XML payloads
// cannot drift apart in what the envelope says about them.
import { childElements, attr, type XmlElement } from '../xml/element.ts';

export interface FhirView {
  /** The named child elements (JSON: the property, arrays flattened). */
  children(name: string): FhirView[];
  /** A primitive's value as text (JSON: the value; XML: `@value`). */
  value(): string | undefined;
  /** For a resource: its type. */
  resourceType(): string | undefined;
}

export function first(view: FhirView | undefined, ...path: string[]): FhirView | undefined {
  let current = view;
  for (const name of path) current = current?.children(name)[0];
  return current;
}

export function valueAt(view: FhirView | undefined, ...path: string[]): string | undefined {
  return first(view, ...path)?.value();
}

export function jsonView(node: unknown): FhirView {
  return {
    children(name) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
      const child = (node as Record<string, unknown>)[name];
      if (child === undefined || child === null) return [];
      return (Array.isArray(child) ? child : [child]).map(jsonView);
    },
    value() {
      return typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean'
        ? String(node)
        : undefined;
    },
    resourceType() {
      const type = (node as { resourceType?: unknown } | null)?.resourceType;
      return typeof type === 'string' ? type : undefined;
    },
  };
}

export const FHIR_NS = 'http://hl7.org/fhir';

export function xmlView(element: XmlElement): FhirView {
  return {
    children(name) {
      const found = childElements(element, name, FHIR_NS);
      // In XML a contained/bundled resource sits one element deeper: <resource><Patient>…</Patient></resource>.
      if (name === 'resource') return found.flatMap((r) => childElements(r).slice(0, 1)).map(xmlView);
      return found.map(xmlView);
    },
    value() {
      return attr(element, 'value');
    },
    resourceType() {
      return element.ns === FHIR_NS ? element.name : undefined;
    },
  };
}
