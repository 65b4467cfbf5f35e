// One entry point for FHIR content of unknown format (a file on the command line, an HTTP body, a VANS payload):
// decides JSON or XML from the first significant character and returns FHIR JSON either way.
import { firstInvalidUtf8 } from '../xml/charset.ts';
import { DEFAULT_MAX_BYTES, type XmlReadOptions } from '../xml/read.ts';
import { FhirJsonError } from './json-error.ts';
import { findJsonSyntaxError } from './json-syntax.ts';
import type { FhirResource, PackageContext } from './packages/context.ts';
import { parseFhirXml } from './xml/fhir-xml.ts';

export type FhirFormat = 'json' | 'xml';

export interface ParsedFhir {
  readonly resource: FhirResource;
  readonly format: FhirFormat;
}

export type FhirParseLimits = Omit<XmlReadOptions, 'label'>;

/** `json` or `xml` from the first character after a byte-order mark and whitespace; undefined when neither. */
export function detectFhirFormat(input: Uint8Array | string): FhirFormat | undefined {
  if (typeof input !== 'string') {
    // A UTF-16 byte-order mark can only be XML: JSON exchanged between systems is UTF-8 (RFC 8259 §8.1).
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) return 'xml';
  }
  let i = 0;
  const at = (k: number): number | undefined => (typeof input === 'string' ? input.charCodeAt(k) : input[k]);
  if (typeof input === 'string' ? at(0) === 0xfeff : at(0) === 0xef && at(1) === 0xbb && at(2) === 0xbf) {
    i = typeof input === 'string' ? 1 : 3;
  }
  for (; i < input.length; i++) {
    const c = at(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x7b) return 'json'; // {
    if (c === 0x3c) return 'xml'; // <
    return undefined;
  }
  return undefined;
}

/**
 * Parses FHIR JSON or FHIR XML. JSON syntax errors carry line and column; XML errors the XPath and line (XmlError);
 * both name `label`. XML is converted with the base definitions of `context`; JSON is returned as parsed (checking
 * its content against the definitions is the validator's job).
 */
export function parseFhir(
  input: Uint8Array | string,
  label: string,
  context: PackageContext,
  limits: FhirParseLimits = {},
): ParsedFhir {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  if (input.length > maxBytes) {
    throw new FhirJsonError(label, '', `content is ${input.length} bytes; the limit is ${maxBytes}`);
  }
  const format = detectFhirFormat(input);
  if (format === 'xml') return { resource: parseFhirXml(input, label, context, limits), format };
  if (format === 'json') return { resource: parseFhirJson(input, label), format };
  throw new FhirJsonError(label, '', "neither FHIR JSON (starts with '{') nor FHIR XML (starts with '<')");
}

/** Parses FHIR JSON text or UTF-8 bytes into a resource object (must have a string resourceType). */
export function parseFhirJson(input: Uint8Array | string, label: string): FhirResource {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const bad = firstInvalidUtf8(input);
    if (bad >= 0) {
      const line = input.subarray(0, bad).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
      throw new FhirJsonError(label, '', `byte ${bad} is not valid UTF-8; FHIR JSON must be UTF-8`, {
        line,
        column: bad - input.subarray(0, bad).lastIndexOf(0x0a),
      });
    }
    text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(input);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // V8's own message is deliberately not kept (not even as `cause`): it can quote the input, CPR numbers included.
    const problem = findJsonSyntaxError(text);
    // V8 rejected it, so the scanner should find something; if not, report without a position rather than guess.
    if (!problem) throw new FhirJsonError(label, '', 'invalid JSON');
    throw new FhirJsonError(label, '', `invalid JSON: ${problem.problem}`, problem);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FhirJsonError(label, '', 'expected a JSON object (a FHIR resource)');
  }
  if (typeof (value as { resourceType?: unknown }).resourceType !== 'string') {
    throw new FhirJsonError(label, '', 'the JSON object has no resourceType, so it is not a FHIR resource');
  }
  return value as FhirResource;
}
