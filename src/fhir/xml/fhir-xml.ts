// FHIR XML documents as bytes: read (safe XML layer + definitions-driven conversion) and write.
import type { XmlElement } from '../../xml/element.ts';
import { readXml, type XmlReadOptions } from '../../xml/read.ts';
import { writeXml } from '../../xml/write.ts';
import type { FhirResource, PackageContext } from '../packages/context.ts';
import { fhirJsonToXml } from './json-to-xml.ts';
import { XHTML_NS } from './namespaces.ts';
import { fhirXmlToJson } from './xml-to-json.ts';

export { fhirJsonToXml } from './json-to-xml.ts';
export { fhirXmlToJson } from './xml-to-json.ts';
export { FHIR_NS, XHTML_NS } from './namespaces.ts';

/** Parses FHIR XML bytes (or text) into FHIR JSON. Errors are XmlErrors naming `label`, the XPath and the line. */
export function parseFhirXml(
  input: Uint8Array | string,
  label: string,
  context: PackageContext,
  limits: Omit<XmlReadOptions, 'label'> = {},
): FhirResource {
  const { root } = readXml(input, { ...limits, label });
  return fhirXmlToJson(root, context, label);
}

export interface FhirXmlWriteOptions {
  /** Indentation for readability; the narrative is always written exactly as given. Default: none. */
  indent?: string;
  /** Default true. */
  declaration?: boolean;
  /** Used in errors about the JSON input. */
  label?: string;
}

/** Serialises a FHIR JSON resource as UTF-8 FHIR XML. */
export function writeFhirXml(
  resource: FhirResource,
  context: PackageContext,
  options: FhirXmlWriteOptions = {},
): Uint8Array {
  const root = fhirJsonToXml(resource, context, options.label);
  return writeXml(root, {
    encoding: 'UTF-8',
    declaration: options.declaration ?? true,
    ...(options.indent !== undefined ? { indent: options.indent } : {}),
    // Whitespace inside XHTML is content: indenting it would change the narrative.
    verbatim: (element: XmlElement) => element.ns === XHTML_NS,
  });
}
